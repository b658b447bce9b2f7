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
import com.monkeycoder.shared.net.Cidr;

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
    private final AccessSettings access;
    private final int maxKeysPerAccount;
    private final int signupsPerHour;
    private final AccountChanges changes;
    private final AccountMail mail;
    private final SecondFactor secondFactor;

    /**
     * @param maxKeysPerAccount active keys an account may hold before {@code POST /v1/auth/keys} is refused
     * @param signupsPerHour    registrations per clock hour, all clients and instances together
     * @param access            the operator's admin emails, whose register and login keys also get the admin scope
     * @param changes           where account changes and the audit log are written
     * @param mail              verification, password reset and notices; starter credits go through it
     * @param secondFactor      what a sign-in checks after the password (MFA)
     */
    public AccountService(AccountStore store, KeyHasher keyHasher, PasswordHasher passwords, Revocations revocations,
                          RateLimiter limiter, KeyUsageRecorder usage, Clock clock,
                          int maxKeysPerAccount, int signupsPerHour, AccessSettings access, AccountChanges changes,
                          AccountMail mail, SecondFactor secondFactor) {
        this.secondFactor = secondFactor;
        this.access = access;
        this.store = store;
        this.keyHasher = keyHasher;
        this.passwords = passwords;
        this.revocations = revocations;
        this.limiter = limiter;
        this.usage = usage;
        this.clock = clock;
        this.maxKeysPerAccount = maxKeysPerAccount;
        this.signupsPerHour = signupsPerHour;
        this.changes = changes;
        this.mail = mail;
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
        // No credits in the insert: the starter credits are one once-only grant, now or when the email is verified.
        Account account = new Account(id("usr_"), normalized, passwords.hash(password), Tier.FREE, 0, now);
        String apiKey = ApiKeys.generate(ApiKeys.LIVE_PREFIX);
        ApiKeyRecord key = newKey(account.id(), apiKey, "default", null, null, null, now, sessionScopes(account),
                List.of());
        try {
            store.createAccount(account, key, AccountKeyAuthenticator.storedHash(keyHasher, apiKey));
        } catch (AccountStore.DuplicateEmail e) {
            throw ApiError.validation("email", "is already registered: log in instead (POST /v1/auth/login)");
        }
        audit(AuditEvent.of(AuditActions.REGISTER, account.id(), account.id(), key.id(), origin, Map.of()));
        long granted = mail.verification().registered(account, origin);
        return new Session(new Account(account.id(), account.email(), account.passwordHash(), account.tier(), granted,
                account.createdMs()), apiKey, key);
    }

    public Session login(String email, String password, String clientAddress, Origin origin) throws SQLException {
        return login(email, password, null, clientAddress, origin);
    }

    /** @param totpCode the second factor's code, needed when the account has MFA on (null otherwise) */
    public Session login(String email, String password, String totpCode, String clientAddress, Origin origin)
            throws SQLException {
        Account account = signIn(email, password, totpCode, clientAddress, origin, AuditActions.LOGIN_FAILED);
        NewKey key = createKey(account.id(), "login " + clock.instant().toString().substring(0, 10), null, null,
                null, sessionScopes(account), List.of(), false, false);
        audit(AuditEvent.of(AuditActions.LOGIN, account.id(), account.id(), key.key().id(), origin, Map.of()));
        return new Session(account, key.apiKey(), key.key());
    }

    /**
     * The checks of every sign-in (a login's key, a session's tokens): the throttles per client address and email,
     * the password (an unknown email as slow as a wrong password), then the second factor when the account has one.
     * A wrong password is audited as {@code failedAction}.
     */
    public Account signIn(String email, String password, String totpCode, String clientAddress, Origin origin,
                          String failedAction) throws SQLException {
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
            audit(AuditEvent.of(failedAction, account.get().id(), account.get().id(), null, origin,
                    Map.of("reason", "wrong_password")));
            throw ApiError.unauthorized("wrong email or password");
        }
        if (account.get().disabled()) {
            audit(AuditEvent.of(AuditActions.LOGIN_FAILED, account.get().id(), account.get().id(), null, origin,
                    Map.of("reason", "account_disabled")));
            throw new ApiError(ErrorCode.FORBIDDEN, "this account is disabled: its keys and logins are refused until"
                    + " an administrator enables it", Map.of("reason", "account_disabled"), null);
        }
        secondFactor.verify(account.get(), totpCode, origin, failedAction);
        return account.get();
    }

    /**
     * Checks the password of a signed-in caller's account before a change of its security (MFA), throttled with
     * the logins of its email, so a stolen session cannot guess the password here either.
     */
    public Account confirmPassword(String accountId, String password) throws SQLException {
        if (password == null || password.isEmpty()) {
            throw ApiError.validation("password", "is required: your current password");
        }
        Account account = store.account(accountId).orElseThrow(() -> ApiError.unauthorized("no such account"));
        throttle("login-email:" + account.email(), LOGINS_PER_EMAIL);
        if (!passwords.verify(password, account.passwordHash())) {
            throw ApiError.unauthorized("wrong password");
        }
        return account;
    }

    /** The account with this id, as stored now. */
    public java.util.Optional<Account> account(String id) throws SQLException {
        return store.account(id);
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
        return createKey(caller, name, expiresInDays, perHour, perMonth, scopes, null, false, origin);
    }

    /**
     * The same, limited to the addresses in {@code allowedCidrs} (null: the caller's own list, which a new key
     * may narrow but never widen), and with {@code test} an {@code mk-test-} key, which may only chat.
     */
    public NewKey createKey(Caller caller, String name, Integer expiresInDays, Long perHour, Long perMonth,
                            Set<KeyScope> scopes, List<Cidr> allowedCidrs, boolean test, Origin origin)
            throws SQLException {
        if (!caller.has(KeyScope.KEYS)) {
            throw new ApiError(ErrorCode.FORBIDDEN, "this key lacks the 'keys' scope: create keys with the key"
                    + " register or login gave");
        }
        Set<KeyScope> wanted = scopes == null ? KeyScope.DEFAULT_NEW_KEY : scopes;
        if (wanted.isEmpty()) {
            throw ApiError.validation("scopes", "must name at least one of chat, keys, billing, admin");
        }
        if (test && !wanted.equals(Set.of(KeyScope.CHAT))) {
            // A test key is a sandbox: it must not mint live keys or spend, only reach the demo provider.
            throw ApiError.validation("scopes", "a test key can only have the 'chat' scope");
        }
        List<Cidr> cidrs = KeyAddresses.narrowed(caller.allowedCidrs(), allowedCidrs);
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
        NewKey created = createKey(caller.userId(), name, expiresInDays, perHour, perMonth, wanted, cidrs, test, true);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("name", name == null ? "" : name);
        details.put("scopes", KeyScope.format(wanted));
        if (!cidrs.isEmpty()) {
            details.put("allowed_cidrs", KeyAddresses.format(cidrs));
        }
        if (test) {
            details.put("test", true);
        }
        audit(AuditEvent.of(AuditActions.KEY_CREATED, caller.userId(), caller.userId(), created.key().id(), origin,
                details));
        mail.keyNotices().keyCreated(caller.userId(), created.key(), origin);
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
                             Set<KeyScope> scopes, List<Cidr> allowedCidrs, boolean test, boolean capped)
            throws SQLException {
        validKeyFields(name, expiresInDays);
        long now = clock.millis();
        String apiKey = ApiKeys.generate(test ? ApiKeys.TEST_PREFIX : ApiKeys.LIVE_PREFIX);
        Long expires = expiresInDays == null ? null : now + Duration.ofDays(expiresInDays).toMillis();
        ApiKeyRecord key = newKey(accountId, apiKey, name, expires, perHour, perMonth, now, scopes, allowedCidrs);
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

    public AccountMail mail() {
        return mail;
    }

    private void throttle(String subject, int limit) {
        RateLimiter.Hit hit = limiter.hit(subject, LOGIN_WINDOW, clock.instant());
        if (hit.count() > limit) {
            long seconds = Math.max(1, hit.resetIn().toSeconds());
            throw new ApiError(ErrorCode.RATE_LIMIT_EXCEEDED, "too many attempts; try again in " + HumanDuration.seconds(seconds),
                    Map.of("reason", "login_throttled"), Duration.ofSeconds(seconds));
        }
    }

    /** The email as stored (trimmed, lower-cased); 422 when it is not an email address. */
    public static String validEmail(String email) {
        if (email == null || email.isBlank()) {
            throw ApiError.validation("email", "is required");
        }
        String e = email.strip().toLowerCase(Locale.ROOT);
        if (e.length() > 254 || !EMAIL.matcher(e).matches()) {
            throw ApiError.validation("email", "is not an email address");
        }
        return e;
    }

    public static void validPassword(String password) {
        if (password == null || password.isEmpty()) {
            throw ApiError.validation("password", "is required");
        }
        if (password.length() < 8 || password.length() > 1024) {
            throw ApiError.validation("password", "must be 8 to 1024 characters");
        }
    }

    /**
     * A register or login key's (or a session's) scopes: chat, keys and billing, and admin for an admin account
     * (its role, or its email in the operator's {@code admin_emails}).
     */
    public Set<KeyScope> sessionScopes(Account account) {
        if (!isAdmin(account)) {
            return KeyScope.SESSION;
        }
        EnumSet<KeyScope> scopes = EnumSet.copyOf(KeyScope.SESSION);
        scopes.add(KeyScope.ADMIN);
        return scopes;
    }

    /** Whether the account is an admin: its role, or its email in {@code admin_emails} (checked on every request). */
    public boolean isAdmin(Account account) {
        return account.role() == Role.ADMIN || access.isAdmin(account.email());
    }

    private static ApiKeyRecord newKey(String accountId, String apiKey, String name, Long expiresMs, Long perHour,
                                       Long perMonth, long now, Set<KeyScope> scopes, List<Cidr> allowedCidrs) {
        return new ApiKeyRecord(id("key_"), accountId, ApiKeys.displayPrefix(apiKey), name, now, null, expiresMs, null,
                perHour, perMonth, scopes, allowedCidrs);
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
        out.put("allowed_cidrs", k.allowedCidrs().stream().map(Cidr::toString).toList());
        out.put("test", k.test());
        return out;
    }

    private static String iso(Long ms) {
        return ms == null ? null : java.time.Instant.ofEpochMilli(ms).toString();
    }
}
