package com.monkeycoder.daemon.store;

import java.sql.SQLException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Deletes what the stores keep only for a while (audit events past their retention, ended sessions), at start and
 * then once a day. Every instance runs it; the deletes are idempotent, so N instances deleting the same rows is
 * harmless. A purge that fails is logged and tried again the next day; it never stops the gateway.
 */
public final class Housekeeping implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Housekeeping.class.getName());

    /** One kind of row to delete: given the time now, deletes what is past keeping; returns how many rows. */
    @FunctionalInterface
    public interface Purge {
        int run(long nowMs) throws SQLException;
    }

    private final Clock clock;
    private final Map<String, Purge> purges;
    private final ScheduledExecutorService timer;

    /** @param purges by a name for the log ("audit log", "ended sessions"), run in this order */
    public Housekeeping(Clock clock, Map<String, Purge> purges) {
        this.clock = clock;
        this.purges = new LinkedHashMap<>(purges);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "housekeeping");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::runNow, 0, 1, TimeUnit.DAYS);
    }

    /** Runs every purge now; how many rows each deleted (-1 for one that failed). */
    public synchronized Map<String, Integer> runNow() {
        Map<String, Integer> deleted = new LinkedHashMap<>();
        long now = clock.millis();
        purges.forEach((name, purge) -> {
            try {
                deleted.put(name, purge.run(now));
            } catch (SQLException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "housekeeping: cannot purge the " + name + ": " + e.getMessage());
                deleted.put(name, -1);
            }
        });
        return deleted;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
