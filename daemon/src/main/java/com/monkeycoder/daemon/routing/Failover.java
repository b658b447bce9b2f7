package com.monkeycoder.daemon.routing;

import com.monkeycoder.shared.text.HumanDuration;
import com.monkeycoder.daemon.conversation.ConversationRequest;
import com.monkeycoder.daemon.errors.ApiError;
import com.monkeycoder.daemon.errors.ErrorCode;
import com.monkeycoder.daemon.metrics.RequestTrace;
import com.monkeycoder.daemon.providers.ProviderException;
import com.monkeycoder.daemon.providers.ProviderException.Kind;
import com.monkeycoder.daemon.providers.ProviderRegistry;
import com.monkeycoder.shared.wire.Attempt;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The attempt loop: a call that fails before the first byte reaches the client goes to the next candidate;
 * once every candidate was tried, those whose failure may pass (429, 5xx, timeouts, dropped connections) are
 * tried again after a backoff or their {@code Retry-After}, within the retry policy's attempts and time.
 * Circuit breakers skip a provider that keeps failing.
 */
final class Failover {

    /** A provider call whose result is kept once it succeeds. */
    @FunctionalInterface
    interface ProviderCall<T> {
        T call(Route route, ConversationRequest request) throws ProviderException;
    }

    /** The candidate that answered, what it answered, and the attempts that failed before it. */
    record Answered<T>(Route route, T value, List<Attempt> failedBefore, long startedNanos, long attemptStartedNanos) {
    }

    /** Every candidate failed: the client's error, and the route and failure the request's ledger row names. */
    static final class AllFailed extends Exception {
        final Route route;
        final ProviderException last;
        final List<Attempt> attempts;
        final long startedNanos;

        AllFailed(Route route, ProviderException last, List<Attempt> attempts, long startedNanos) {
            super(last.getMessage(), null, false, false);
            this.route = route;
            this.last = last;
            this.attempts = List.copyOf(attempts);
            this.startedNanos = startedNanos;
        }
    }

    private final ProviderRegistry providers;
    private final HealthBoard health;
    private final RetryPolicy policy;
    private final Sleeper sleeper;
    private final Clock clock;

    Failover(ProviderRegistry providers, HealthBoard health, RetryPolicy policy, Sleeper sleeper, Clock clock) {
        this.providers = providers;
        this.health = health;
        this.policy = policy;
        this.sleeper = sleeper;
        this.clock = clock;
    }

    <T> Answered<T> firstAnswer(RequestContext ctx, List<Route> candidates, ConversationRequest request,
                                ProviderCall<T> call) throws AllFailed {
        long started = System.nanoTime();
        RequestTrace trace = ctx.trace();
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
                    T value = call.call(route, forRoute(request, route));
                    trace.providerTimeSince(attemptStarted);
                    health.success(route.provider(), Bookkeeper.millisSince(attemptStarted));
                    return new Answered<>(route, value, List.copyOf(attempts), started, attemptStarted);
                } catch (ProviderException e) {
                    trace.providerTimeSince(attemptStarted);
                    attempts.add(attempt(route, e, attemptStarted));
                    if (e.kind() == Kind.CONTENT_BLOCKED) {
                        // The provider works; it declined this content. Another provider is not asked behind its back.
                        health.of(route.provider()).breaker().onSuccess();
                        throw new AllFailed(route, e, attempts, started);
                    }
                    if (clientCaused(e)) {
                        // The provider answered properly; it refused what this client sent. That says nothing of
                        // its health, so no other tenant may lose it to a breaker over this.
                        health.of(route.provider()).breaker().onSuccess();
                    } else {
                        failed(route, e);
                    }
                    last = e;
                    lastRoute = route;
                    if (mayPass(e)) {
                        retryAfter.put(route, e.retryAfter());
                    } else {
                        givenUp.add(route);
                    }
                } catch (RuntimeException e) {
                    // Refused before the provider was asked (an ApiError such as an image URL that may not be
                    // fetched): the client's error, no failover, and the breaker's probe slot must not stay taken.
                    trace.providerTimeSince(attemptStarted);
                    health.of(route.provider()).breaker().release();
                    throw e;
                }
            }
            if (!calledAny || !clock.instant().isBefore(deadline)) {
                break;
            }
        }
        if (last == null) {
            throw allCircuitsOpen(candidates, attempts);
        }
        throw new AllFailed(lastRoute, last, attempts, started);
    }

    /**
     * The request as {@code route} takes it: its own model id, and an output cap no higher than the most the model
     * gives in one answer (a larger cap would only be refused: the model cannot write more anyway).
     */
    ConversationRequest forRoute(ConversationRequest request, Route route) {
        ConversationRequest forModel = request.withModel(route.model().id());
        Integer most = providers.catalog().traits(route.model()).maxOutputTokens();
        Integer asked = request.maxOutputTokens();
        return most != null && asked != null && asked > most ? forModel.withMaxOutputTokens(most) : forModel;
    }

    /** A provider failed (before or after its first byte): its health and breaker learn of it. */
    void failed(Route route, ProviderException e) {
        health.failure(route.provider());
        providers.recordOutcome(route.provider(), e.getMessage());
    }

    void succeeded(Route route) {
        providers.recordOutcome(route.provider(), null);
    }

    static Attempt attempt(Route route, ProviderException e, long attemptStarted) {
        return new Attempt(route.provider(), route.model().id(), e.kind().name().toLowerCase(),
                Bookkeeper.millisSince(attemptStarted), e.upstreamStatus());
    }

    /**
     * A 4xx other than a refused key, 408 or 429: the request was the problem (a context too long, a field the
     * provider refuses), not the provider.
     */
    static boolean clientCaused(ProviderException e) {
        Integer status = e.upstreamStatus();
        return e.kind() == Kind.UPSTREAM_ERROR && status != null && status >= 400 && status < 500 && status != 408;
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
                + " and is paused; try again in " + HumanDuration.seconds(Math.max(1, wait.toSeconds())), details,
                wait.isNegative() ? Duration.ofSeconds(1) : wait);
    }
}
