package com.monkeycoder.daemon.ledger;

/**
 * One request that reached a provider. Prompt tokens are the uncached input; cache reads and
 * writes are kept apart because providers price them differently. {@code estimated} marks token counts we derived from
 * text because the provider reported none; {@code status} is {@code ok}, {@code error} or {@code client_closed}. {@code reasoningTokens} are the part of
 * {@code completionTokens} the model spent thinking; {@code sessionId} names the agent session, or is null.
 */
public record LedgerRow(
        String requestId,
        long createdMs,
        String userId,
        String keyId,
        String route,
        String provider,
        String model,
        long promptTokens,
        long completionTokens,
        long cacheReadTokens,
        long cacheWriteTokens,
        long costMicros,
        boolean cached,
        boolean estimated,
        long latencyMs,
        String status,
        String errorCode,
        Integer upstreamStatus,
        long reasoningTokens,
        String sessionId) {

    /** A row without reasoning tokens reported apart and outside any agent session. */
    public LedgerRow(String requestId, long createdMs, String userId, String keyId, String route, String provider,
                     String model, long promptTokens, long completionTokens, long cacheReadTokens,
                     long cacheWriteTokens, long costMicros, boolean cached, boolean estimated, long latencyMs,
                     String status, String errorCode, Integer upstreamStatus) {
        this(requestId, createdMs, userId, keyId, route, provider, model, promptTokens, completionTokens,
                cacheReadTokens, cacheWriteTokens, costMicros, cached, estimated, latencyMs, status, errorCode,
                upstreamStatus, 0, null);
    }
}
