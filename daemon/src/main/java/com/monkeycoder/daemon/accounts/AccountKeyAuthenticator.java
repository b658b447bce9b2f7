package com.monkeycoder.daemon.accounts;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.monkeycoder.daemon.auth.ApiKeys;
import com.monkeycoder.daemon.auth.Authenticator;
import com.monkeycoder.daemon.auth.Caller;
import com.monkeycoder.daemon.auth.KeyHasher;
import com.monkeycoder.daemon.auth.KeyScope;
import com.monkeycoder.daemon.config.AccessSettings;
import com.monkeycoder.daemon.limits.Plan;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import com.monkeycoder.daemon.errors.ApiError;
import com.monkeycoder.daemon.errors.ErrorCode;

import java.util.EnumSet;
import java.util.Map;
import java.util.HexFormat;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The shared gateway's keys: the presented key's HMAC is looked up in the accounts store and the answer kept in
 * memory for a short while (unknown keys too), so a request costs no database call. Expiry is checked against
 * the clock on every request, and revocation and account changes (disabled, tier, plan, role) against the
 * {@link Revocations} signals, so none waits for the cache to forget. A disabled account's keys are refused with
 * 403 {@code account_disabled}.
 */
public final class AccountKeyAuthenticator implements Authenticator {

    private final AccountStore store;
    private final KeyHasher hasher;
    private final Revocations revocations;
    private final KeyUsageRecorder usage;
    private final Clock clock;
    private final boolean creditLimited;
    private final AccessSettings access;
    private final Cache<String, Lookup> grants;

    /**
     * A cached lookup: the key's grant, or null for a hash no key has (cached too, so guesses cost no query), and
     * its account's change counter as read before the grant was ({@link #UNREAD} on a first load, which the
     * request that made it then checks).
     */
    private record Lookup(KeyGrant grant, long accountVersion) {
    }

    private static final long UNREAD = Long.MIN_VALUE;

    public AccountKeyAuthenticator(AccountStore store, KeyHasher hasher, Revocations revocations, KeyUsageRecorder usage,
                                   Clock clock, Duration cacheTtl, boolean creditLimited) {
        this(store, hasher, revocations, usage, clock, cacheTtl, creditLimited, AccessSettings.NONE);
    }

    /** @param access who the operator made admins: a key's admin scope counts only while its account is listed */
    public AccountKeyAuthenticator(AccountStore store, KeyHasher hasher, Revocations revocations, KeyUsageRecorder usage,
                                   Clock clock, Duration cacheTtl, boolean creditLimited, AccessSettings access) {
        this.access = access;
        this.store = store;
        this.hasher = hasher;
        this.revocations = revocations;
        this.usage = usage;
        this.clock = clock;
        this.creditLimited = creditLimited;
        this.grants = Caffeine.newBuilder()
                .maximumSize(100_000)
                .expireAfterWrite(cacheTtl)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .build();
    }

    /** The stored form of a key: hex of its HMAC with the server's secret. */
    public static String storedHash(KeyHasher hasher, String key) {
        return HexFormat.of().formatHex(hasher.hash(key));
    }

    @Override
    public Optional<Caller> authenticate(String presentedKey) {
        if (presentedKey == null
                || !(presentedKey.startsWith(ApiKeys.LIVE_PREFIX) || presentedKey.startsWith(ApiKeys.TEST_PREFIX))) {
            return Optional.empty();
        }
        String hash = storedHash(hasher, presentedKey.strip());
        Lookup lookup = grants.get(hash, h -> load(h, UNREAD));
        if (lookup.grant() == null) {
            return Optional.empty();
        }
        ApiKeyRecord cached = lookup.grant().key();
        Revocations.Marks marks = revocations.marks(cached.id(), cached.accountId());
        if (marks.revoked()) {
            return Optional.empty();
        }
        if (marks.accountVersion() != lookup.accountVersion()) {
            // The account changed (disabled, tier, plan, role) since this grant was read, here or on another
            // instance: read it again. The counter was read first, so a change racing this read bumps it again.
            lookup = load(hash, marks.accountVersion());
            grants.put(hash, lookup);
            if (lookup.grant() == null) {
                return Optional.empty();
            }
        }
        KeyGrant grant = lookup.grant();
        ApiKeyRecord key = grant.key();
        long now = clock.millis();
        if (key.revokedMs() != null || (key.expiresMs() != null && now >= key.expiresMs())) {
            return Optional.empty();
        }
        if (grant.accountDisabledMs() != null) {
            throw new ApiError(ErrorCode.FORBIDDEN, "this account is disabled: its keys and logins are refused until"
                    + " an administrator enables it", Map.of("reason", "account_disabled"), null);
        }
        usage.touch(key.id(), now);
        // A test key draws on no balance: it reaches only the demo provider, which costs nothing.
        Plan plan = Plan.withOverrides(grant.tier(), key.requestsPerHour(), key.requestsPerMonth(),
                creditLimited && !key.test());
        Set<KeyScope> scopes = key.scopes();
        if (scopes.contains(KeyScope.ADMIN) && grant.role() != Role.ADMIN && !access.isAdmin(grant.email())) {
            EnumSet<KeyScope> held = EnumSet.copyOf(scopes);
            held.remove(KeyScope.ADMIN); // no longer an admin: neither the admin role nor listed in admin_emails
            scopes = held;
        }
        return Optional.of(new Caller(key.accountId(), key.id(), plan, scopes, key.allowedCidrs(), key.test()));
    }

    /** Forgets every cached answer (after a tier change, say); revocations need not wait for this. */
    public void forgetAll() {
        grants.invalidateAll();
    }

    private Lookup load(String hash, long accountVersion) {
        try {
            return new Lookup(store.keyByHash(hash).orElse(null), accountVersion);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read API keys from the database: " + e.getMessage(), e);
        }
    }
}
