package com.monkeycoder.daemon.ledger;

import com.monkeycoder.shared.wire.UsageReport;

import java.time.Instant;

/** The usage ledger: the one record of what every request cost. */
public interface Ledger extends AutoCloseable {

    /**
     * Records a row and returns once it is committed. Recording the same request id twice keeps the first
     * row, so a retried write never counts a request twice.
     */
    void record(LedgerRow row) throws LedgerException;

    /** The ledger aggregated over {@code [from, to)}. */
    default UsageReport usage(Instant from, Instant to) throws LedgerException {
        return usage(from, to, null);
    }

    /** The ledger aggregated over {@code [from, to)} for one user's requests, or everyone's when {@code userId} is null. */
    UsageReport usage(Instant from, Instant to, String userId) throws LedgerException;

    /** Rows for one request id (0 or 1), for tests and support. */
    long count(String requestId) throws LedgerException;

    /** The row of one request, for support and tests. */
    java.util.Optional<LedgerRow> find(String requestId) throws LedgerException;

    /**
     * Whether the store can take rows now, cheaply enough for a readiness probe ({@code GET /ready}): no query,
     * only what the ledger already knows. Stores that cannot tell answer true.
     */
    default boolean healthy() {
        return true;
    }

    @Override
    void close();
}
