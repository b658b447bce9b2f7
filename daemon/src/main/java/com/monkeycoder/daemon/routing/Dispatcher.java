package com.monkeycoder.daemon.routing;

import com.monkeycoder.daemon.accounts.CreditHold;
import com.monkeycoder.daemon.accounts.Credits;
import com.monkeycoder.daemon.cache.CacheDirective;
import com.monkeycoder.daemon.cache.CachedAnswer;
import com.monkeycoder.daemon.cache.ResponseCache;
import com.monkeycoder.daemon.catalog.ModelEntry;
import com.monkeycoder.daemon.ledger.Ledger;
import com.monkeycoder.daemon.ledger.LedgerException;
import com.monkeycoder.daemon.ledger.LedgerRow;
import com.monkeycoder.daemon.metrics.GatewayMetrics;
import com.monkeycoder.daemon.metrics.RequestTrace;
import com.monkeycoder.daemon.providers.Completion;
import com.monkeycoder.daemon.providers.CompletionRequest;
import com.monkeycoder.daemon.providers.EventStream;
import com.monkeycoder.daemon.providers.ProviderException;
import com.monkeycoder.daemon.providers.ProviderException.Kind;
import com.monkeycoder.daemon.providers.ProviderRegistry;
import com.monkeycoder.daemon.providers.StreamEvent;
import com.monkeycoder.daemon.providers.TokenCount;
import com.monkeycoder.daemon.providers.TokenEstimator;
import com.monkeycoder.daemon.errors.ApiError;
import com.monkeycoder.daemon.errors.ErrorCode;
import com.monkeycoder.shared.wire.Attempt;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sends a request to the first candidate that answers, and records it in the ledger before the answer is
 * complete: the last byte a client sees (the {@code done} event of a stream included) follows the commit of
 * its row, and each request has exactly one row whatever the number of attempts.
 *
 * <p>Failover: a call that fails before the first byte reaches the client goes to the next candidate; once
 * every candidate was tried, those whose failure may pass (429, 5xx, timeouts, dropped connections) are tried
 * again after a backoff or their {@code Retry-After}, within the retry policy's attempts and time. Once a byte
 * was sent there is no silent retry: the stream ends with an error event. Every ingress route goes through
 * here, so they all route, fail over and bill alike.
 */
public final class Dispatcher {

    private static final System.Logger LOG = System.getLogger(Dispatcher.class.getName());
    private static final Pattern REPLAY_PIECE = Pattern.compile("\\S+\\s*|\\s+");
    private static final Set<String> CACHEABLE_FINISH = Set.of("stop", "length", "end_turn");

    private final Ledger ledger;
    private final ProviderRegistry providers;
    private final HealthBoard health;
    private final RetryPolicy policy;
    private final Sleeper sleeper;
    private final Clock clock;
    private final ResponseCache cache;
    private final GatewayMetrics metrics;
    private final Credits credits;

    /** A dispatcher that times provider calls and counts retries and failovers in {@code metrics}. */
    public Dispatcher(Ledger ledger, ProviderRegistry providers, HealthBoard health, RetryPolicy policy,
                      Sleeper sleeper, Clock clock, ResponseCache cache, GatewayMetrics metrics, Credits credits) {
        this.cache = cache;
        this.metrics = metrics;
        this.credits = credits;
        this.ledger = ledger;
        this.providers = providers;
        this.health = health;
        this.policy = policy;
        this.sleeper = sleeper;
        this.clock = clock;
    }

    /** A provider call whose result is kept once it succeeds. */
    @FunctionalInterface
    private interface ProviderCall<T> {
        T call(Route route, CompletionRequest request) throws ProviderException;
    }

    /** The candidate that answered, what it answered, and the attempts that failed before it. */
    private record Answered<T>(Route route, T value, List<Attempt> failedBefore, long startedNanos,
                               long attemptStartedNanos) {
    }

    /** A stream whose first event has arrived, so the provider is known to be answering. */
    private record Primed(EventStream stream, Optional<StreamEvent> first) {
    }

    /** One whole answer, not cached. */
    public Outcome complete(RequestContext ctx, List<Route> candidates, CompletionRequest request) {
        return complete(ctx, candidates, request, CacheDirective.NONE);
    }

    /**
     * One whole answer, from the cache when the directive allows and it holds one. Its worst-case cost is held
     * from the caller's credits first; the commit of its ledger row settles the hold.
     */
    public Outcome complete(RequestContext ctx, List<Route> candidates, CompletionRequest request, CacheDirective directive) {
        try (CreditHold held = credits.reserve(ctx, candidates, request)) {
            return completeHeld(ctx, candidates, request, directive);
        }
    }

    private Outcome completeHeld(RequestContext ctx, List<Route> candidates, CompletionRequest request, CacheDirective directive) {
        if (!directive.active()) {
            return completeUpstream(ctx, candidates, request, null);
        }
        long started = System.nanoTime();
        Optional<CachedAnswer> hit = directive.read() ? cache.get(directive.key()) : Optional.empty();
        if (hit.isPresent()) {
            return recordHit(ctx, hit.get(), request, "", started, "ok").orElseGet(() -> completeUpstream(ctx, candidates, request, false));
        }
        CompletableFuture<CachedAnswer> mine = new CompletableFuture<>();
        CompletableFuture<CachedAnswer> leader = cache.lead(directive.key(), mine);
        if (leader != null) {
            // An identical request is being answered right now: wait for it rather than ask the provider twice.
            CachedAnswer shared = directive.read() ? await(leader) : null;
            if (shared != null) {
                Optional<Outcome> replayed = recordHit(ctx, shared, request, "", started, "ok");
                if (replayed.isPresent()) {
                    return replayed.get();
                }
            }
            return completeUpstream(ctx, candidates, request, false);
        }
        CachedAnswer answer = null;
        try {
            Outcome outcome = completeUpstream(ctx, candidates, request, false);
            answer = cacheable(outcome);
            return outcome;
        } finally {
            cache.finish(directive.key(), mine, answer);
        }
    }

    private Outcome completeUpstream(RequestContext ctx, List<Route> candidates, CompletionRequest request, Boolean cacheHit) {
        if (Boolean.FALSE.equals(cacheHit)) {
            metrics.cacheMiss();
        }
        Answered<Completion> a = firstAnswer(ctx, candidates, request, (route, req) -> route.adapter().complete(req));
        health.success(a.route().provider(), millisSince(a.attemptStartedNanos()));
        Completion c = a.value();
        return succeed(ctx, a, request, c.content(), c.finishReason(), c.usage(), cacheHit);
    }

    /** A streamed answer, not cached: text goes to the observer as it arrives. */
    public Outcome stream(RequestContext ctx, List<Route> candidates, CompletionRequest request, StreamObserver observer)
            throws StreamBroken, ClientGone {
        return stream(ctx, candidates, request, observer, CacheDirective.NONE);
    }

    /** A streamed answer; a cached one is replayed as a stream. Credits are held and settled as for {@link #complete}. */
    public Outcome stream(RequestContext ctx, List<Route> candidates, CompletionRequest request, StreamObserver observer,
                          CacheDirective directive) throws StreamBroken, ClientGone {
        try (CreditHold held = credits.reserve(ctx, candidates, request)) {
            return streamHeld(ctx, candidates, request, observer, directive);
        }
    }

    private Outcome streamHeld(RequestContext ctx, List<Route> candidates, CompletionRequest request, StreamObserver observer,
                               CacheDirective directive) throws StreamBroken, ClientGone {
        if (!directive.active()) {
            return streamUpstream(ctx, candidates, request, observer, null);
        }
        long started = System.nanoTime();
        Optional<CachedAnswer> hit = directive.read() ? cache.get(directive.key()) : Optional.empty();
        if (hit.isPresent()) {
            Optional<Outcome> replayed = replay(ctx, hit.get(), request, observer, started);
            if (replayed.isPresent()) {
                return replayed.get();
            }
        }
        CompletableFuture<CachedAnswer> mine = new CompletableFuture<>();
        CompletableFuture<CachedAnswer> leader = cache.lead(directive.key(), mine);
        if (leader != null) {
            CachedAnswer shared = directive.read() ? await(leader) : null;
            if (shared != null) {
                Optional<Outcome> replayed = replay(ctx, shared, request, observer, started);
                if (replayed.isPresent()) {
                    return replayed.get();
                }
            }
            return streamUpstream(ctx, candidates, request, observer, false);
        }
        CachedAnswer answer = null;
        try {
            Outcome outcome = streamUpstream(ctx, candidates, request, observer, false);
            answer = cacheable(outcome);
            return outcome;
        } finally {
            cache.finish(directive.key(), mine, answer);
        }
    }

    private Outcome streamUpstream(RequestContext ctx, List<Route> candidates, CompletionRequest request,
                                   StreamObserver observer, Boolean cacheHit) throws StreamBroken, ClientGone {
        if (Boolean.FALSE.equals(cacheHit)) {
            metrics.cacheMiss();
        }
        Answered<Primed> a = firstAnswer(ctx, candidates, request, (route, req) -> {
            EventStream stream = route.adapter().stream(req);
            try {
                return new Primed(stream, stream.next());
            } catch (ProviderException | RuntimeException e) {
                stream.close();
                throw e;
            }
        });
        health.success(a.route().provider(), millisSince(a.attemptStartedNanos()));
        StringBuilder text = new StringBuilder();
        TokenCount usage = null;
        String finish = null;
        try (EventStream stream = a.value().stream()) {
            observer.onStart(new StreamStart(a.route().model(), a.failedBefore(), cacheHit));
            for (Optional<StreamEvent> next = a.value().first(); next.isPresent(); next = stream.next()) {
                switch (next.get()) {
                    case StreamEvent.TextDelta delta -> {
                        text.append(delta.text());
                        observer.onText(delta.text());
                    }
                    case StreamEvent.UsageReported reported -> usage = reported.usage();
                    case StreamEvent.Finished finished -> finish = finished.reason();
                }
            }
        } catch (ProviderException e) {
            // Bytes already reached the client: no silent retry, the stream ends with an error event.
            health.failure(a.route().provider());
            providers.recordOutcome(a.route().provider(), e.getMessage());
            List<Attempt> attempts = new ArrayList<>(a.failedBefore());
            attempts.add(attempt(a.route(), e, a.attemptStartedNanos()));
            throw new StreamBroken(failed(ctx, a.route(), request, text.toString(), a.startedNanos(), e, attempts));
        } catch (IOException clientGone) {
            recordQuietly(row(ctx, a.route(), request, text.toString(), usage, a.startedNanos(), "client_closed", null, null));
            throw new ClientGone(clientGone);
        }
        try {
            return succeed(ctx, a, request, text.toString(), finish, usage, cacheHit);
        } catch (ApiError ledgerDown) {
            throw new StreamBroken(ledgerDown);
        }
    }

    /** A cached answer sent as a stream, in word-sized pieces as a provider would. */
    private Optional<Outcome> replay(RequestContext ctx, CachedAnswer answer, CompletionRequest request,
                                     StreamObserver observer, long started) throws StreamBroken, ClientGone {
        Optional<ModelEntry> model = providers.catalog().model(answer.provider(), answer.model());
        if (model.isEmpty()) {
            return Optional.empty(); // the catalog no longer has that model: answer afresh
        }
        StringBuilder sent = new StringBuilder();
        try {
            observer.onStart(new StreamStart(model.get(), List.of(), true));
            Matcher pieces = REPLAY_PIECE.matcher(answer.content());
            while (pieces.find()) {
                observer.onText(pieces.group());
                sent.append(pieces.group());
            }
        } catch (IOException clientGone) {
            recordHit(ctx, answer, request, sent.toString(), started, "client_closed");
            throw new ClientGone(clientGone);
        }
        try {
            return recordHit(ctx, answer, request, answer.content(), started, "ok");
        } catch (ApiError ledgerDown) {
            throw new StreamBroken(ledgerDown);
        }
    }

    /** Records a cache hit in the ledger (no cost, the original's tokens) and makes its outcome. */
    private Optional<Outcome> recordHit(RequestContext ctx, CachedAnswer answer, CompletionRequest request, String sent,
                                        long started, String status) {
        Optional<ModelEntry> model = providers.catalog().model(answer.provider(), answer.model());
        if (model.isEmpty()) {
            return Optional.empty();
        }
        TokenCount tokens = new TokenCount(answer.promptTokens(), answer.completionTokens(), answer.cacheReadTokens(),
                answer.cacheWriteTokens());
        LedgerRow row = new LedgerRow(ctx.requestId(), clock.millis(), ctx.caller().userId(), ctx.caller().keyId(),
                ctx.routeName(), answer.provider(), answer.model(), tokens.promptTokens(), tokens.completionTokens(),
                tokens.cacheReadTokens(), tokens.cacheWriteTokens(), 0, true, false, millisSince(started), status,
                null, null);
        if (!status.equals("ok")) {
            recordQuietly(row);
            return Optional.empty();
        }
        try {
            ledger.record(row);
        } catch (LedgerException e) {
            LOG.log(System.Logger.Level.ERROR, "request " + ctx.requestId() + ": " + e.getMessage());
            throw new ApiError(ErrorCode.INTERNAL_ERROR,
                    "the usage ledger could not record this request, so its answer is withheld; try again");
        }
        metrics.cacheHit();
        return Optional.of(new Outcome(model.get(), answer.content(), answer.finishReason(), tokens, 0, false,
                row.latencyMs(), List.of(), true));
    }

    /** Only whole answers are worth replaying: not errors, not streams cut short. */
    private static CachedAnswer cacheable(Outcome o) {
        if (!CACHEABLE_FINISH.contains(o.finishReason())) {
            return null;
        }
        TokenCount t = o.tokens();
        return new CachedAnswer(o.model().provider(), o.model().id(), o.content(), o.finishReason(), t.promptTokens(),
                t.completionTokens(), t.cacheReadTokens(), t.cacheWriteTokens());
    }

    private static CachedAnswer await(CompletableFuture<CachedAnswer> leader) {
        try {
            return leader.get(5, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException | TimeoutException e) {
            return null;
        }
    }

    private <T> Answered<T> firstAnswer(RequestContext ctx, List<Route> candidates, CompletionRequest request,
                                        ProviderCall<T> call) {
        long started = System.nanoTime();
        RequestTrace trace = metrics.dispatching(ctx.requestId(), request.messages());
        Instant deadline = clock.instant().plus(policy.maxTotal());
        List<Attempt> attempts = new ArrayList<>();
        Set<Route> givenUp = new HashSet<>();
        Map<Route, Duration> retryAfter = new HashMap<>();
        ProviderException last = null;
        Route lastRoute = null;
        int calls = 0;
        for (int round = 0; calls < policy.maxAttempts(); round++) {
            boolean calledAny = false;
            for (Route route : candidates) {
                if (givenUp.contains(route) || calls >= policy.maxAttempts()) {
                    continue;
                }
                if (round > 0) {
                    Duration wait = policy.backoff(round, retryAfter.get(route));
                    if (clock.instant().plus(wait).isAfter(deadline)) {
                        givenUp.add(route); // its Retry-After or backoff would outlast the request's budget
                        continue;
                    }
                    long paused = System.nanoTime();
                    pause(wait);
                    trace.providerTimeSince(paused);
                }
                if (!health.of(route.provider()).breaker().tryAcquire()) {
                    attempts.add(new Attempt(route.provider(), route.model().id(), "circuit_open", 0, null));
                    givenUp.add(route);
                    continue;
                }
                trace.calling(route.provider(), calls, round);
                calls++;
                calledAny = true;
                long attemptStarted = System.nanoTime();
                try {
                    T value = call.call(route, request.withModel(route.model().id()));
                    trace.providerTimeSince(attemptStarted);
                    return new Answered<>(route, value, List.copyOf(attempts), started, attemptStarted);
                } catch (ProviderException e) {
                    trace.providerTimeSince(attemptStarted);
                    attempts.add(attempt(route, e, attemptStarted));
                    if (e.kind() == Kind.CONTENT_BLOCKED) {
                        // The provider works; it declined this content. Another provider is not asked behind its back.
                        health.of(route.provider()).breaker().onSuccess();
                        throw failed(ctx, route, request, "", started, e, attempts);
                    }
                    health.failure(route.provider());
                    providers.recordOutcome(route.provider(), e.getMessage());
                    last = e;
                    lastRoute = route;
                    if (mayPass(e)) {
                        retryAfter.put(route, e.retryAfter());
                    } else {
                        givenUp.add(route);
                    }
                }
            }
            if (!calledAny || !clock.instant().isBefore(deadline)) {
                break;
            }
        }
        if (last == null) {
            throw allCircuitsOpen(candidates, attempts);
        }
        throw failed(ctx, lastRoute, request, "", started, last, attempts);
    }

    /** Failures that another try of the same provider may not meet again. */
    private static boolean mayPass(ProviderException e) {
        return switch (e.kind()) {
            case RATE_LIMITED, TIMEOUT, NETWORK -> true;
            case UPSTREAM_ERROR -> e.upstreamStatus() == null || e.upstreamStatus() >= 500;
            default -> false;
        };
    }

    private void pause(Duration wait) {
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiError(ErrorCode.SERVICE_UNAVAILABLE, "the gateway is shutting down");
        }
    }

    private ApiError allCircuitsOpen(List<Route> candidates, List<Attempt> attempts) {
        Instant reopens = candidates.stream().map(r -> health.of(r.provider()).breaker().reopensAt())
                .min(Instant::compareTo).orElse(clock.instant());
        Duration wait = Duration.between(clock.instant(), reopens);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("reason", "circuit_open");
        details.put("attempts", attempts);
        return new ApiError(ErrorCode.SERVICE_UNAVAILABLE, "every provider for this request failed repeatedly just now"
                + " and is paused; try again in " + Math.max(1, wait.toSeconds()) + "s", details,
                wait.isNegative() ? Duration.ofSeconds(1) : wait);
    }

    private Outcome succeed(RequestContext ctx, Answered<?> a, CompletionRequest request, String content, String finish,
                            TokenCount usage, Boolean cacheHit) {
        Route route = a.route();
        LedgerRow row = row(ctx, route, request, content, usage, a.startedNanos(), "ok", null, null);
        try {
            ledger.record(row);
        } catch (LedgerException e) {
            LOG.log(System.Logger.Level.ERROR, "request " + ctx.requestId() + ": " + e.getMessage());
            throw new ApiError(ErrorCode.INTERNAL_ERROR,
                    "the usage ledger could not record this request, so its answer is withheld; try again");
        }
        providers.recordOutcome(route.provider(), null);
        List<Attempt> attempts = new ArrayList<>(a.failedBefore());
        attempts.add(new Attempt(route.provider(), route.model().id(), "ok", millisSince(a.attemptStartedNanos()), null));
        TokenCount tokens = new TokenCount(row.promptTokens(), row.completionTokens(), row.cacheReadTokens(),
                row.cacheWriteTokens());
        return new Outcome(route.model(), content, finish == null ? "stop" : finish, tokens, row.costMicros(),
                row.estimated(), row.latencyMs(), List.copyOf(attempts), cacheHit);
    }

    private static Attempt attempt(Route route, ProviderException e, long attemptStarted) {
        return new Attempt(route.provider(), route.model().id(), e.kind().name().toLowerCase(),
                millisSince(attemptStarted), e.upstreamStatus());
    }

    /** The client's error for a request that failed; writes the request's one ledger row. */
    private ApiError failed(RequestContext ctx, Route route, CompletionRequest request, String partial, long started,
                            ProviderException e, List<Attempt> attempts) {
        boolean blocked = e.kind() == Kind.CONTENT_BLOCKED;
        ErrorCode code = e.kind() == Kind.TIMEOUT ? ErrorCode.GATEWAY_TIMEOUT : ErrorCode.LLM_ERROR;
        recordQuietly(row(ctx, route, request, partial, null, started, "error", code.name(), e.upstreamStatus()));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("provider", route.provider());
        details.put("model", route.model().id());
        if (e.upstreamStatus() != null) {
            details.put("upstream_status", e.upstreamStatus());
        }
        if (blocked) {
            details.put("reason", "content_blocked");
        }
        details.put("attempts", List.copyOf(attempts));
        String message = attempts.size() > 1
                ? e.getMessage() + " (after " + attempts.size() + " attempts; details.attempts lists them)"
                : e.getMessage();
        return new ApiError(code, message, details, e.retryAfter());
    }

    private void recordQuietly(LedgerRow row) {
        try {
            ledger.record(row);
        } catch (LedgerException e) {
            LOG.log(System.Logger.Level.ERROR, "request " + row.requestId() + ": " + e.getMessage());
        }
    }

    private LedgerRow row(RequestContext ctx, Route route, CompletionRequest request, String content, TokenCount usage,
                          long started, String status, String errorCode, Integer upstreamStatus) {
        boolean estimated = usage == null;
        TokenCount tokens = usage;
        if (tokens == null) {
            if (content.isEmpty() && !"ok".equals(status)) {
                // Refused before any answer: providers bill nothing for that.
                tokens = new TokenCount(0, 0);
                estimated = false;
            } else {
                tokens = new TokenCount(TokenEstimator.estimate(request.messages()), TokenEstimator.estimate(content));
            }
        }
        return new LedgerRow(ctx.requestId(), clock.millis(), ctx.caller().userId(), ctx.caller().keyId(),
                ctx.routeName(), route.provider(), route.model().id(), tokens.promptTokens(), tokens.completionTokens(),
                tokens.cacheReadTokens(), tokens.cacheWriteTokens(), route.model().costMicros(tokens), false, estimated,
                millisSince(started), status, errorCode, upstreamStatus);
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
