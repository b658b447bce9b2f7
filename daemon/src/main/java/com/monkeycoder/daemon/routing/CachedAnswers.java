package com.monkeycoder.daemon.routing;

import com.monkeycoder.daemon.cache.CacheDirective;
import com.monkeycoder.daemon.cache.CachedAnswer;
import com.monkeycoder.daemon.cache.ResponseCache;
import com.monkeycoder.daemon.conversation.FinishReason;
import com.monkeycoder.daemon.conversation.PartsJson;
import com.monkeycoder.daemon.conversation.TokenCount;
import com.monkeycoder.daemon.metrics.GatewayMetrics;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Serves a cacheable request from the response cache when it can, and makes identical requests in flight at the
 * same time share one upstream call (single flight), for whole and streamed answers alike: how an answer is
 * replayed and how a fresh one is fetched are the caller's.
 */
final class CachedAnswers {

    /** Only whole answers are worth replaying: not errors, not streams cut short. */
    private static final Set<FinishReason> CACHEABLE = Set.of(FinishReason.STOP, FinishReason.LENGTH,
            FinishReason.TOOL_CALLS);

    /** Replays a cached answer; empty when it cannot be used (its model left the catalog). */
    @FunctionalInterface
    interface Replay {
        Optional<Outcome> replay(CachedAnswer answer) throws StreamBroken, ClientGone;
    }

    /** Fetches a fresh answer; {@code cacheHit} is false for a cacheable request that missed, null otherwise. */
    @FunctionalInterface
    interface Fresh {
        Outcome fetch(Boolean cacheHit) throws StreamBroken, ClientGone;
    }

    private final ResponseCache cache;
    private final GatewayMetrics metrics;

    CachedAnswers(ResponseCache cache, GatewayMetrics metrics) {
        this.cache = cache;
        this.metrics = metrics;
    }

    Outcome serve(CacheDirective directive, Replay replay, Fresh fresh) throws StreamBroken, ClientGone {
        if (!directive.active()) {
            return fresh.fetch(null);
        }
        Optional<CachedAnswer> hit = directive.read() ? cache.get(directive.key()) : Optional.empty();
        if (hit.isPresent()) {
            Optional<Outcome> replayed = replay.replay(hit.get());
            if (replayed.isPresent()) {
                metrics.cacheHit();
                return replayed.get();
            }
        }
        CompletableFuture<CachedAnswer> mine = new CompletableFuture<>();
        CompletableFuture<CachedAnswer> leader = cache.lead(directive.key(), mine);
        if (leader != null) {
            // An identical request is being answered right now: wait for it rather than ask the provider twice.
            CachedAnswer shared = directive.read() ? await(leader) : null;
            if (shared != null) {
                Optional<Outcome> replayed = replay.replay(shared);
                if (replayed.isPresent()) {
                    metrics.cacheHit();
                    return replayed.get();
                }
            }
            metrics.cacheMiss();
            return fresh.fetch(false);
        }
        CachedAnswer answer = null;
        try {
            metrics.cacheMiss();
            Outcome outcome = fresh.fetch(false);
            answer = cacheable(outcome);
            return outcome;
        } finally {
            cache.finish(directive.key(), mine, answer);
        }
    }

    private static CachedAnswer cacheable(Outcome o) {
        if (!CACHEABLE.contains(o.finishReason())) {
            return null;
        }
        TokenCount t = o.tokens();
        return new CachedAnswer(o.model().provider(), o.model().id(), PartsJson.write(o.answer().content()),
                o.finishReason().wire(), t.promptTokens(), t.completionTokens(), t.cacheReadTokens(),
                t.cacheWriteTokens(), t.reasoningTokens());
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
}
