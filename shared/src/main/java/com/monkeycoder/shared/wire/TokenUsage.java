package com.monkeycoder.shared.wire;

/**
 * Tokens and cost of one answer. As in OpenAI's usage object, {@code prompt_tokens} counts every input token,
 * cached or not; {@code cached_tokens} and {@code cache_write_tokens} say how many of them hit or filled the
 * provider's prompt cache. Cost is shown in US dollars on the wire and kept as micro-dollars inside.
 */
public record TokenUsage(long promptTokens, long completionTokens, long totalTokens, long cachedTokens,
                         long cacheWriteTokens, double costUsd) {

    public static TokenUsage of(long promptTokens, long completionTokens, long costMicros) {
        return of(promptTokens, completionTokens, 0, 0, costMicros);
    }

    public static TokenUsage of(long promptTokens, long completionTokens, long cachedTokens, long cacheWriteTokens,
                                long costMicros) {
        return new TokenUsage(promptTokens, completionTokens, promptTokens + completionTokens, cachedTokens,
                cacheWriteTokens, costMicros / 1_000_000.0);
    }
}
