package com.monkeycoder.daemon.accounts;

import com.monkeycoder.daemon.audit.AuditActions;
import com.monkeycoder.daemon.audit.AuditEvent;
import com.monkeycoder.daemon.audit.Origin;
import com.monkeycoder.daemon.errors.ApiError;
import com.monkeycoder.daemon.errors.ErrorCode;
import com.monkeycoder.daemon.mail.Mail;
import com.monkeycoder.daemon.mail.Mailer;
import com.monkeycoder.shared.text.Money;

import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Email verification and the starter credits that wait for it. With mail configured, a new account starts with no
 * credits and a mail with a single-use link; following it marks the email verified and grants the starter credits,
 * once (the grant's reference is {@code starter:<account id>}). Without mail the credits are granted at
 * registration, through the same once-only grant.
 */
public final class EmailVerification {

    public static final Duration TOKEN_TTL = Duration.ofHours(24);
    static final int RESENDS_PER_HOUR = 3;
    static final int VERIFY_ATTEMPTS_PER_ADDRESS = 30;

    private final Mailer mailer;
    private final EmailTokens tokens;
    private final AccountStore store;
    private final AccountChanges changes;
    private final Throttle throttle;
    private final long starterCreditMicros;
    private final String publicUrl;

    /** @param publicUrl the gateway's public base URL, without a trailing slash (null when mail is off) */
    EmailVerification(Mailer mailer, EmailTokens tokens, AccountStore store, AccountChanges changes, Throttle throttle,
                      long starterCreditMicros, String publicUrl) {
        this.mailer = mailer;
        this.tokens = tokens;
        this.store = store;
        this.changes = changes;
        this.throttle = throttle;
        this.starterCreditMicros = starterCreditMicros;
        this.publicUrl = publicUrl;
    }

    /** Whether new accounts wait for verification before their starter credits: only when mail is sent. */
    public boolean required() {
        return mailer.enabled();
    }

    /** A verified account, and whether this verification granted its starter credits. */
    public record Verified(String accountId, String email, long grantedMicros) {
    }

    /**
     * Right after registration: with mail, sends the verification mail; without, grants the starter credits.
     *
     * @return the credits granted now
     */
    long registered(Account account, Origin origin) throws SQLException {
        if (!required()) {
            return grantStarter(account.id(), origin) ? starterCreditMicros : 0;
        }
        sendMail(account);
        return 0;
    }

    /** Spends the token, marks its account's email verified and grants the starter credits (once). */
    public Verified verify(String token, String clientAddress, Origin origin) throws SQLException {
        throttle.check("verify-address:" + clientAddress, VERIFY_ATTEMPTS_PER_ADDRESS, Duration.ofMinutes(15),
                "verify_throttled");
        EmailTokens.Redemption r = changes.inTransaction(c -> tokens.redeem(c, token, EmailTokens.Purpose.VERIFY));
        if (r instanceof EmailTokens.Redemption.Refused refused) {
            throw refused(refused.reason());
        }
        String accountId = ((EmailTokens.Redemption.Spent) r).accountId();
        changes.markEmailVerified(accountId, AuditEvent.of(AuditActions.EMAIL_VERIFIED, accountId, accountId, null,
                origin, Map.of()));
        boolean granted = grantStarter(accountId, origin);
        String email = store.account(accountId).map(Account::email).orElse(null);
        return new Verified(accountId, email, granted ? starterCreditMicros : 0);
    }

    /** A new verification mail for the caller's account, a few an hour; 400 when it is verified already. */
    public void resend(String accountId) throws SQLException {
        if (!required()) {
            throw MailUnavailable.error("email verification");
        }
        Account account = store.account(accountId).orElseThrow(() -> ApiError.notFound("no such account"));
        if (account.emailVerified()) {
            throw ApiError.badRequest("your email is verified already", Map.of("reason", "already_verified"));
        }
        throttle.check("verify-resend:" + accountId, RESENDS_PER_HOUR, Duration.ofHours(1), "resend_throttled");
        sendMail(account);
    }

    private void sendMail(Account account) throws SQLException {
        String token = tokens.issue(account.id(), EmailTokens.Purpose.VERIFY, TOKEN_TTL);
        String credits = starterCreditMicros > 0 ? " and receive your starter credits (" + Money.format(starterCreditMicros)
                + ")" : "";
        mailer.send(new Mail(account.email(), "Verify your email for Monkey Coder", """
                Hello,

                %s was registered with the Monkey Coder gateway at %s.
                To verify this address%s, open this link:

                %s/v1/auth/verify?token=%s

                or run: monkey auth verify %s

                The link works once and expires in 24 hours. If you did not register, ignore this mail.
                """.formatted(account.email(), publicUrl, credits, publicUrl, token, token)));
    }

    /** The starter credits, through the once-per-reference grant: true when this call granted them. */
    private boolean grantStarter(String accountId, Origin origin) throws SQLException {
        if (starterCreditMicros <= 0) {
            return false;
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("amount_micros", starterCreditMicros);
        details.put("kind", AccountChanges.Kind.STARTER);
        return changes.adjustCredits(accountId, starterCreditMicros, AccountChanges.Kind.STARTER, "starter:" + accountId,
                "starter credits", AuditEvent.of(AuditActions.CREDITS_ADDED, accountId, AuditEvent.SYSTEM, accountId,
                        origin, details));
    }

    /** 400 saying what was wrong with a token, with {@code details.reason}. */
    static ApiError refused(String reason, String what, String again) {
        String message = switch (reason) {
            case "token_used" -> "this " + what + " was used already; " + again;
            case "token_expired" -> "this " + what + " has expired; " + again;
            default -> "this " + what + " is not valid (mistyped or cut short?); " + again;
        };
        return new ApiError(ErrorCode.BAD_REQUEST, message, Map.of("reason", reason), null);
    }

    private static ApiError refused(String reason) {
        return refused(reason, "verification link", "if your email is still unverified, ask for a new link"
                + " (POST /v1/auth/verify/resend)");
    }
}
