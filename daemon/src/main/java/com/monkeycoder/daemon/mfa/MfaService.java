package com.monkeycoder.daemon.mfa;

import com.monkeycoder.daemon.accounts.Account;
import com.monkeycoder.daemon.accounts.AccountChanges;
import com.monkeycoder.daemon.accounts.AccountKeyAuthenticator;
import com.monkeycoder.daemon.accounts.SecondFactor;
import com.monkeycoder.daemon.audit.AuditActions;
import com.monkeycoder.daemon.audit.AuditEvent;
import com.monkeycoder.daemon.audit.Origin;
import com.monkeycoder.daemon.auth.KeyHasher;
import com.monkeycoder.daemon.errors.ApiError;
import com.monkeycoder.daemon.errors.ErrorCode;
import com.monkeycoder.daemon.limits.RateLimiter;
import com.monkeycoder.shared.text.HumanDuration;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Two-factor authentication with TOTP: enrol (a secret, pending), confirm with a first code (enabled, ten recovery
 * codes shown once), disable with a code, and the check every sign-in makes. A code is taken once (the newest
 * accepted time step is stored), a recovery code once; after {@link #FAILURES} wrong codes in
 * {@link #FAILURE_WINDOW} every code of the account is refused (429) until the window ends, in the shared limiter,
 * so N instances count as one. The secret is stored sealed ({@link SecretBox}), recovery codes as HMACs.
 */
public final class MfaService implements SecondFactor {

    public static final String ISSUER = "Monkey Coder";
    static final int FAILURES = 5;
    static final Duration FAILURE_WINDOW = Duration.ofMinutes(15);
    private static final int SECRET_BYTES = 20; // 160 bits, RFC 4226's recommendation
    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcMfaStore store;
    private final SecretBox box;
    private final KeyHasher hasher;
    private final Totp totp;
    private final RateLimiter limiter;
    private final AccountChanges changes;
    private final Clock clock;

    public MfaService(JdbcMfaStore store, SecretBox box, KeyHasher hasher, RateLimiter limiter, AccountChanges changes,
                      Clock clock) {
        this.store = store;
        this.box = box;
        this.hasher = hasher;
        this.totp = new Totp(clock);
        this.limiter = limiter;
        this.changes = changes;
        this.clock = clock;
    }

    /** A new secret, pending until confirmed: base32 for typing in, and the URI an authenticator app scans. */
    public record Enrolment(String secret, String uri) {
    }

    /** What {@code GET /v1/auth/mfa} shows. */
    public record Status(boolean enabled, boolean pending, int recoveryCodesLeft, Long enabledMs) {
    }

    /** How a code was accepted. */
    public enum Used { TOTP, RECOVERY }

    public Status status(String accountId) throws SQLException {
        var record = store.find(accountId);
        if (record.isEmpty()) {
            return new Status(false, false, 0, null);
        }
        boolean on = record.get().enabled();
        return new Status(on, !on, on ? store.recoveryCodesLeft(accountId) : 0, record.get().enabledMs());
    }

    /** Starts (or restarts) an enrolment; the caller has checked the password. 422 when MFA is on already. */
    public Enrolment enrol(Account account) throws SQLException {
        byte[] secret = new byte[SECRET_BYTES];
        RANDOM.nextBytes(secret);
        String sealed = box.seal(secret, account.id());
        boolean saved = changes.inTransaction(c -> store.savePending(c, account.id(), sealed, clock.millis()));
        if (!saved) {
            throw ApiError.validation("mfa", "is enabled already: disable it first (POST /v1/auth/mfa/disable)");
        }
        String base32 = Base32.encode(secret);
        return new Enrolment(base32, uri(account.email(), base32));
    }

    static String uri(String email, String base32) {
        String issuer = URLEncoder.encode(ISSUER, StandardCharsets.UTF_8).replace("+", "%20");
        String label = issuer + ":" + URLEncoder.encode(email, StandardCharsets.UTF_8).replace("+", "%20");
        return "otpauth://totp/" + label + "?secret=" + base32 + "&issuer=" + issuer;
    }

    /** Turns a pending enrolment on with a code of its secret; answers the ten recovery codes, the only time they are shown. */
    public List<String> confirm(String accountId, String code, Origin origin) throws SQLException {
        var found = store.find(accountId);
        if (found.isEmpty()) {
            throw ApiError.validation("mfa", "has no enrolment to confirm: POST /v1/auth/mfa/enrol first");
        }
        if (found.get().enabled()) {
            throw ApiError.validation("mfa", "is enabled already");
        }
        MfaRecord record = found.get();
        requireCode(code);
        reserveTry(accountId);
        OptionalLong step = totp.verify(box.open(record.secretSealed(), accountId), code.strip());
        if (step.isEmpty()) {
            failed(accountId, null, origin);
        }
        accepted(accountId);
        List<String> codes = RecoveryCodes.generate();
        List<String> hashes = codes.stream().map(c -> recoveryHash(accountId, RecoveryCodes.normalize(c))).toList();
        boolean enabled = changes.inTransaction(c -> {
            if (!store.enable(c, accountId, clock.millis(), step.getAsLong())) {
                return false;
            }
            store.replaceRecoveryCodes(c, accountId, hashes);
            changes.audit().record(c, AuditEvent.of(AuditActions.MFA_ENABLED, accountId, accountId, null, origin, Map.of()));
            return true;
        });
        if (!enabled) {
            throw ApiError.validation("mfa", "is enabled already");
        }
        return codes;
    }

    /** Turns MFA off with a current code (TOTP or recovery). 422 when it is not on. */
    public void disable(String accountId, String code, Origin origin) throws SQLException {
        if (store.find(accountId).filter(MfaRecord::enabled).isEmpty()) {
            throw ApiError.validation("mfa", "is not enabled");
        }
        requireCode(code);
        Used used = check(accountId, code, origin, null);
        changes.inTransaction(c -> {
            if (store.delete(c, accountId)) {
                changes.audit().record(c, AuditEvent.of(AuditActions.MFA_DISABLED, accountId, accountId, null, origin,
                        Map.of("with", used.name().toLowerCase(java.util.Locale.ROOT))));
            }
            return null;
        });
    }

    @Override
    public void verify(Account account, String code, Origin origin, String failedAction) throws SQLException {
        if (store.find(account.id()).filter(MfaRecord::enabled).isEmpty()) {
            return;
        }
        if (code == null || code.isBlank()) {
            throw new ApiError(ErrorCode.UNAUTHORIZED, "this account has two-factor authentication on: send"
                    + " totp_code, a code from your authenticator app (or a recovery code)",
                    Map.of("reason", "mfa_required"), null);
        }
        check(account.id(), code, origin, failedAction);
    }

    /**
     * Accepts a TOTP code (six digits) of a step not taken before, or an unspent recovery code; otherwise counts a
     * failure, audits it as {@code failedAction} (when not null) and answers 401, or 429 once failures reach the limit.
     */
    private Used check(String accountId, String code, Origin origin, String failedAction) throws SQLException {
        reserveTry(accountId);
        Used used = checkReserved(accountId, code, origin, failedAction);
        accepted(accountId);
        return used;
    }

    private Used checkReserved(String accountId, String code, Origin origin, String failedAction) throws SQLException {
        String typed = code.strip().replace(" ", "");
        if (typed.length() == Totp.DIGITS && typed.chars().allMatch(Character::isDigit)) {
            MfaRecord record = store.find(accountId).filter(MfaRecord::enabled)
                    .orElseThrow(() -> ApiError.unauthorized("two-factor authentication was turned off meanwhile"));
            OptionalLong step = totp.verify(box.open(record.secretSealed(), accountId), typed);
            if (step.isPresent() && store.takeStep(accountId, step.getAsLong())) {
                return Used.TOTP;
            }
            failed(accountId, failedAction, origin);
        }
        String normalized = RecoveryCodes.normalize(typed);
        if (normalized != null) {
            String hash = recoveryHash(accountId, normalized);
            boolean spent = changes.inTransaction(c -> {
                if (!store.spendRecoveryCode(c, accountId, hash, clock.millis())) {
                    return false;
                }
                changes.audit().record(c, AuditEvent.of(AuditActions.MFA_RECOVERY_USED, accountId, accountId, null,
                        origin, Map.of("recovery_codes_left", store.recoveryCodesLeft(c, accountId))));
                return true;
            });
            if (spent) {
                return Used.RECOVERY;
            }
        }
        failed(accountId, failedAction, origin);
        throw new IllegalStateException("unreachable");
    }

    private static void requireCode(String code) {
        if (code == null || code.isBlank()) {
            throw ApiError.validation("code", "is required: a code from your authenticator app (or a recovery code)");
        }
    }

    /**
     * Counts this try before its code is checked, and answers 429 once the window's tries less its accepted codes
     * pass the limit: right codes are refused too. Counting first (one atomic increment) is what holds the limit
     * when many guesses arrive at once, on one instance or several: reading the failures and counting one only
     * after a wrong code let every guess in flight through.
     */
    private void reserveTry(String accountId) {
        RateLimiter.Hit tried = limiter.hit("mfa-try:" + accountId, FAILURE_WINDOW, clock.instant());
        long ok = limiter.attempts("mfa-ok:" + accountId, FAILURE_WINDOW, clock.instant()).count();
        if (tried.count() - ok > FAILURES) {
            throw tooMany(tried);
        }
    }

    /** A right code gives its try back, so an account's own sign-ins never throttle it. */
    private void accepted(String accountId) {
        limiter.hit("mfa-ok:" + accountId, FAILURE_WINDOW, clock.instant());
    }

    private void failed(String accountId, String failedAction, Origin origin) {
        RateLimiter.Hit hit = limiter.hit(subject(accountId), FAILURE_WINDOW, clock.instant());
        if (failedAction != null) {
            try {
                changes.audit().record(AuditEvent.of(failedAction, accountId, accountId, null, origin,
                        Map.of("reason", "mfa")));
            } catch (SQLException e) {
                System.getLogger(MfaService.class.getName()).log(System.Logger.Level.WARNING,
                        "audit log write failed for " + failedAction + ": " + e.getMessage());
            }
        }
        throw new ApiError(ErrorCode.UNAUTHORIZED, "wrong, expired or already used two-factor code ("
                + Math.max(0, FAILURES - hit.count()) + " tries left)", Map.of("reason", "mfa_invalid"), null);
    }

    private static ApiError tooMany(RateLimiter.Hit hit) {
        long seconds = Math.max(1, hit.resetIn().toSeconds());
        return new ApiError(ErrorCode.RATE_LIMIT_EXCEEDED, "too many wrong two-factor codes; try again in "
                + HumanDuration.seconds(seconds), Map.of("reason", "mfa_throttled"), Duration.ofSeconds(seconds));
    }

    private static String subject(String accountId) {
        return "mfa-fail:" + accountId;
    }

    /** A recovery code's stored form: bound to its account, so equal codes of two accounts hash apart. */
    private String recoveryHash(String accountId, String normalized) {
        return AccountKeyAuthenticator.storedHash(hasher, "mfa-recovery:" + accountId + ":" + normalized);
    }
}
