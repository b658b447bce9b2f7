package com.monkeycoder.shared.wire;

import java.util.List;

/**
 * The body of {@code GET /v1/billing/usage}: the ledger aggregated over a window (by key: the key's id; by session:
 * the agent session each request named, requests without one left out).
 */
public record UsageReport(String from, String to, Bucket totals, List<Bucket> byModel, List<Bucket> byProvider,
                          List<Bucket> byDay, List<Bucket> byKey, List<Bucket> bySession) {

    /**
     * One aggregate: {@code key} is the model, provider or day it groups by (null for the totals). Prompt tokens
     * are the uncached input; cache reads and writes are counted apart, as providers price them apart.
     */
    public record Bucket(String key, long requests, long errors, long cachedRequests, long promptTokens,
                         long completionTokens, long cacheReadTokens, long cacheWriteTokens, long costMicros,
                         double costUsd) {
    }
}
