package com.monkeycoder.daemon.accounts;

import com.monkeycoder.shared.text.HumanDuration;
import com.monkeycoder.daemon.audit.AuditActions;
import com.monkeycoder.daemon.audit.AuditEvent;
import com.monkeycoder.daemon.audit.Origin;
import com.monkeycoder.daemon.auth.ApiKeys;
import com.monkeycoder.daemon.auth.Caller;
import com.monkeycoder.daemon.auth.KeyHasher;
import com.monkeycoder.daemon.auth.KeyScope;
import com.monkeycoder.daemon.config.AccessSettings;
import com.monkeycoder.daemon.limits.RateLimiter;
import com.monkeycoder.daemon.limits.Tier;
import com.monkeycoder.daemon.errors.ApiError;
import com.monkeycoder.daemon.errors.ErrorCode;

import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Accounts and keys of the shared gateway: register, log in, list, create and revoke keys. A key
 * is shown once, when it is made; the store keeps its HMAC and a display prefix. Logins are throttled per email
 * and per client address in the shared limiter, so N instances throttle as one.
 */
public final class AccountService {

    /** Attempts allowed per window, per email and per client address. */
    static final int LOGINS_PER_EMAIL = 10;
    static final int LOGINS_PER_ADDRESS = 30;
    static final Duration LOGIN_WINDOW = Duration.ofMinutes(15);
    /** Keys an account may create through {@code POST /v1/auth/keys} per clock hour. */
    static final int KEY_CREATIONS_PER_HOUR = 10;

    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AccountStore store;
    private final KeyHasher keyHasher;
    private final PasswordHasher passwords;
    private final Revocations revocations;
    private final RateLimiter limiter;
    private final KeyUsageRecorder usage;
    private final Clock clock;
    private final long starterCreditMicros;
    private final AccessSettings access;
    private final int maxKeysPerAccount;
    private final int signupsPerHour;
    private final AccountChanges changes;

    /**
     * @param maxKeysPerAccount active keys an account may hold before {@code POST /v1/auth/keys} is refused
     * @param signupsPerHour    registrations per clock hour, all clients and instances together
     * @param access            the operator's admin emails, whose register and login keys also get the admin scope
     * @param changes           where account changes and the audit log are written
     */
    public AccountService(AccountStore store, KeyHasher keyHasher, PasswordHasher passwords, Revocations revocations,
                          RateLimiter limiter, KeyUsageRecorder usage, Clock clock, long starterCreditMicros,
                          int maxKeysPerAccount, int signupsPerHour, AccessSettings access, AccountChanges changes) {
        this.access = access;
        this.store = store;
        this.keyHasher = keyHasher;
        this.passwords = passwords;
        this.revocations = revocations;
        this.limiter = limiter;
        this.usage = usage;
        this.clock = clock;
        this.starterCreditMicros = starterCreditMicros;
        this.maxKeysPerAccount = maxKeysPerAccount;
        this.signupsPerHour = signupsPerHour;
        this.changes = changes;
    }

    /** An account with a key just made: the body of register and login. */
    public record Session(Account account, String apiKey, ApiKeyRecord key) {
    }

    /** A key just made, with the key itself (shown this once). */
    public record NewKey(String apiKey, ApiKeyRecord key) {
    }

    /**
     * @param clientAddress the client's throttle bucket: its address, or its IPv6 /64, as the trusted proxies
     *                      report it
     * @param origin        the client's address and User-Agent, for the audit log
     */
    public Session register(String email, String password, String clientAddress, Origin origin) throws SQLException {
        throttle("register:" + clientAddress, LOGINS_PER_ADDRESS);
        String normalized = validEmail(email);
        validPassword(password);
        // The whole gateway's budget, counted before any hashing: farming accounts (and their starter credits)
        // from many addresses stops here.
        RateLimiter.Hit signups = limiter.hit("signups", Duration.ofHours(1), clock.instant());
        if (signups.count() > signupsPerHour) {
            long seconds = Math.max(1, signups.resetIn().toSeconds());
            throw new ApiError(ErrorCode.RATE_LIMIT_EXCEEDED, "this gateway takes no more registrations this hour;"
                    + " try again in " + HumanDuration.seconds(seconds), Map.of("reason", "signup_budget"), Duration.ofSeconds(seconds));
        }
        long now = clock.millis();
        Account account = new Account(id("usr_"), normalized, passwords.hash(password), Tier.FREE, starterCreditMicros, now);
        String apiKey = ApiKeys.generate(ApiKeys.LIVE_PREFIX);
        ApiKeyRecord key = newKey(account.id(), apiKey, "default", null, null, null, now, sessionScopes(normalized));
        try {
            store.createAccount(account, key, AccountKeyAuthenticator.storedHash(keyHasher, apiKey));
        } catch (AccountStore.DuplicateEmail e) {
            throw ApiError.validation("email", "is already registered: log in instead (POST /v1/auth/login)");
        }
        audit(AuditEvent.of(AuditActions.REGISTER, account.id(), account.id(), key.id(), origin, Map.of()));
        return new Session(account, apiKey, key);
    }

    public Session login(String email, String password, String clientAddress, Origin origin) throws SQLException {
        Account account = checkPassword(email, password, clientAddress, origin);
        NewKey key = createKey(account.id(), "login " + clock.instant().toString().substring(0, 10), null, null,
                null, sessionScopes(account.email()), false);
        audit(AuditEvent.of(AuditActions.LOGIN, account.id(), account.id(), key.key().id(), origin, Map.of()));
        return new Session(account, key.apiKey(), key.key());
    }

    /**
     * The account an email and password prove, throttled per email and per client address like a login, with a
     * failed attempt in the audit log; 401 {@code wrong email or password} otherwise, whichever was wrong. The
     * dashboard's sign-in uses this and opens a browser session instead of making a key.
     */
    public Account checkPassword(String email, String password, String clientAddress, Origin origin) throws SQLException {
        if (email == null || password == null) {
            throw ApiError.validation(email == null ? "email" : "password", "is required");
        }
        String normalized = email.strip().toLowerCase(Locale.ROOT);
        throttle("login-address:" + clientAddress, LOGINS_PER_ADDRESS);
        throttle("login-email:" + normalized, LOGINS_PER_EMAIL);
        var account = store.accountByEmail(normalized);
        if (account.isEmpty()) {
            passwords.verifyNothing(password); // as slow as a wrong password: timing tells nothing about who has an account
            throw ApiError.unauthorized("wrong email or password");
        }
        if (!passwords.verify(password, account.get().passwordHash())) {
            audit(AuditEvent.of(AuditActions.LOGIN_FAILED, account.get().id(), account.get().id(), null, origin,
                    Map.of("reason", "wrong_password")));
            throw ApiError.unauthorized("wrong email or password");
        }
        return account.get();
    }

    /** Writes a successful sign-in that made no key (the dashboard's) to the audit log. */
    public void signedIn(Account account, String sessionKeyId, Origin origin, Map<String, Object> details) {
        audit(AuditEvent.of(AuditActions.LOGIN, account.id(), account.id(), sessionKeyId, origin, details));
    }

    public List<ApiKeyRecord> keys(Caller caller) throws SQLException {
        usage.flush();
        return store.keys(caller.userId());
    }

    /**
     * A new key for the caller's account. Its limits may only be lower than its tier's: raising them is for
     * operators, in the database.
     */
    /**
     * The same with the scopes asked for: null for {@link KeyScope#DEFAULT_NEW_KEY} ({@code chat}); never a scope the
     * caller's own key lacks (403), so a key can pass on no more than it holds, and {@code admin} only from an admin.
     */
    public NewKey createKey(Caller caller, String name, Integer expiresInDays, Long perHour, Long perMonth,
                            Set<KeyScope> scopes, Origin origin) throws SQLException {
        if (!caller.has(KeyScope.KEYS)) {
            throw new ApiError(ErrorCode.FORBIDDEN, "this key lacks the 'keys' scope: create keys with the key"
                    + " register or login gave");
        }
        Set<KeyScope> wanted = scopes == null ? KeyScope.DEFAULT_NEW_KEY : scopes;
        if (wanted.isEmpty()) {
            throw ApiError.validation("scopes", "must name at least one of chat, keys, billing, admin");
        }
        for (KeyScope s : wanted) {
            if (!caller.has(s)) {
                throw new ApiError(ErrorCode.FORBIDDEN, "a key can only be given scopes the key creating it has;"
                        + " yours lacks '" + s.wireName() + "'");
            }
        }
        Tier tier = caller.plan().tier();
        if (perHour != null && (perHour < 1 || perHour > tier.requestsPerHour())) {
            throw ApiError.validation("requests_per_hour", "must be from 1 to your tier's " + tier.requestsPerHour());
        }
        if (perMonth != null && (perMonth < 1 || (tier.requestsPerMonth() != Tier.NO_CAP && perMonth > tier.requestsPerMonth()))) {
            throw ApiError.validation("requests_per_month", "must be at least 1 and at most your tier's monthly quota");
        }
        validKeyFields(name, expiresInDays);
        RateLimiter.Hit hit = limiter.hit("key-create:" + caller.userId(), Duration.ofHours(1), clock.instant());
        if (hit.count() > KEY_CREATIONS_PER_HOUR) {
            long seconds = Math.max(1, hit.resetIn().toSeconds());
            throw new ApiError(ErrorCode.RATE_LIMIT_EXCEEDED, "an account may create " + KEY_CREATIONS_PER_HOUR
                    + " keys an hour; try again in " + HumanDuration.seconds(seconds), Map.of("reason", "key_creation_throttled"),
                    Duration.ofSeconds(seconds));
        }
        NewKey created = createKey(caller.userId(), name, expiresInDays, perHour, perMonth, wanted, true);
        audit(AuditEvent.of(AuditActions.KEY_CREATED, caller.userId(), caller.userId(), created.key().id(), origin,
                Map.of("name", name == null ? "" : name, "scopes", KeyScope.format(wanted))));
        return created;
    }

    private static void validKeyFields(String name, Integer expiresInDays) {
        if (name != null && (name.isBlank() || name.length() > 100)) {
            throw ApiError.validation("name", "must be 1 to 100 characters");
        }
        if (expiresInDays != null && (expiresInDays < 1 || expiresInDays > 3650)) {
            throw ApiError.validation("expires_in_days", "must be a whole number from 1 to 3650");
        }
    }

    /**
     * @param capped whether the account's key cap applies: not to the key a login makes, since login is how a
     *               user who lost their keys gets back in (logins are throttled per email instead)
     */
    private NewKey createKey(String accountId, String name, Integer expiresInDays, Long perHour, Long perMonth,
                             Set<KeyScope> scopes, boolean capped) throws SQLException {
        validKeyFields(name, expiresInDays);
        long now = clock.millis();
        String apiKey = ApiKeys.generate(ApiKeys.LIVE_PREFIX);
        Long expires = expiresInDays == null ? null : now + Duration.ofDays(expiresInDays).toMillis();
        ApiKeyRecord key = newKey(accountId, apiKey, name, expires, perHour, perMonth, now, scopes);
        String hash = AccountKeyAuthenticator.storedHash(keyHasher, apiKey);
        if (!capped) {
            store.insertKey(key, hash);
        } else if (!store.insertKeyWithin(key, hash, maxKeysPerAccount, now)) {
            throw new ApiError(ErrorCode.FORBIDDEN, "this account has " + maxKeysPerAccount + " active keys, the most"
                    + " it may have; revoke one first (GET /v1/auth/keys lists them, DELETE /v1/auth/keys/{id} revokes)",
                    Map.of("reason", "key_limit", "max_keys", maxKeysPerAccount), null);
        }
        return new NewKey(apiKey, key);
    }

    /** Revokes one of the caller's keys, at once on every instance. */
    public void revoke(Caller caller, String keyId, Origin origin) throws SQLException {
        if (!caller.has(KeyScope.KEYS)) {
            throw new ApiError(ErrorCode.FORBIDDEN, "this key lacks the 'keys' scope: revoke keys with the key"
                    + " register or login gave");
        }
        if (!store.revokeKey(caller.userId(), keyId, clock.millis())) {
            throw ApiError.notFound("you have no active key " + keyId + " (GET /v1/auth/keys lists them)");
        }
        revocations.revoke(keyId);
        audit(AuditEvent.of(AuditActions.KEY_REVOKED, caller.userId(), caller.userId(), keyId, origin, Map.of()));
    }

    /**
     * Writes an event on its own: for events that change nothing else (a login, a failed one) or whose change
     * committed already. A failure to write is logged, not the caller's error: the user's action stands.
     */
    private void audit(AuditEvent event) {
        try {
            changes.audit().record(event);
        } catch (SQLException e) {
            System.getLogger(AccountService.class.getName()).log(System.Logger.Level.WARNING,
                    "audit log write failed for " + event.action() + ": " + e.getMessage());
        }
    }

    public AccountChanges changes() {
        return changes;
    }

    private void throttle(String subject, int limit) {
        RateLimiter.Hit hit = limiter.hit(subject, LOGIN_WINDOW, clock.instant());
        if (hit.count() > limit) {
            long seconds = Math.max(1, hit.resetIn().toSeconds());
            throw new ApiError(ErrorCode.RATE_LIMIT_EXCEEDED, "too many attempts; try again in " + HumanDuration.seconds(seconds),
                    Map.of("reason", "login_throttled"), Duration.ofSeconds(seconds));
        }
    }

    private static String validEmail(String email) {
        if (email == null || email.isBlank()) {
            throw ApiError.validation("email", "is required");
        }
        String e = email.strip().toLowerCase(Locale.ROOT);
        if (e.length() > 254 || !EMAIL.matcher(e).matches()) {
            throw ApiError.validation("email", "is not an email address");
        }
        return e;
    }

    private static void validPassword(String password) {
        if (password == null || password.isEmpty()) {
            throw ApiError.validation("password", "is required");
        }
        if (password.length() < 8 || password.length() > 1024) {
            throw ApiError.validation("password", "must be 8 to 1024 characters");
        }
    }

    /** A register or login key's scopes: chat, keys and billing, and admin for an email the operator listed. */
    private Set<KeyScope> sessionScopes(String email) {
        if (!access.isAdmin(email)) {
            return KeyScope.SESSION;
        }
        EnumSet<KeyScope> scopes = EnumSet.copyOf(KeyScope.SESSION);
        scopes.add(KeyScope.ADMIN);
        return scopes;
    }

    private static ApiKeyRecord newKey(String accountId, String apiKey, String name, Long expiresMs, Long perHour,
                                       Long perMonth, long now, Set<KeyScope> scopes) {
        return new ApiKeyRecord(id("key_"), accountId, ApiKeys.displayPrefix(apiKey), name, now, null, expiresMs, null,
                perHour, perMonth, scopes);
    }

    private static String id(String prefix) {
        byte[] b = new byte[12];
        RANDOM.nextBytes(b);
        return prefix + HexFormat.of().formatHex(b);
    }

    /** A key as {@code GET /v1/auth/keys} shows it: everything but the key. */
    public static Map<String, Object> describe(ApiKeyRecord k, long nowMs) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", k.id());
        out.put("prefix", k.prefix());
        out.put("name", k.name());
        out.put("created_at", iso(k.createdMs()));
        out.put("last_used_at", iso(k.lastUsedMs()));
        out.put("expires_at", iso(k.expiresMs()));
        out.put("revoked_at", iso(k.revokedMs()));
        out.put("status", k.revokedMs() != null ? "revoked"
                : k.expiresMs() != null && nowMs >= k.expiresMs() ? "expired" : "active");
        out.put("requests_per_hour", k.requestsPerHour());
        out.put("requests_per_month", k.requestsPerMonth());
        out.put("scopes", KeyScope.names(k.scopes()));
        return out;
    }

    private static String iso(Long ms) {
        return ms == null ? null : java.time.Instant.ofEpochMilli(ms).toString();
    }
}
