package com.monkeycoder.daemon.dashboard;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The local daemon's one-time sign-in links: {@code monkey dashboard}, holding the local key, asks for a token; the
 * browser that follows the link first trades it for a session. A token works once and for {@link #LIFETIME} only,
 * and is kept as its hash, in memory (a daemon restart voids the links not yet used).
 */
public final class LoginLinks {

    public static final Duration LIFETIME = Duration.ofSeconds(60);
    /** Tokens waiting at once, at most: each costs a request with the local key, so this only bounds memory. */
    static final int MAX_PENDING = 100;

    /** A token to put in the link, once, and when it stops working. */
    public record Issued(String token, long expiresMs) {
    }

    private final ConcurrentHashMap<String, Long> pending = new ConcurrentHashMap<>();
    private final Clock clock;

    public LoginLinks(Clock clock) {
        this.clock = clock;
    }

    public Issued issue() {
        long now = clock.millis();
        pending.values().removeIf(expires -> expires <= now);
        if (pending.size() >= MAX_PENDING) {
            pending.entrySet().stream().min(java.util.Map.Entry.comparingByValue())
                    .ifPresent(oldest -> pending.remove(oldest.getKey()));
        }
        String token = Secrets.random();
        long expires = now + LIFETIME.toMillis();
        pending.put(Secrets.hash(token), expires);
        return new Issued(token, expires);
    }

    /**
     * Uses a token up: true once for a token issued less than {@link #LIFETIME} ago, false for a used, expired or
     * unknown one. The removal is the check, so two browsers racing with one link cannot both get in.
     */
    public boolean redeem(String token) {
        if (!Secrets.wellFormed(token)) {
            return false;
        }
        Long expires = pending.remove(Secrets.hash(token));
        return expires != null && clock.millis() < expires;
    }
}
