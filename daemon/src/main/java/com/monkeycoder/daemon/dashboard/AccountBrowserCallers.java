package com.monkeycoder.daemon.dashboard;

import com.monkeycoder.daemon.accounts.Account;
import com.monkeycoder.daemon.accounts.AccountStore;
import com.monkeycoder.daemon.auth.Caller;
import com.monkeycoder.daemon.auth.KeyScope;
import com.monkeycoder.daemon.config.AccessSettings;
import com.monkeycoder.daemon.limits.Plan;

import java.sql.SQLException;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * A shared gateway's signed-in browser acts as its account with the scopes a login key gets (chat, keys, billing,
 * and admin while the operator lists the email). Its key id in the ledger and the audit log is {@code web_} and the
 * start of the session's hash, so what a browser did is told apart from what a key did. Which routes take a browser
 * at all is the server's choice (model routes do not).
 */
public final class AccountBrowserCallers implements BrowserCallers {

    private final AccountStore store;
    private final AccessSettings access;
    private final boolean creditLimited;

    public AccountBrowserCallers(AccountStore store, AccessSettings access, boolean creditLimited) {
        this.store = store;
        this.access = access;
        this.creditLimited = creditLimited;
    }

    @Override
    public Optional<Caller> caller(BrowserSession session) throws SQLException {
        Optional<Account> account = store.account(session.accountId());
        if (account.isEmpty() || account.get().disabled()) {
            return Optional.empty();
        }
        Set<KeyScope> scopes = EnumSet.copyOf(KeyScope.SESSION);
        if (account.get().role() == com.monkeycoder.daemon.accounts.Role.ADMIN || access.isAdmin(account.get().email())) {
            scopes.add(KeyScope.ADMIN);
        }
        return Optional.of(new Caller(account.get().id(), keyId(session), Plan.of(account.get().tier(), creditLimited),
                scopes));
    }

    /** The pseudo key id of a browser session, as the ledger and the audit log record it. */
    public static String keyId(BrowserSession session) {
        return BrowserSessions.publicId(session);
    }
}
