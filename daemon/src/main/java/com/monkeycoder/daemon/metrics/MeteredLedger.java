package com.monkeycoder.daemon.metrics;

import com.monkeycoder.daemon.ledger.Ledger;
import com.monkeycoder.daemon.ledger.LedgerException;
import com.monkeycoder.daemon.ledger.LedgerRow;
import com.monkeycoder.shared.wire.UsageReport;

import java.time.Instant;
import java.util.Optional;

/**
 * A ledger that counts what it records: each committed row adds its tokens and cost to the metrics and tells
 * the request's trace who served it. Every row of every route passes here, so no route counts on its own.
 */
public final class MeteredLedger implements Ledger {

    private final Ledger ledger;
    private final GatewayMetrics metrics;

    public MeteredLedger(Ledger ledger, GatewayMetrics metrics) {
        this.ledger = ledger;
        this.metrics = metrics;
    }

    @Override
    public void record(LedgerRow row) throws LedgerException {
        ledger.record(row);
        metrics.recorded(row);
    }

    @Override
    public UsageReport usage(Instant from, Instant to, String userId) throws LedgerException {
        return ledger.usage(from, to, userId);
    }

    @Override
    public long count(String requestId) throws LedgerException {
        return ledger.count(requestId);
    }

    @Override
    public Optional<LedgerRow> find(String requestId) throws LedgerException {
        return ledger.find(requestId);
    }

    @Override
    public boolean healthy() {
        return ledger.healthy();
    }

    @Override
    public void close() {
        ledger.close();
    }
}
