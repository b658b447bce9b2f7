package com.monkeycoder.daemon.accounts;

import com.monkeycoder.daemon.auth.KeyHasher;
import com.monkeycoder.daemon.limits.RateLimiter;
import com.monkeycoder.daemon.mail.Mailer;
import com.monkeycoder.daemon.store.Database;

import java.time.Clock;

/**
 * What accounts do by mail: verification (and the starter credits that wait for it), password reset, and the
 * notice of a new key. With {@link Mailer#NONE} nothing is sent: starter credits come at registration, and the
 * routes that need a mail answer 503.
 */
public record AccountMail(EmailVerification verification, PasswordReset passwordReset, KeyNotices keyNotices,
                          boolean enabled) {

    /**
     * @param publicUrl the gateway's public base URL, for links (null when there is no mail)
     * @param hook      runs in a password reset's transaction
     */
    public static AccountMail of(Mailer mailer, Database database, KeyHasher hasher, AccountStore store,
                                 AccountChanges changes, PasswordHasher passwords, RateLimiter limiter, Clock clock,
                                 long starterCreditMicros, String publicUrl, PasswordReset.Hook hook) {
        EmailTokens tokens = new EmailTokens(database, hasher, clock);
        Throttle throttle = new Throttle(limiter, clock);
        return new AccountMail(
                new EmailVerification(mailer, tokens, store, changes, throttle, starterCreditMicros, publicUrl),
                new PasswordReset(mailer, tokens, store, changes, passwords, throttle, publicUrl, hook),
                new KeyNotices(mailer, store, publicUrl), mailer.enabled());
    }
}
