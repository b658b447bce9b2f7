package com.monkeycoder.daemon.cache;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An answer kept in the response cache: what the provider said (its parts, as the native JSON writes them: text,
 * thinking, tool calls) and what it counted, so a hit can be replayed whole or as a stream and recorded in the
 * ledger (at no cost) with the tokens the original request used.
 */
public record CachedAnswer(String provider, String model, JsonNode parts, String finishReason, long promptTokens,
                           long completionTokens, long cacheReadTokens, long cacheWriteTokens, long reasoningTokens) {
}
