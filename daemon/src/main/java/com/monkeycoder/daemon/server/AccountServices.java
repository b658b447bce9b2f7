package com.monkeycoder.daemon.server;

import com.monkeycoder.daemon.accounts.AccountService;
import com.monkeycoder.daemon.accounts.JdbcCredits;
import com.monkeycoder.daemon.admin.AccountAdmin;
import com.monkeycoder.daemon.mfa.MfaService;
import com.monkeycoder.daemon.routing.Credits;
import com.monkeycoder.daemon.limits.Admission;
import com.monkeycoder.daemon.sessions.SessionService;

/**
 * What the server needs of accounts, limits and credits, built in {@code Gateway}: the local daemon has no
 * account routes ({@code service} and {@code balances} are null) and counts limits in memory; the shared gateway
 * has all of it.
 *
 * @param scopedUsage true when {@code /v1/billing/usage} shows the caller's own requests only
 * @param admin       what the {@code /v1/admin/} routes do; null on the local daemon
 * @param sessions    sessions with access tokens; null on the local daemon and without {@code JWT_SECRET_KEY}
 * @param mfa         two-factor authentication; null on the local daemon
 */
public record AccountServices(AccountService service, Admission admission, Credits credits, JdbcCredits balances,
                              boolean scopedUsage, AccountAdmin admin, SessionService sessions, MfaService mfa) {

    /** Without the admin routes, sessions and MFA (the local daemon). */
    public AccountServices(AccountService service, Admission admission, Credits credits, JdbcCredits balances,
                           boolean scopedUsage) {
        this(service, admission, credits, balances, scopedUsage, null, null, null);
    }
}
