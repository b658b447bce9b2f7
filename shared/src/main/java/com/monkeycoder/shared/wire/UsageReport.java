package com.monkeycoder.shared.wire;

import java.util.List;

/** The body of {@code GET /v1/billing/usage}: the ledger aggregated over a window. */
public record UsageReport(String from, String to, Bucket totals, List<Bucket> byModel, List<Bucket> byProvider,
                          List<Bucket> byDay) {

    /** One aggregate: {@code key} is the model, provider or day it groups by (null for the totals). */
    public record Bucket(String key, long requests, long errors, long cachedRequests, long promptTokens,
                         long completionTokens, long costMicros, double costUsd) {
    }
}
