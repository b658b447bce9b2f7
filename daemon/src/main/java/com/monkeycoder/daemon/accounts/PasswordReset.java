package com.monkeycoder.daemon.accounts;

import com.monkeycoder.daemon.audit.AuditActions;
import com.monkeycoder.daemon.audit.AuditEvent;
import com.monkeycoder.daemon.audit.Origin;
import com.monkeycoder.daemon.errors.ApiError;
import com.monkeycoder.daemon.mail.Mail;
import com.monkeycoder.daemon.mail.Mailer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * A forgotten password: a mail with a single-use token (1 hour), then a new password for that token. Asking never
 * says whether the email has an account. The new password, the spent token, the audit entry and whatever the
 * {@link Hook} does are one transaction. API keys stay valid: they are separate credentials, listed and revoked
 * with {@code /v1/auth/keys}; the mail that confirms the reset says so.
 */
public final class PasswordReset {

    public static final Duration TOKEN_TTL = Duration.ofHours(1);
    static final int REQUESTS_PER_EMAIL = 3;
    static final int REQUESTS_PER_ADDRESS = 10;
    static final int RESETS_PER_ADDRESS = 30;

    /**
     * Runs in the reset's transaction: where login sessions or refresh tokens made with the old password are
     * ended, once the gateway has them.
     */
    @FunctionalInterface
    public interface Hook {
        Hook NONE = (connection, accountId) -> {
        };

        void passwordReset(Connection connection, String accountId) throws SQLException;
    }

    private final Mailer mailer;
    private final EmailTokens tokens;
    private final AccountStore store;
    private final AccountChanges changes;
    private final PasswordHasher passwords;
    private final Throttle throttle;
    private final String publicUrl;
    private final Hook hook;

    PasswordReset(Mailer mailer, EmailTokens tokens, AccountStore store, AccountChanges changes, PasswordHasher passwords,
                  Throttle throttle, String publicUrl, Hook hook) {
        this.mailer = mailer;
        this.tokens = tokens;
        this.store = store;
        this.changes = changes;
        this.passwords = passwords;
        this.throttle = throttle;
        this.publicUrl = publicUrl;
        this.hook = hook;
    }

    /**
     * Sends a reset mail when {@code email} has an account, and nothing otherwise: the caller answers the same
     * either way. Throttled per client address and per email, so nobody can flood a mailbox.
     */
    public void forgot(String email, String clientAddress, Origin origin) throws SQLException {
        if (!mailer.enabled()) {
            throw MailUnavailable.error("password reset");
        }
        if (email == null || email.isBlank()) {
            throw ApiError.validation("email", "is required");
        }
        String normalized = email.strip().toLowerCase(Locale.ROOT);
        if (normalized.length() > 254) {
            throw ApiError.validation("email", "is not an email address");
        }
        throttle.check("forgot-address:" + clientAddress, REQUESTS_PER_ADDRESS, Duration.ofHours(1), "reset_throttled");
        throttle.check("forgot-email:" + normalized, REQUESTS_PER_EMAIL, Duration.ofHours(1), "reset_throttled");
        var account = store.accountByEmail(normalized);
        if (account.isEmpty() || account.get().disabled()) {
            return;
        }
        String token = tokens.issue(account.get().id(), EmailTokens.Purpose.RESET, TOKEN_TTL);
        mailer.send(new Mail(account.get().email(), "Reset your Monkey Coder password", """
                Hello,

                Someone (hopefully you) asked to reset the password of %s on the Monkey Coder gateway at %s.
                To choose a new password, run:

                monkey auth reset-password %s

                or send {"token": "<the token above>", "password": "<new password>"} to
                POST %s/v1/auth/password/reset

                The token works once and expires in 1 hour. If you did not ask, ignore this mail: your password
                stays as it is.
                """.formatted(account.get().email(), publicUrl, token, publicUrl)));
        audit(AuditEvent.of(AuditActions.PASSWORD_RESET_REQUESTED, account.get().id(), account.get().id(), null, origin,
                Map.of()));
    }

    /** Sets a new password for the token's account and spends the token; 400 for a used, expired or unknown one. */
    public void reset(String token, String password, String clientAddress, Origin origin) throws SQLException {
        if (!mailer.enabled()) {
            throw MailUnavailable.error("password reset");
        }
        throttle.check("reset-address:" + clientAddress, RESETS_PER_ADDRESS, Duration.ofMinutes(15), "reset_throttled");
        if (token == null || token.isBlank()) {
            throw ApiError.validation("token", "is required");
        }
        AccountService.validPassword(password);
        String hash = passwords.hash(password); // slow on purpose: before the transaction, which stays short
        EmailTokens.Redemption r = changes.inTransaction(c -> {
            EmailTokens.Redemption redemption = tokens.redeem(c, token.strip(), EmailTokens.Purpose.RESET);
            if (redemption instanceof EmailTokens.Redemption.Spent spent) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE accounts SET password_hash = ? WHERE id = ?")) {
                    ps.setString(1, hash);
                    ps.setString(2, spent.accountId());
                    ps.executeUpdate();
                }
                hook.passwordReset(c, spent.accountId());
                changes.audit().record(c, AuditEvent.of(AuditActions.PASSWORD_RESET, spent.accountId(),
                        spent.accountId(), null, origin, Map.of()));
            }
            return redemption;
        });
        if (r instanceof EmailTokens.Redemption.Refused refused) {
            throw EmailVerification.refused(refused.reason(), "reset token", "ask for a new one"
                    + " (POST /v1/auth/password/forgot, or monkey auth forgot-password)");
        }
        String accountId = ((EmailTokens.Redemption.Spent) r).accountId();
        store.account(accountId).ifPresent(a -> mailer.send(new Mail(a.email(), "Your Monkey Coder password was changed", """
                Hello,

                The password of %s on the Monkey Coder gateway at %s was just changed with a reset token.
                Your API keys still work; list them with 'monkey keys list' and revoke any you do not know.

                If this was not you, reset your password again at once and revoke your keys.
                """.formatted(a.email(), publicUrl))));
    }

    private void audit(AuditEvent event) {
        try {
            changes.audit().record(event);
        } catch (SQLException e) {
            System.getLogger(PasswordReset.class.getName()).log(System.Logger.Level.WARNING,
                    "audit log write failed for " + event.action() + ": " + e.getMessage());
        }
    }
}
