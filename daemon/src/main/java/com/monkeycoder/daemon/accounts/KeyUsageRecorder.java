package com.monkeycoder.daemon.accounts;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps keys' "last used" times off the request path: requests note the time in memory, and a background thread
 * writes what changed every few seconds in one batch.
 */
public final class KeyUsageRecorder implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(KeyUsageRecorder.class.getName());

    private final AccountStore store;
    private final ConcurrentHashMap<String, Long> pending = new ConcurrentHashMap<>();
    private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "key-usage");
        t.setDaemon(true);
        return t;
    });

    public KeyUsageRecorder(AccountStore store) {
        this.store = store;
        flusher.scheduleWithFixedDelay(this::flush, 5, 5, TimeUnit.SECONDS);
    }

    public void touch(String keyId, long nowMs) {
        pending.merge(keyId, nowMs, Math::max);
    }

    /** Writes what is pending now (the key list calls it first, so it shows its own instance's latest use). */
    public synchronized void flush() {
        if (pending.isEmpty()) {
            return;
        }
        Map<String, Long> batch = new HashMap<>();
        for (String keyId : pending.keySet()) {
            Long t = pending.remove(keyId);
            if (t != null) {
                batch.put(keyId, t);
            }
        }
        try {
            store.touchKeys(batch);
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "could not record when keys were last used: " + e.getMessage());
            batch.forEach((k, v) -> pending.merge(k, v, Math::max));
        }
    }

    @Override
    public void close() {
        flusher.shutdown();
        flush();
    }
}
