package com.monkeycoder.daemon.dashboard;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The local daemon's browser sessions, in memory: a restart signs the browser out, which costs one
 * {@code monkey dashboard}. Expired sessions are dropped whenever one is saved, so the map stays as small as the
 * sessions alive.
 */
public final class MemoryBrowserSessionStore implements BrowserSessionStore {

    /** More than one person opens at once on one machine; past this the oldest-expiring is dropped. */
    static final int MAX_SESSIONS = 1_000;

    private final ConcurrentHashMap<String, BrowserSession> sessions = new ConcurrentHashMap<>();
    private final Clock clock;

    public MemoryBrowserSessionStore(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void save(BrowserSession session) {
        long now = clock.millis();
        sessions.values().removeIf(s -> s.expiresMs() <= now);
        if (sessions.size() >= MAX_SESSIONS) {
            sessions.values().stream().min(java.util.Comparator.comparingLong(BrowserSession::expiresMs))
                    .ifPresent(oldest -> sessions.remove(oldest.idHash()));
        }
        sessions.put(session.idHash(), session);
    }

    @Override
    public Optional<BrowserSession> find(String idHash) {
        return Optional.ofNullable(sessions.get(idHash));
    }

    @Override
    public void delete(String idHash) {
        sessions.remove(idHash);
    }

    @Override
    public java.util.List<BrowserSession> ofAccount(String accountId) {
        long now = clock.millis();
        return sessions.values().stream().filter(s -> s.accountId().equals(accountId) && s.expiresMs() > now)
                .toList();
    }
}
