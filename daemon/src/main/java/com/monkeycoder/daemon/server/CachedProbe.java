package com.monkeycoder.daemon.server;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * A readiness check of a dependency (Redis's PING): true when the check returns, false when it throws. Its answer is
 * kept for a short while, so a balancer asking {@code /ready} often costs the dependency one check per period.
 */
public final class CachedProbe implements BooleanSupplier {

    /** A check that throws when the dependency does not answer. */
    @FunctionalInterface
    public interface Check {
        void run() throws Exception;
    }

    private final Check check;
    private final long keepNanos;
    private volatile long checkedNanos;
    private volatile boolean ok;
    private volatile boolean checked;

    public CachedProbe(Check check, Duration keep) {
        this.check = check;
        this.keepNanos = keep.toNanos();
    }

    @Override
    public synchronized boolean getAsBoolean() {
        long now = System.nanoTime();
        if (checked && now - checkedNanos < keepNanos) {
            return ok;
        }
        try {
            check.run();
            ok = true;
        } catch (Exception e) {
            ok = false;
        }
        checked = true;
        checkedNanos = System.nanoTime();
        return ok;
    }
}
