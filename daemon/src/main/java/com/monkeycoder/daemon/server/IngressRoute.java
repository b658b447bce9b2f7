package com.monkeycoder.daemon.server;

import com.monkeycoder.daemon.cache.CacheDirective;
import com.monkeycoder.daemon.cache.CacheRules;
import com.monkeycoder.daemon.conversation.ConversationRequest;
import com.monkeycoder.daemon.conversation.StreamEvent;
import com.monkeycoder.daemon.dialects.Dialect;
import com.monkeycoder.daemon.dialects.ErrorBodies;
import com.monkeycoder.daemon.dialects.IngressRequest;
import com.monkeycoder.daemon.dialects.ResponseIds;
import com.monkeycoder.daemon.dialects.SseSink;
import com.monkeycoder.daemon.dialects.StreamEncoder;
import com.monkeycoder.daemon.routing.ClientGone;
import com.monkeycoder.daemon.routing.Dispatcher;
import com.monkeycoder.daemon.routing.Outcome;
import com.monkeycoder.daemon.routing.RequestContext;
import com.monkeycoder.daemon.routing.Route;
import com.monkeycoder.daemon.routing.RouteResolver;
import com.monkeycoder.daemon.routing.StreamBroken;
import com.monkeycoder.daemon.routing.StreamObserver;
import com.monkeycoder.daemon.routing.StreamStart;
import com.monkeycoder.shared.Json;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one ingress pipeline every dialect shares: parse (the dialect's codec) → route (candidates with every
 * capability the request needs) → dispatch (credits, cache, failover, ledger) → encode. Authentication, limits
 * and metrics wrap it in {@link Endpoint} and the limits handler, the same for every dialect.
 */
final class IngressRoute implements ApiHandler {

    /** How long a stream may stay silent before a keep-alive goes out (Claude Code gives up on silent streams). */
    static final Duration KEEPALIVE = Duration.ofSeconds(10);
    private static final ScheduledExecutorService KEEPALIVES = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sse-keepalive");
        t.setDaemon(true);
        return t;
    });

    private final Dialect dialect;
    private final RouteResolver resolver;
    private final Dispatcher dispatcher;
    private final ErrorBodies errors;
    private final Clock clock;
    private final SessionHistory sessions;

    IngressRoute(Dialect dialect, RouteResolver resolver, Dispatcher dispatcher, ErrorBodies errors, Clock clock,
                 SessionHistory sessions) {
        this.sessions = sessions;
        this.dialect = dialect;
        this.resolver = resolver;
        this.dispatcher = dispatcher;
        this.errors = errors;
        this.clock = clock;
    }

    @Override
    public void handle(HttpCall call) throws java.sql.SQLException {
        IngressRequest request = dialect.parse(call.bodyTree(), call::header);
        ConversationRequest asked = request.conversation();
        List<Route> candidates = call.caller().test() ? demoOnly(resolver, request, asked)
                : resolver.candidates(request.model(), request.preferredProviders(), request.modelClass(), asked);
        // The stored history is part of the request from here on: the cache key, the credit hold and the ledger's
        // token counts all see what is sent upstream.
        ConversationRequest conversation = sessions.resume(call, request.sessionId(),
                asked.withModel(candidates.getFirst().model().id()), candidates.getFirst());
        RequestContext ctx = new RequestContext(call.requestId(), call.caller(), dialect.routeName(),
                request.sessionId() != null ? request.sessionId() : session(call), call.trace());
        // Each account has its own answers: a hit must not tell one tenant what another asked.
        CacheDirective cache = CacheRules.directive(request.useCache(), call.header("Cache-Control"),
                request.routingKey() + ";account:" + call.caller().userId(), conversation);
        ResponseIds ids = new ResponseIds(call.requestId(), clock.instant().getEpochSecond());
        if (!request.stream()) {
            Outcome outcome = dispatcher.complete(ctx, candidates, conversation, cache);
            sessions.record(call.caller(), request.sessionId(), asked, outcome);
            RouteHeader.set(call, outcome);
            call.sendJson(200, dialect.encode(request, outcome, ids));
            return;
        }
        stream(call, request, ctx, candidates, conversation, cache, ids, asked);
    }

    /**
     * A test key's candidates: the demo provider only (its model when the request names none), so a CI run with
     * such a key can never reach, or pay, a real provider. Every route that calls a provider for a caller asks here.
     */
    static List<Route> demoOnly(RouteResolver resolver, IngressRequest request, ConversationRequest asked) {
        String model = request.model() == null || request.model().isBlank() ? DEMO_MODEL : request.model();
        List<Route> demo = resolver.candidates(model, List.of(), request.modelClass(), asked).stream()
                .filter(r -> r.provider().equals("demo")).toList();
        if (demo.isEmpty()) {
            throw new com.monkeycoder.daemon.errors.ApiError(com.monkeycoder.daemon.errors.ErrorCode.FORBIDDEN,
                    "test keys (mk-test-) reach only the demo provider: ask for " + DEMO_MODEL + ", or use a live key"
                            + " for " + model, java.util.Map.of("reason", "test_key_demo_only", "model", model), null);
        }
        return demo;
    }

    static final String DEMO_MODEL = "demo/monkey-demo";

    /** Claude Code names its session; any client may name one with {@code X-Monkey-Session}. */
    private static String session(HttpCall call) {
        String session = call.header(SessionHistory.SESSION_HEADER);
        if (session == null) {
            session = call.header("x-claude-code-session-id");
        }
        if (session == null || session.isBlank()) {
            return null;
        }
        return session.length() > 128 ? session.substring(0, 128) : session.strip();
    }

    private void stream(HttpCall call, IngressRequest request, RequestContext ctx, List<Route> candidates,
                        ConversationRequest conversation, CacheDirective cache, ResponseIds ids,
                        ConversationRequest asked) {
        Sink sink = new Sink();
        StreamEncoder encoder = dialect.streamEncoder(request, ids, sink);
        ScheduledFuture<?>[] keepalive = new ScheduledFuture<?>[1];
        try {
            Outcome outcome = dispatcher.stream(ctx, candidates, conversation, new StreamObserver() {
                @Override
                public void onStart(StreamStart start) throws IOException {
                    RouteHeader.set(call, start);
                    sink.open(call.startSse());
                    sink.write(() -> encoder.start(start));
                    // The timer only hands the ping to a virtual thread: a client that stopped reading can block
                    // that thread's write, never the timer that serves every other stream.
                    keepalive[0] = KEEPALIVES.scheduleAtFixedRate(
                            () -> {
                                if (sink.silent()) { // no thread at all for a stream that wrote lately
                                    Thread.startVirtualThread(() -> sink.keepAlive(encoder));
                                }
                            },
                            KEEPALIVE.toMillis(), KEEPALIVE.toMillis() / 2, TimeUnit.MILLISECONDS);
                }

                @Override
                public void onEvent(StreamEvent event) throws IOException {
                    sink.write(() -> encoder.event(event));
                }
            }, cache);
            stop(keepalive[0]);
            // Stored before the last event, so a client that sends its next turn on `done` finds this one there.
            sessions.record(call.caller(), request.sessionId(), asked, outcome);
            sink.write(() -> encoder.finish(outcome));
        } catch (StreamBroken broken) {
            stop(keepalive[0]);
            try {
                sink.write(() -> encoder.fail(broken.error(), errors.body(broken.error(), dialect.errorStyle())));
            } catch (IOException gone) {
                // the client left meanwhile
            }
        } catch (ClientGone | IOException gone) {
            stop(keepalive[0]);
            // nothing more to send; the ledger has the row
        }
    }

    private static void stop(ScheduledFuture<?> keepalive) {
        if (keepalive != null) {
            keepalive.cancel(false);
        }
    }

    /** A write of the encoder's, which may fail because the client is gone. */
    @FunctionalInterface
    private interface Write {
        void run() throws IOException;
    }

    /**
     * The SSE stream, written by the request's thread and, while the upstream is silent, by keep-alives. One lock
     * orders their writes; a keep-alive that finds it held (a write in progress, perhaps blocked on a client that
     * stopped reading) skips its turn rather than wait.
     */
    private static final class Sink implements SseSink {
        private final ReentrantLock lock = new ReentrantLock();
        private SseWriter writer;
        private volatile long lastWriteNanos = System.nanoTime();

        void open(SseWriter writer) {
            this.writer = writer;
        }

        /** Runs the encoder's writes under the stream's lock. */
        void write(Write write) throws IOException {
            lock.lock();
            try {
                write.run();
            } finally {
                lock.unlock();
            }
        }

        /** Called by {@link #write}'s encoder, under the lock. */
        @Override
        public void event(String name, Object data) throws IOException {
            String json = data instanceof String s ? s : Json.write(data);
            if (name == null) {
                writer.data(json);
            } else {
                writer.send(name, json);
            }
            lastWriteNanos = System.nanoTime();
        }

        @Override
        public void raw(String data) throws IOException {
            writer.data(data);
            lastWriteNanos = System.nanoTime();
        }

        /** Whether nothing was written for a keep-alive interval. */
        boolean silent() {
            return System.nanoTime() - lastWriteNanos >= KEEPALIVE.toNanos();
        }

        void keepAlive(StreamEncoder encoder) {
            if (System.nanoTime() - lastWriteNanos < KEEPALIVE.toNanos() || !lock.tryLock()) {
                return;
            }
            try {
                encoder.ping();
                lastWriteNanos = System.nanoTime();
            } catch (IOException | RuntimeException gone) {
                // the request's own thread sees the broken connection on its next write
            } finally {
                lock.unlock();
            }
        }
    }
}
