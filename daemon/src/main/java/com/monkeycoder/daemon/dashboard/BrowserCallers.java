package com.monkeycoder.daemon.dashboard;

import com.monkeycoder.daemon.auth.Caller;

import java.sql.SQLException;
import java.util.Optional;

/**
 * Who a signed-in browser is, as the API routes see a caller: looked up on every request, so a disabled account or a
 * changed tier or role takes effect at once rather than when the session ends.
 */
@FunctionalInterface
public interface BrowserCallers {

    /** The caller a live session acts as; empty when its account is gone or disabled. */
    Optional<Caller> caller(BrowserSession session) throws SQLException;

    /** The local daemon: every session acts as its one user. */
    static BrowserCallers local(Caller user) {
        return session -> user.userId().equals(session.accountId()) ? Optional.of(user) : Optional.empty();
    }
}
