package com.monkeycoder.daemon.conversation;

/**
 * Tokens of one answer as a provider reported them (or as we estimated them, when it reported none), split the
 * way providers bill them: prompt caching makes some input tokens far cheaper (cache reads) or dearer (cache
 * writes) than the rest, so the ledger must see them apart to price an answer exactly.
 *
 * @param promptTokens     input tokens billed at the model's full input price: neither read from nor written to
 *                         the provider's prompt cache. This is exactly Anthropic's {@code input_tokens}; Gemini's
 *                         {@code promptTokenCount} includes its cached tokens, so its adapter subtracts them.
 *                         Adapters that report no cache use (OpenAI-compatible) count all input here.
 * @param completionTokens output tokens, thinking tokens included (Gemini's {@code thoughtsTokenCount})
 * @param cacheReadTokens  input tokens served from the prompt cache (Anthropic {@code cache_read_input_tokens},
 *                         Gemini {@code cachedContentTokenCount})
 * @param cacheWriteTokens input tokens written to the prompt cache (Anthropic {@code cache_creation_input_tokens});
 *                         Gemini bills cache storage by the hour instead, so its adapter reports none
 * @param reasoningTokens  of {@code completionTokens}, those the model spent thinking (billed as output, shown apart)
 */
public record TokenCount(long promptTokens, long completionTokens, long cacheReadTokens, long cacheWriteTokens,
                         long reasoningTokens) {

    public TokenCount {
        if (promptTokens < 0 || completionTokens < 0 || cacheReadTokens < 0 || cacheWriteTokens < 0
                || reasoningTokens < 0) {
            throw new IllegalArgumentException("token counts cannot be negative");
        }
    }

    /** Counts without reasoning tokens reported apart. */
    public TokenCount(long promptTokens, long completionTokens, long cacheReadTokens, long cacheWriteTokens) {
        this(promptTokens, completionTokens, cacheReadTokens, cacheWriteTokens, 0);
    }

    /** Counts without any prompt caching. */
    public TokenCount(long promptTokens, long completionTokens) {
        this(promptTokens, completionTokens, 0, 0);
    }

    /** Every input token the model read, cached or not. */
    public long inputTokens() {
        return promptTokens + cacheReadTokens + cacheWriteTokens;
    }

    /** Every token of the call, input (cached or not) and output. */
    public long total() {
        return inputTokens() + completionTokens;
    }
}
