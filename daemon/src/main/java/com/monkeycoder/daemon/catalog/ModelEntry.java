package com.monkeycoder.daemon.catalog;

import com.monkeycoder.daemon.conversation.TokenCount;

/**
 * One model of the catalog with its prices as integer micro-dollars per million tokens.
 *
 * @param cacheReadMicrosPerMillion  the price of an input token read from the provider's prompt cache
 * @param cacheWriteMicrosPerMillion the price of an input token written to it (Anthropic's 5-minute cache write)
 */
public record ModelEntry(String provider, String id, Integer contextWindow, long inputMicrosPerMillion,
                         long outputMicrosPerMillion, long cacheReadMicrosPerMillion,
                         long cacheWriteMicrosPerMillion) {

    /**
     * A model without cache prices: cache tokens, should a provider report any, cost the full input price,
     * which is what they would have cost without the cache.
     */
    public ModelEntry(String provider, String id, Integer contextWindow, long inputMicrosPerMillion,
                      long outputMicrosPerMillion) {
        this(provider, id, contextWindow, inputMicrosPerMillion, outputMicrosPerMillion, inputMicrosPerMillion,
                inputMicrosPerMillion);
    }

    /** The gateway-wide name, {@code provider/model}. */
    public String qualifiedId() {
        return provider + "/" + id;
    }

    /** Cost of a request without prompt caching in micro-dollars, rounded half up: never floating point. */
    public long costMicros(long promptTokens, long completionTokens) {
        return costMicros(new TokenCount(promptTokens, completionTokens));
    }

    /**
     * Cost of a request in micro-dollars: uncached input, cache reads, cache writes and output each at their own
     * price, each line rounded half up on its own (so a request without caching costs what it always did).
     */
    public long costMicros(TokenCount usage) {
        return Math.addExact(
                Math.addExact(perMillion(usage.promptTokens(), inputMicrosPerMillion),
                        perMillion(usage.completionTokens(), outputMicrosPerMillion)),
                Math.addExact(perMillion(usage.cacheReadTokens(), cacheReadMicrosPerMillion),
                        perMillion(usage.cacheWriteTokens(), cacheWriteMicrosPerMillion)));
    }

    /**
     * The most a request with this many prompt and output tokens can cost: each prompt token at the highest of the
     * input, cache-write and cache-read prices (a provider may write the whole prompt to its cache), the output at
     * the output price.
     */
    public long worstCaseMicros(long promptTokens, long outputTokens) {
        long promptPrice = Math.max(inputMicrosPerMillion, Math.max(cacheWriteMicrosPerMillion, cacheReadMicrosPerMillion));
        return Math.addExact(perMillion(promptTokens, promptPrice), perMillion(outputTokens, outputMicrosPerMillion));
    }

    private static long perMillion(long tokens, long microsPerMillion) {
        return Math.addExact(Math.multiplyExact(tokens, microsPerMillion), 500_000L) / 1_000_000L;
    }
}
