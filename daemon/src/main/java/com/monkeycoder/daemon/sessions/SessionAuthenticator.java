package com.monkeycoder.daemon.sessions;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.monkeycoder.daemon.accounts.Account;
import com.monkeycoder.daemon.accounts.AccountStore;
import com.monkeycoder.daemon.accounts.Revocations;
import com.monkeycoder.daemon.auth.Authenticator;
import com.monkeycoder.daemon.auth.Caller;
import com.monkeycoder.daemon.auth.KeyScope;
import com.monkeycoder.daemon.config.AccessSettings;
import com.monkeycoder.daemon.limits.Plan;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Access tokens as callers: a valid JWT whose session has no revocation marker (one Redis {@code EXISTS} per
 * request, as for keys) is its account with the token's scopes, the account's tier read through a short cache (as
 * key lookups are). The caller's key id is the session id, so the ledger and limits name the session. A token's
 * {@code admin} counts only while the account is still an admin, as a key's does.
 */
public final class SessionAuthenticator implements Authenticator {

    /** A session's last use is written at most this often (a token may make many requests a second). */
    private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);
    private static final System.Logger LOG = System.getLogger(SessionAuthenticator.class.getName());

    private final AccessTokens tokens;
    private final Revocations revocations;
    private final AccountStore accounts;
    private final JdbcSessionStore sessions;
    private final AccessSettings access;
    private final Clock clock;
    private final boolean creditLimited;
    private final Cache<String, CachedAccount> accountCache;

    /** An account as read, with its change counter as read before it (a later change makes it stale at once). */
    private record CachedAccount(Optional<Account> account, long version) {
    }
    private final Cache<String, Long> touched;

    public SessionAuthenticator(AccessTokens tokens, Revocations revocations, AccountStore accounts,
                                JdbcSessionStore sessions, AccessSettings access, Clock clock, Duration cacheTtl,
                                boolean creditLimited) {
        this.tokens = tokens;
        this.revocations = revocations;
        this.accounts = accounts;
        this.sessions = sessions;
        this.access = access;
        this.clock = clock;
        this.creditLimited = creditLimited;
        this.accountCache = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(cacheTtl)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis())).build();
        this.touched = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(TOUCH_EVERY)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis())).build();
    }

    @Override
    public Optional<Caller> authenticate(String presented) {
        if (presented == null || presented.isBlank()) {
            return Optional.empty();
        }
        Optional<AccessTokens.Claims> claims = tokens.verify(presented.strip());
        if (claims.isEmpty()) {
            return Optional.empty();
        }
        AccessTokens.Claims c = claims.get();
        // The session's revocation and the account's change counter in one read: a disabled account, or a new
        // tier or role, counts on the next request on every instance, as for keys.
        Revocations.Marks marks = revocations.marks(c.sessionId(), c.accountId());
        if (marks.revoked()) {
            return Optional.empty();
        }
        CachedAccount cached = accountCache.getIfPresent(c.accountId());
        if (cached == null || cached.version() != marks.accountVersion()) {
            cached = new CachedAccount(load(c.accountId()), marks.accountVersion());
            accountCache.put(c.accountId(), cached);
        }
        Optional<Account> account = cached.account();
        if (account.isEmpty() || account.get().disabled()) {
            return Optional.empty();
        }
        Set<KeyScope> scopes = c.scopes();
        if (scopes.contains(KeyScope.ADMIN) && account.get().role() != com.monkeycoder.daemon.accounts.Role.ADMIN
                && !access.isAdmin(account.get().email())) {
            EnumSet<KeyScope> held = EnumSet.copyOf(scopes);
            held.remove(KeyScope.ADMIN);
            scopes = held;
        }
        touch(c.sessionId());
        return Optional.of(new Caller(c.accountId(), c.sessionId(), Plan.of(account.get().tier(), creditLimited), scopes));
    }

    private Optional<Account> load(String accountId) {
        try {
            return accounts.account(accountId);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read accounts from the database: " + e.getMessage(), e);
        }
    }

    /** Last use, for {@code GET /v1/auth/sessions}; a failure to write it refuses nothing. */
    private void touch(String sessionId) {
        if (touched.getIfPresent(sessionId) != null) {
            return;
        }
        long now = clock.millis();
        touched.put(sessionId, now);
        try {
            sessions.touchLastUsed(sessionId, now);
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.DEBUG, "could not record a session's last use: " + e.getMessage());
        }
    }
}
