package com.monkeycoder.daemon.routing;

import com.monkeycoder.daemon.catalog.ModelEntry;
import com.monkeycoder.daemon.conversation.ConversationRequest;
import com.monkeycoder.daemon.conversation.TokenCount;
import com.monkeycoder.daemon.errors.ApiError;
import com.monkeycoder.daemon.errors.ErrorCode;
import com.monkeycoder.daemon.ledger.Ledger;
import com.monkeycoder.daemon.ledger.LedgerException;
import com.monkeycoder.daemon.ledger.LedgerRow;
import com.monkeycoder.daemon.providers.TokenEstimator;

import java.time.Clock;

/**
 * Writes each request's one ledger row: what it cost (from the provider's counts, or estimated when it reported
 * none), how it ended, and who asked. A served answer waits for its row's commit; a failure's row is written
 * without making the client wait on it.
 */
final class Bookkeeper {

    private static final System.Logger LOG = System.getLogger(Bookkeeper.class.getName());

    private final Ledger ledger;
    private final Clock clock;

    Bookkeeper(Ledger ledger, Clock clock) {
        this.ledger = ledger;
        this.clock = clock;
    }

    /** Commits a served answer's row; the answer is withheld when the ledger cannot take it. */
    void commit(RequestContext ctx, LedgerRow row) {
        ctx.trace().recorded(row);
        try {
            ledger.record(row);
        } catch (LedgerException e) {
            LOG.log(System.Logger.Level.ERROR, "request " + row.requestId() + ": " + e.getMessage());
            // Its store is down or slow: a 503 the client may retry (the balancer also sees /ready fail), not a bug.
            throw new ApiError(ErrorCode.SERVICE_UNAVAILABLE,
                    "the usage ledger could not record this request, so its answer is withheld; try again",
                    java.util.Map.of("reason", "ledger_unavailable"), java.time.Duration.ofSeconds(2));
        }
    }

    /** Records a failed or abandoned request; a ledger failure is logged, the client already has its error. */
    void recordQuietly(RequestContext ctx, LedgerRow row) {
        ctx.trace().recorded(row);
        try {
            ledger.record(row);
        } catch (LedgerException e) {
            LOG.log(System.Logger.Level.ERROR, "request " + row.requestId() + ": " + e.getMessage());
        }
    }

    /**
     * The row of an upstream answer. Without reported usage the tokens are estimated from what was sent and
     * received ({@code answeredText} and {@code toolArguments}); a request refused before any answer costs nothing.
     */
    LedgerRow row(RequestContext ctx, ModelEntry model, ConversationRequest request, String answered, TokenCount usage,
                  long startedNanos, String status, String errorCode, Integer upstreamStatus) {
        boolean estimated = usage == null;
        TokenCount tokens = usage;
        if (tokens == null) {
            if (answered.isEmpty() && !"ok".equals(status)) {
                tokens = new TokenCount(0, 0); // refused before any answer: providers bill nothing for that
                estimated = false;
            } else {
                tokens = new TokenCount(TokenEstimator.estimate(request), TokenEstimator.estimate(answered));
            }
        }
        return build(ctx, model, tokens, estimated, startedNanos, status, errorCode, upstreamStatus);
    }

    /**
     * The row of a request that ended after the provider had it and may have written (and billed) its answer: a
     * stream the client left or that broke, a whole answer that timed out. It bills what the provider reported
     * (its last usage event, reasoning included), else the worst case that was held: the prompt as estimated plus
     * the output cap the provider received ({@code cap}; without one, as for an unlimited caller, the estimate of
     * what arrived).
     */
    LedgerRow cutShort(RequestContext ctx, ModelEntry model, ConversationRequest request, Integer cap, String answered,
                       TokenCount usage, long startedNanos, String status, String errorCode, Integer upstreamStatus) {
        if (usage != null) {
            return build(ctx, model, usage, false, startedNanos, status, errorCode, upstreamStatus);
        }
        long visible = TokenEstimator.estimate(answered);
        TokenCount worst = new TokenCount(TokenEstimator.estimate(request), cap == null ? visible : Math.max(cap, visible));
        return build(ctx, model, worst, true, startedNanos, status, errorCode, upstreamStatus);
    }

    private LedgerRow build(RequestContext ctx, ModelEntry model, TokenCount tokens, boolean estimated,
                            long startedNanos, String status, String errorCode, Integer upstreamStatus) {
        return new LedgerRow(ctx.requestId(), clock.millis(), ctx.caller().userId(), ctx.caller().keyId(),
                ctx.routeName(), model.provider(), model.id(), tokens.promptTokens(), tokens.completionTokens(),
                tokens.cacheReadTokens(), tokens.cacheWriteTokens(),
                // a test key's requests cost nothing, whatever the model's price
                ctx.caller().test() ? 0 : model.costMicros(tokens), false, estimated,
                millisSince(startedNanos), status, errorCode, upstreamStatus, tokens.reasoningTokens(),
                ctx.sessionId());
    }

    /** The row of a cache hit: the original's tokens, no cost. */
    LedgerRow hitRow(RequestContext ctx, ModelEntry model, TokenCount tokens, long startedNanos, String status) {
        return new LedgerRow(ctx.requestId(), clock.millis(), ctx.caller().userId(), ctx.caller().keyId(),
                ctx.routeName(), model.provider(), model.id(), tokens.promptTokens(), tokens.completionTokens(),
                tokens.cacheReadTokens(), tokens.cacheWriteTokens(), 0, true, false, millisSince(startedNanos), status,
                null, null, tokens.reasoningTokens(), ctx.sessionId());
    }

    static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
