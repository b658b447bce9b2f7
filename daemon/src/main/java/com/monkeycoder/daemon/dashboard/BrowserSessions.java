package com.monkeycoder.daemon.dashboard;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Dashboard sign-ins, whatever proved them: the local daemon's one-time link ({@link LoginLinks}) or a shared
 * gateway's email and password. Either way the browser gets the same thing, an opaque random cookie whose hash the
 * store keeps with whom it acts for, a CSRF token and an end; signing out deletes it everywhere at once.
 */
public final class BrowserSessions {

    /** A session just opened: the cookie value (given to the browser once, never stored) and what is kept. */
    public record Opened(String cookie, BrowserSession session) {
    }

    private final BrowserSessionStore store;
    private final Clock clock;
    private final Duration lifetime;

    public BrowserSessions(BrowserSessionStore store, Clock clock, Duration lifetime) {
        this.store = store;
        this.clock = clock;
        this.lifetime = lifetime;
    }

    /** A new session for {@code accountId} ({@code local} on the local daemon), shown as {@code label}. */
    public Opened open(String accountId, String label) {
        String cookie = Secrets.random();
        BrowserSession session = new BrowserSession(Secrets.hash(cookie), accountId, label, Secrets.random(),
                clock.millis() + lifetime.toMillis());
        store.save(session);
        return new Opened(cookie, session);
    }

    /** The live session a cookie names; empty for a made-up, signed-out or expired one. */
    public Optional<BrowserSession> find(String cookie) {
        if (!Secrets.wellFormed(cookie)) {
            return Optional.empty();
        }
        return store.find(Secrets.hash(cookie)).filter(s -> s.expiresMs() > clock.millis());
    }

    /** Whether {@code presented} (the page's {@code X-CSRF-Token}) is this session's token, in constant time. */
    public static boolean csrfMatches(BrowserSession session, String presented) {
        return Secrets.equal(session.csrfToken(), presented);
    }

    /** Signs a session out: its cookie is refused from now on, on every instance. */
    public void close(String cookie) {
        if (Secrets.wellFormed(cookie)) {
            store.delete(Secrets.hash(cookie));
        }
    }

    public Duration lifetime() {
        return lifetime;
    }
}
