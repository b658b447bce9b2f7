package com.monkeycoder.daemon.routing;

import com.monkeycoder.daemon.catalog.ModelEntry;
import com.monkeycoder.daemon.conversation.Answer;
import com.monkeycoder.daemon.conversation.FinishReason;
import com.monkeycoder.daemon.conversation.TokenCount;
import com.monkeycoder.shared.wire.Attempt;
import com.monkeycoder.shared.wire.TokenUsage;

import java.util.List;

/**
 * A served request, as recorded in the ledger. {@code cacheHit}: true when replayed from the response cache,
 * false when it was cacheable but missed, null when it was not cacheable. {@code dropped}: what of the request
 * the answering provider could not take.
 */
public record Outcome(
        ModelEntry model,
        Answer answer,
        TokenCount tokens,
        long costMicros,
        boolean estimated,
        long latencyMs,
        List<Attempt> attempts,
        Boolean cacheHit,
        List<String> dropped) {

    public Outcome {
        attempts = List.copyOf(attempts);
        dropped = List.copyOf(dropped);
    }

    public String content() {
        return answer.text();
    }

    public FinishReason finishReason() {
        return answer.finish();
    }

    public boolean cached() {
        return Boolean.TRUE.equals(cacheHit);
    }

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
