package com.monkeycoder.daemon.routing;

import com.monkeycoder.daemon.cache.CacheDirective;
import com.monkeycoder.daemon.cache.CachedAnswer;
import com.monkeycoder.daemon.cache.ResponseCache;
import com.monkeycoder.daemon.catalog.ModelEntry;
import com.monkeycoder.daemon.catalog.ProviderSpec;
import com.monkeycoder.daemon.conversation.Answer;
import com.monkeycoder.daemon.conversation.AnswerBuilder;
import com.monkeycoder.daemon.conversation.ConversationRequest;
import com.monkeycoder.daemon.conversation.FinishReason;
import com.monkeycoder.daemon.conversation.Part;
import com.monkeycoder.daemon.conversation.PartsJson;
import com.monkeycoder.daemon.conversation.StreamEvent;
import com.monkeycoder.daemon.conversation.TokenCount;
import com.monkeycoder.daemon.errors.ApiError;
import com.monkeycoder.daemon.errors.ErrorCode;
import com.monkeycoder.daemon.ledger.Ledger;
import com.monkeycoder.daemon.ledger.LedgerRow;
import com.monkeycoder.daemon.metrics.GatewayMetrics;
import com.monkeycoder.daemon.providers.EventStream;
import com.monkeycoder.daemon.providers.ProviderException;
import com.monkeycoder.daemon.providers.ProviderException.Kind;
import com.monkeycoder.daemon.providers.ProviderRegistry;
import com.monkeycoder.shared.wire.Attempt;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sends a request to the first candidate that answers, whole or streamed, from the cache when it may: holds its
 * worst-case cost from the caller's credits, lets {@link Failover} find a provider, {@link CachedAnswers} share
 * or replay answers and {@link Bookkeeper} write its one ledger row, whose commit comes before the last byte a
 * client sees. Every ingress dialect goes through here, so they all route, fail over and bill alike.
 */
public final class Dispatcher {

    private static final Pattern REPLAY_PIECE = Pattern.compile("\\S+\\s*|\\s+");

    private final ProviderRegistry providers;
    private final Credits credits;
    private final Failover failover;
    private final CachedAnswers cached;
    private final Bookkeeper books;
    private final java.time.Duration maxStream;
    private final ProviderKeys keys;

    public Dispatcher(Ledger ledger, ProviderRegistry providers, HealthBoard health, RetryPolicy policy,
                      Sleeper sleeper, Clock clock, ResponseCache cache, GatewayMetrics metrics, Credits credits) {
        this(ledger, providers, health, policy, sleeper, clock, cache, metrics, credits, java.time.Duration.ofMinutes(30),
                ProviderKeys.USERS_OWN);
    }

    /**
     * @param maxStream the longest a streamed answer may run before the gateway ends it with an error event
     * @param keys      whose provider keys these are: what a refused one tells the client to do
     */
    public Dispatcher(Ledger ledger, ProviderRegistry providers, HealthBoard health, RetryPolicy policy,
                      Sleeper sleeper, Clock clock, ResponseCache cache, GatewayMetrics metrics, Credits credits,
                      java.time.Duration maxStream, ProviderKeys keys) {
        this.maxStream = maxStream;
        this.keys = keys;
        this.providers = providers;
        this.credits = credits;
        this.failover = new Failover(providers, health, policy, sleeper, clock);
        this.cached = new CachedAnswers(cache, metrics);
        this.books = new Bookkeeper(ledger, clock);
    }

    /** A stream whose first event has arrived, so the provider is known to be answering. */
    private record Primed(EventStream stream, Optional<StreamEvent> first) {
    }

    /** One whole answer, not cached. */
    public Outcome complete(RequestContext ctx, List<Route> candidates, ConversationRequest request) {
        return complete(ctx, candidates, request, CacheDirective.NONE);
    }

    /** One whole answer, from the cache when the directive allows and it holds one. */
    public Outcome complete(RequestContext ctx, List<Route> candidates, ConversationRequest asked,
                            CacheDirective directive) {
        ctx.trace().dispatching(asked.messages());
        // The cap is set before the hold is taken: what is held is what the provider may bill.
        ConversationRequest request = credits.capped(ctx, asked);
        try (CreditHold held = credits.reserve(ctx, candidates, request)) {
            long started = System.nanoTime();
            return cached.serve(directive, hit -> recordHit(ctx, hit, started, "ok"),
                    cacheHit -> completeUpstream(ctx, candidates, request, cacheHit));
        } catch (StreamBroken | ClientGone impossible) {
            throw new IllegalStateException("a whole answer has no stream to break", impossible);
        }
    }

    /** A streamed answer; a cached one is replayed as a stream. Credits are held and settled as for a whole one. */
    public Outcome stream(RequestContext ctx, List<Route> candidates, ConversationRequest asked,
                          StreamObserver observer, CacheDirective directive) throws StreamBroken, ClientGone {
        ctx.trace().dispatching(asked.messages());
        ConversationRequest request = credits.capped(ctx, asked);
        try (CreditHold held = credits.reserve(ctx, candidates, request)) {
            long started = System.nanoTime();
            return cached.serve(directive, hit -> replay(ctx, hit, observer, started),
                    cacheHit -> streamUpstream(ctx, candidates, request, observer, cacheHit));
        }
    }

    private Outcome completeUpstream(RequestContext ctx, List<Route> candidates, ConversationRequest request,
                                     Boolean cacheHit) {
        Failover.Answered<Answer> a;
        try {
            a = failover.firstAnswer(ctx, candidates, request, (route, req) -> wellFormed(route, route.adapter().complete(req)));
        } catch (Failover.AllFailed f) {
            throw failed(ctx, f.route, request, f.startedNanos, f.last, f.attempts, wholeAnswerRow(ctx, f, request));
        }
        return succeed(ctx, a, request, a.value(), cacheHit);
    }

    /**
     * A whole answer the client could not use (tool arguments that are not JSON) is the provider's failure; the
     * usage it reported is kept, as the provider bills it.
     */
    private static Answer wellFormed(Route route, Answer answer) throws ProviderException {
        try {
            AnswerBuilder.checkWhole(answer);
        } catch (AnswerBuilder.OutOfOrder e) {
            throw new ProviderException(Kind.BAD_RESPONSE, route.provider(),
                    route.provider() + " sent a malformed answer: " + e.getMessage()).reported(answer.usage());
        }
        return answer;
    }

    /**
     * The row of a whole answer that failed: the usage a malformed answer reported; the worst case held when the
     * call timed out after the request was sent (the provider may well have written and billed the answer); else
     * nothing, as providers bill nothing for a request they refused.
     */
    private LedgerRow wholeAnswerRow(RequestContext ctx, Failover.AllFailed f, ConversationRequest request) {
        ErrorCode code = errorCode(f.last);
        if (f.last.usage() != null || (f.last.kind() == Kind.TIMEOUT && f.last.requestSent())) {
            return books.cutShort(ctx, f.route.model(), request, capFor(request, f.route), "", f.last.usage(),
                    f.startedNanos, "error", code.name(), f.last.upstreamStatus());
        }
        return books.row(ctx, f.route.model(), request, "", null, f.startedNanos, "error", code.name(),
                f.last.upstreamStatus());
    }

    /** The output cap {@code route}'s provider received. */
    private Integer capFor(ConversationRequest request, Route route) {
        return failover.forRoute(request, route).maxOutputTokens();
    }

    private static ErrorCode errorCode(ProviderException e) {
        return e.kind() == Kind.TIMEOUT ? ErrorCode.GATEWAY_TIMEOUT : ErrorCode.LLM_ERROR;
    }

    private Outcome streamUpstream(RequestContext ctx, List<Route> candidates, ConversationRequest request,
                                   StreamObserver observer, Boolean cacheHit) throws StreamBroken, ClientGone {
        Failover.Answered<Primed> a;
        try {
            a = failover.firstAnswer(ctx, candidates, request, (route, req) -> {
                EventStream stream = route.adapter().stream(req);
                try {
                    return new Primed(stream, stream.next());
                } catch (ProviderException | RuntimeException e) {
                    stream.close();
                    throw e;
                }
            });
        } catch (Failover.AllFailed f) {
            throw failed(ctx, f.route, request, f.startedNanos, f.last, f.attempts, books.row(ctx, f.route.model(),
                    request, "", null, f.startedNanos, "error", errorCode(f.last).name(), f.last.upstreamStatus()));
        }
        Route route = a.route();
        AnswerBuilder answer = new AnswerBuilder();
        long deadline = System.nanoTime() + maxStream.toNanos();
        boolean tooLong = false;
        try (EventStream stream = a.value().stream()) {
            observer.onStart(new StreamStart(route.model(), a.failedBefore(), cacheHit, dropped(route, request)));
            for (Optional<StreamEvent> next = a.value().first(); next.isPresent(); next = stream.next()) {
                try {
                    answer.accept(next.get());
                } catch (AnswerBuilder.OutOfOrder e) {
                    throw new ProviderException(Kind.BAD_RESPONSE, route.provider(),
                            route.provider() + " sent a malformed stream: " + e.getMessage());
                }
                observer.onEvent(next.get());
                if (System.nanoTime() - deadline > 0) {
                    tooLong = true;
                    throw new ProviderException(Kind.TIMEOUT, route.provider(), "the answer ran longer than the"
                            + " gateway's longest stream (" + maxStream.toSeconds() + "s, max_stream_seconds); it was"
                            + " ended there");
                }
            }
        } catch (ProviderException e) {
            // Bytes already reached the client: no silent retry, the stream ends with an error event.
            if (!tooLong) {
                failover.failed(route, e); // a stream cut at the gateway's own limit says nothing of the provider
            }
            List<Attempt> attempts = new ArrayList<>(a.failedBefore());
            attempts.add(Failover.attempt(route, e, a.attemptStartedNanos()));
            // The provider was answering: bill what it reported, else the worst case that was held.
            LedgerRow row = books.cutShort(ctx, route.model(), request, capFor(request, route), answered(answer.build()),
                    answer.usage(), a.startedNanos(), "error", errorCode(e).name(), e.upstreamStatus());
            throw new StreamBroken(failed(ctx, route, request, a.startedNanos(), e, attempts, row));
        } catch (IOException clientGone) {
            // The provider may go on writing (and billing) after the client left, reasoning included.
            books.recordQuietly(ctx, books.cutShort(ctx, route.model(), request, capFor(request, route),
                    answered(answer.build()), answer.usage(), a.startedNanos(), "client_closed", null, null));
            throw new ClientGone(clientGone);
        }
        try {
            return succeed(ctx, a, request, answer.build(), cacheHit);
        } catch (ApiError ledgerDown) {
            throw new StreamBroken(ledgerDown);
        }
    }

    /** A cached answer sent as a stream, event by event as a provider would. */
    private Optional<Outcome> replay(RequestContext ctx, CachedAnswer hit, StreamObserver observer, long started)
            throws StreamBroken, ClientGone {
        Optional<Answer> answer = answerOf(hit);
        Optional<ModelEntry> model = providers.catalog().model(hit.provider(), hit.model());
        if (model.isEmpty() || answer.isEmpty()) {
            return Optional.empty(); // the catalog no longer has that model, or the entry is unreadable: answer afresh
        }
        try {
            observer.onStart(new StreamStart(model.get(), List.of(), true, List.of()));
            for (StreamEvent e : answer.get().events()) {
                if (e instanceof StreamEvent.TextDelta text) {
                    // in word-sized pieces, as a provider would stream it
                    Matcher pieces = REPLAY_PIECE.matcher(text.text());
                    while (pieces.find()) {
                        observer.onEvent(new StreamEvent.TextDelta(pieces.group()));
                    }
                } else if (!(e instanceof StreamEvent.UsageReported) && !(e instanceof StreamEvent.Finished)) {
                    observer.onEvent(e);
                }
            }
        } catch (IOException clientGone) {
            recordHit(ctx, hit, started, "client_closed");
            throw new ClientGone(clientGone);
        }
        try {
            return recordHit(ctx, hit, started, "ok");
        } catch (ApiError ledgerDown) {
            throw new StreamBroken(ledgerDown);
        }
    }

    /** Records a cache hit in the ledger (no cost, the original's tokens) and makes its outcome. */
    private Optional<Outcome> recordHit(RequestContext ctx, CachedAnswer hit, long started, String status) {
        Optional<ModelEntry> model = providers.catalog().model(hit.provider(), hit.model());
        Optional<Answer> answer = answerOf(hit);
        if (model.isEmpty() || answer.isEmpty()) {
            return Optional.empty();
        }
        TokenCount tokens = new TokenCount(hit.promptTokens(), hit.completionTokens(), hit.cacheReadTokens(),
                hit.cacheWriteTokens(), hit.reasoningTokens());
        LedgerRow row = books.hitRow(ctx, model.get(), tokens, started, status);
        if (!status.equals("ok")) {
            books.recordQuietly(ctx, row);
            return Optional.empty();
        }
        books.commit(ctx, row);
        return Optional.of(new Outcome(model.get(), answer.get(), tokens, 0, false, row.latencyMs(), List.of(), true,
                List.of()));
    }

    private static Optional<Answer> answerOf(CachedAnswer hit) {
        try {
            FinishReason finish = FinishReason.valueOf(hit.finishReason().toUpperCase());
            return Optional.of(new Answer(PartsJson.read(hit.parts()), finish, null));
        } catch (PartsJson.Invalid | RuntimeException e) {
            return Optional.empty();
        }
    }

    private Outcome succeed(RequestContext ctx, Failover.Answered<?> a, ConversationRequest request, Answer answer,
                            Boolean cacheHit) {
        Route route = a.route();
        LedgerRow row = books.row(ctx, route.model(), request, answered(answer), answer.usage(), a.startedNanos(),
                "ok", null, null);
        books.commit(ctx, row);
        failover.succeeded(route);
        List<Attempt> attempts = new ArrayList<>(a.failedBefore());
        attempts.add(new Attempt(route.provider(), route.model().id(), "ok",
                Bookkeeper.millisSince(a.attemptStartedNanos()), null));
        TokenCount tokens = new TokenCount(row.promptTokens(), row.completionTokens(), row.cacheReadTokens(),
                row.cacheWriteTokens(), row.reasoningTokens());
        return new Outcome(route.model(), answer, tokens, row.costMicros(), row.estimated(), row.latencyMs(),
                attempts, cacheHit, dropped(route, request));
    }

    /** What of the request did not reach the provider: what no provider gets, then what this one cannot take. */
    private static List<String> dropped(Route route, ConversationRequest request) {
        List<String> withheld = request.passthrough().withheld();
        List<String> cannot = route.adapter().dropped(request);
        if (withheld.isEmpty()) {
            return cannot;
        }
        List<String> all = new ArrayList<>(withheld);
        all.addAll(cannot);
        return all;
    }

    /** What an answer said, as text, for estimating its tokens when the provider reported none. */
    private static String answered(Answer answer) {
        StringBuilder out = new StringBuilder();
        for (Part p : answer.content()) {
            switch (p) {
                case Part.Text t -> out.append(t.text());
                case Part.Thinking t -> out.append(t.text());
                case Part.ToolCall c -> out.append(c.name()).append(c.arguments());
                default -> {
                }
            }
        }
        return out.toString();
    }

    /** The client's error for a request that failed; writes the request's one ledger row, {@code row}. */
    private ApiError failed(RequestContext ctx, Route route, ConversationRequest request, long started,
                            ProviderException e, List<Attempt> attempts, LedgerRow row) {
        boolean blocked = e.kind() == Kind.CONTENT_BLOCKED;
        ErrorCode code = errorCode(e);
        books.recordQuietly(ctx, row);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("provider", route.provider());
        details.put("model", route.model().id());
        if (e.upstreamStatus() != null) {
            details.put("upstream_status", e.upstreamStatus());
        }
        if (blocked) {
            details.put("reason", "content_blocked");
        }
        String said = e.getMessage();
        if (e.kind() == Kind.AUTH_REFUSED) {
            // A configuration problem, not an outage: the client (the CLI: exit 3) is told whose key to fix.
            List<String> keyEnv = providers.catalog().provider(route.provider()).map(ProviderSpec::keyEnv).orElse(List.of());
            details.put("reason", "provider_key_refused");
            if (keys == ProviderKeys.USERS_OWN) {
                details.put("env", keyEnv);
            }
            said = keys.refused(route.provider(), keyEnv, e.upstreamStatus());
        }
        details.put("attempts", List.copyOf(attempts));
        String message = attempts.size() > 1
                ? said + " (after " + attempts.size() + " attempts; details.attempts lists them)"
                : said;
        return new ApiError(code, message, details, e.retryAfter());
    }
}
