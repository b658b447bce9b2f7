package com.monkeycoder.daemon.accounts;

import com.monkeycoder.daemon.audit.Origin;
import com.monkeycoder.daemon.mail.Mail;
import com.monkeycoder.daemon.mail.Mailer;

import java.sql.SQLException;
import java.time.Instant;

/**
 * A mail to the account's owner when a key is created with {@code POST /v1/auth/keys}: its name, prefix, time and the
 * client's address, never the key, so a key made by someone else with a stolen key is noticed. The keys register
 * and login make are not announced: those requests answer the owner directly.
 */
final class KeyNotices {

    private final Mailer mailer;
    private final AccountStore store;
    private final String publicUrl;

    KeyNotices(Mailer mailer, AccountStore store, String publicUrl) {
        this.mailer = mailer;
        this.store = store;
        this.publicUrl = publicUrl;
    }

    void keyCreated(String accountId, ApiKeyRecord key, Origin origin) {
        if (!mailer.enabled()) {
            return;
        }
        try {
            store.account(accountId).ifPresent(a -> mailer.send(new Mail(a.email(), "A new Monkey Coder API key was created", """
                    Hello,

                    A new API key was created for %s on the Monkey Coder gateway at %s:

                      name     %s
                      prefix   %s
                      created  %s
                      from     %s

                    If this was not you, revoke it at once (monkey keys revoke %s, or DELETE %s/v1/auth/keys/%s)
                    and change your password.
                    """.formatted(a.email(), publicUrl, key.name() == null ? "(none)" : key.name(), key.prefix(),
                    Instant.ofEpochMilli(key.createdMs()), origin == null || origin.address() == null ? "unknown"
                            : origin.address(), key.id(), publicUrl, key.id()))));
        } catch (SQLException e) {
            System.getLogger(KeyNotices.class.getName()).log(System.Logger.Level.WARNING,
                    "no new-key notice for key " + key.id() + ": " + e.getMessage());
        }
    }
}
