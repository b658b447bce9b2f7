package com.monkeycoder.daemon.audit;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Deletes audit events older than the retention, at start and then once a day. Every instance runs it; the
 * delete is idempotent, so N instances deleting the same rows is harmless.
 */
public final class AuditRetention implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(AuditRetention.class.getName());

    private final AuditLog audit;
    private final Clock clock;
    private final Duration retention;
    private final ScheduledExecutorService timer;

    public AuditRetention(AuditLog audit, Clock clock, Duration retention) {
        this.audit = audit;
        this.clock = clock;
        this.retention = retention;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "audit-retention");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::purge, 0, 1, TimeUnit.DAYS);
    }

    /** Deletes what is past the retention now; returns how many events. */
    public int purge() {
        try {
            return audit.purgeOlderThan(clock.millis() - retention.toMillis());
        } catch (SQLException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "audit log retention: " + e.getMessage());
            return 0;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
