package com.monkeycoder.daemon.routing;

import com.monkeycoder.shared.wire.Attempt;
import com.monkeycoder.shared.wire.TokenUsage;

import java.util.List;

/** A served request, as recorded in the ledger. */
public record Outcome(
        Route route,
        String content,
        String finishReason,
        long promptTokens,
        long completionTokens,
        long costMicros,
        boolean estimated,
        long latencyMs,
        List<Attempt> attempts) {

    public TokenUsage usage() {
        return TokenUsage.of(promptTokens, completionTokens, costMicros);
    }
}
