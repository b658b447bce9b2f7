package com.monkeycoder.daemon.accounts;

import com.monkeycoder.daemon.audit.Origin;

import java.sql.SQLException;

/**
 * The check after a right password when the account has a second factor (MFA): passes, or throws the
 * {@link com.monkeycoder.daemon.errors.ApiError} to answer with (401 {@code mfa_required} when no code came, 401
 * for a wrong one, 429 after too many wrong ones). Sign-ins (login, sessions) call it; {@link #NONE} has no MFA.
 */
@FunctionalInterface
public interface SecondFactor {

    SecondFactor NONE = (account, code, origin, failedAction) -> {
    };

    /**
     * @param code         the TOTP or recovery code sent with the password, or null
     * @param failedAction the audit action a wrong code is recorded as ({@code login_failed}, {@code session_failed})
     */
    void verify(Account account, String code, Origin origin, String failedAction) throws SQLException;
}
