package com.monkeycoder.daemon.accounts;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Ends every sign-in session of an account (the API's token sessions and the dashboard's browser sessions) inside
 * the caller's transaction, each with an audit entry naming {@code reason}: what a password reset and disabling an
 * account do, so whoever held the old password or the account is signed out everywhere.
 */
@FunctionalInterface
public interface SessionEnder {

    SessionEnder NONE = (connection, accountId, reason) -> {
    };

    void endAll(Connection connection, String accountId, String reason) throws SQLException;
}
