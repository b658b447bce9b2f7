package com.monkeycoder.daemon.dashboard;

import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
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

    /** The account's live sessions, the newest first. */
    public List<BrowserSession> ofAccount(String accountId) {
        long now = clock.millis();
        return store.ofAccount(accountId).stream().filter(s -> s.expiresMs() > now)
                .sorted(Comparator.comparingLong(BrowserSession::expiresMs).reversed()).toList();
    }

    /**
     * Signs out the account's session whose {@link #publicId} is {@code id}; false when the account has none such
     * (another account's id finds nothing: only the caller's own sessions are searched).
     */
    public boolean closeById(String accountId, String id) {
        for (BrowserSession s : store.ofAccount(accountId)) {
            if (publicId(s).equals(id)) {
                store.delete(s.idHash());
                return true;
            }
        }
        return false;
    }

    /**
     * Signs out every session of the account, on every instance (a password reset: a browser signed in with the old
     * password, perhaps by whoever learnt it, must not outlive it). Answers the public ids of those ended.
     */
    public List<String> closeAll(String accountId) {
        List<BrowserSession> sessions = store.ofAccount(accountId);
        sessions.forEach(s -> store.delete(s.idHash()));
        return sessions.stream().map(BrowserSessions::publicId).toList();
    }

    /**
     * How a session is named to its owner and in the audit log: the start of its cookie's hash, which tells nothing
     * about the cookie and, alone, signs nobody in.
     */
    public static String publicId(BrowserSession session) {
        return "web_" + session.idHash().substring(0, 24);
    }

    /** When a session began: sessions all last {@link #lifetime}. */
    public long createdMs(BrowserSession session) {
        return session.expiresMs() - lifetime.toMillis();
    }

    public Duration lifetime() {
        return lifetime;
    }
}
