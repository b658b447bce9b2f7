package com.monkeycoder.daemon.routing;

import com.monkeycoder.daemon.providers.TokenCount;
import com.monkeycoder.shared.wire.Attempt;
import com.monkeycoder.shared.wire.TokenUsage;

import java.util.List;

/** A served request, as recorded in the ledger. */
public record Outcome(
        Route route,
        String content,
        String finishReason,
        TokenCount tokens,
        long costMicros,
        boolean estimated,
        long latencyMs,
        List<Attempt> attempts) {

    /** Every input token, cached or not, as OpenAI and our wire model count prompt tokens. */
    public long promptTokens() {
        return tokens.inputTokens();
    }

    public long completionTokens() {
        return tokens.completionTokens();
    }

    public TokenUsage usage() {
        return TokenUsage.of(tokens.inputTokens(), tokens.completionTokens(), tokens.cacheReadTokens(),
                tokens.cacheWriteTokens(), costMicros);
    }
}
