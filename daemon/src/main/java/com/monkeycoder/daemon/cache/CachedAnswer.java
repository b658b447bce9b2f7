package com.monkeycoder.daemon.cache;

/**
 * An answer kept in the response cache: what the provider said and what it counted, so a hit can be replayed
 * whole or as a stream and recorded in the ledger (at no cost) with the tokens the original request used.
 */
public record CachedAnswer(String provider, String model, String content, String finishReason, long promptTokens,
                           long completionTokens, long cacheReadTokens, long cacheWriteTokens) {
}
