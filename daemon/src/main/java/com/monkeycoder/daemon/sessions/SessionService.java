package com.monkeycoder.daemon.sessions;

import com.monkeycoder.daemon.accounts.Account;
import com.monkeycoder.daemon.accounts.AccountChanges;
import com.monkeycoder.daemon.accounts.AccountKeyAuthenticator;
import com.monkeycoder.daemon.accounts.AccountService;
import com.monkeycoder.daemon.accounts.Revocations;
import com.monkeycoder.daemon.audit.AuditActions;
import com.monkeycoder.daemon.audit.AuditEvent;
import com.monkeycoder.daemon.audit.Origin;
import com.monkeycoder.daemon.auth.ApiKeys;
import com.monkeycoder.daemon.auth.Caller;
import com.monkeycoder.daemon.auth.KeyHasher;
import com.monkeycoder.daemon.errors.ApiError;
import com.monkeycoder.daemon.errors.ErrorCode;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Sessions: a sign-in (password, and the second factor when on) gives a short-lived access token (a JWT) and a
 * refresh token. A refresh token is exchanged once for a new pair; presenting a spent one again means it was
 * copied, so the whole session (every token of its family) ends. Ending a session is a {@link Revocations} marker
 * first, checked on every request on every instance, so its access tokens stop at once; then the row, which every
 * refresh reads.
 */
public final class SessionService {

    /** Session ids start so: a {@link Caller} whose key id has this prefix came with an access token. */
    public static final String ID_PREFIX = "ses_";
    static final String REFRESH_PREFIX = "mk-rt-";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AccountService accounts;
    private final JdbcSessionStore store;
    private final AccessTokens tokens;
    private final KeyHasher hasher;
    private final Revocations revocations;
    private final AccountChanges changes;
    private final Clock clock;
    private final Duration refreshLifetime;

    public SessionService(AccountService accounts, JdbcSessionStore store, AccessTokens tokens, KeyHasher hasher,
                          Revocations revocations, Clock clock, Duration refreshLifetime) {
        this.accounts = accounts;
        this.store = store;
        this.tokens = tokens;
        this.hasher = hasher;
        this.revocations = revocations;
        this.changes = accounts.changes();
        this.clock = clock;
        this.refreshLifetime = refreshLifetime;
    }

    /** A new access and refresh token, each shown once. */
    public record Tokens(Account account, SessionRecord session, String accessToken, long accessExpiresMs,
                         String refreshToken) {
    }

    public static boolean isSession(Caller caller) {
        return caller.keyId() != null && caller.keyId().startsWith(ID_PREFIX);
    }

    /** Signs in (throttled as logins are) and starts a session. */
    public Tokens create(String email, String password, String totpCode, String clientAddress, Origin origin)
            throws SQLException {
        Account account = accounts.signIn(email, password, totpCode, clientAddress, origin, AuditActions.SESSION_FAILED);
        if (account.disabled()) {
            throw ApiError.unauthorized("this account is disabled");
        }
        long now = clock.millis();
        SessionRecord session = new SessionRecord(id(), account.id(), now, now, now + refreshLifetime.toMillis(), null,
                null, origin.address(), origin.userAgent());
        String refresh = ApiKeys.generate(REFRESH_PREFIX);
        changes.inTransaction(c -> {
            store.create(c, session, hash(refresh));
            changes.audit().record(c, AuditEvent.of(AuditActions.SESSION_CREATED, account.id(), account.id(),
                    session.id(), origin, Map.of()));
            return null;
        });
        return issue(account, session, refresh);
    }

    /**
     * Exchanges a refresh token for a new pair; the one presented is spent. A spent one presented again ends the
     * session (its family) and is refused, as is one of an ended or expired session.
     */
    public Tokens refresh(String refreshToken, Origin origin) throws SQLException {
        if (refreshToken == null || refreshToken.isBlank()) {
            throw ApiError.validation("refresh_token", "is required");
        }
        String hash = hash(refreshToken.strip());
        JdbcSessionStore.RefreshLookup found = store.byRefreshHash(hash)
                .orElseThrow(() -> ApiError.unauthorized("the refresh token is not valid; sign in again"));
        SessionRecord session = found.session();
        long now = clock.millis();
        if (session.revokedMs() != null) {
            throw ApiError.unauthorized("this session was ended; sign in again");
        }
        if (found.spent()) {
            reused(session, origin);
        }
        if (now >= session.expiresMs()) {
            throw ApiError.unauthorized("the session expired; sign in again");
        }
        Account account = accounts.account(session.accountId()).filter(a -> !a.disabled())
                .orElseThrow(() -> ApiError.unauthorized("this account is disabled"));
        String next = ApiKeys.generate(REFRESH_PREFIX);
        long expires = now + refreshLifetime.toMillis();
        boolean rotated = changes.inTransaction(c -> {
            if (!store.spend(c, hash, now)) {
                return false; // another request spent it a moment ago
            }
            store.insertRefresh(c, session.id(), hash(next), now);
            store.touch(c, session.id(), now, expires);
            return true;
        });
        if (!rotated) {
            reused(session, origin);
        }
        SessionRecord touched = new SessionRecord(session.id(), session.accountId(), session.createdMs(), now, expires,
                null, null, session.clientAddress(), session.userAgent());
        return issue(account, touched, next);
    }

    /** A spent refresh token came back: whoever holds the family may be a thief, so all of it ends. */
    private void reused(SessionRecord session, Origin origin) throws SQLException {
        end(session.accountId(), session.id(), "refresh_token_reused", origin);
        throw new ApiError(ErrorCode.UNAUTHORIZED, "this refresh token was used already, so the session was ended"
                + " (a copy of it may be in other hands); sign in again", Map.of("reason", "refresh_token_reused"), null);
    }

    /** Ends the session the caller's access token belongs to. */
    public void revokeCurrent(Caller caller, Origin origin) throws SQLException {
        if (!isSession(caller)) {
            throw ApiError.badRequest("DELETE /v1/auth/session ends the session of the access token it is sent with;"
                    + " this request came with an API key (revoke keys with DELETE /v1/auth/keys/{id})");
        }
        if (!end(caller.userId(), caller.keyId(), "signed_out", origin)) {
            throw ApiError.notFound("this session was ended already");
        }
    }

    /** Ends one of the caller's account's sessions. */
    public void revoke(Caller caller, String sessionId, Origin origin) throws SQLException {
        if (!end(caller.userId(), sessionId, "revoked", origin)) {
            throw ApiError.notFound("you have no active session " + sessionId + " (GET /v1/auth/sessions lists them)");
        }
    }

    /**
     * Ends every active session of the account inside the caller's transaction (a password reset's): the markers
     * first, as {@link #end} does, then the rows and their audit entries with the reset itself.
     */
    public void endAll(Connection c, String accountId, String reason) throws SQLException {
        for (SessionRecord session : store.active(accountId, clock.millis())) {
            revocations.revoke(session.id());
            if (store.revoke(c, accountId, session.id(), clock.millis(), reason)) {
                changes.audit().record(c, AuditEvent.of(AuditActions.SESSION_REVOKED, accountId, AuditEvent.SYSTEM,
                        session.id(), Origin.SYSTEM, Map.of("reason", reason)));
            }
        }
    }

    public List<SessionRecord> sessions(Caller caller) throws SQLException {
        return store.active(caller.userId(), clock.millis());
    }

    /**
     * The marker first: from then on no instance takes the session's access tokens, and a refresh after a failure
     * here would only mint tokens that are refused too. Then the row and its audit entry.
     */
    private boolean end(String accountId, String sessionId, String reason, Origin origin) throws SQLException {
        var session = store.find(sessionId).filter(s -> s.accountId().equals(accountId) && s.revokedMs() == null);
        if (session.isEmpty()) {
            return false;
        }
        revocations.revoke(sessionId);
        return changes.inTransaction(c -> {
            if (!store.revoke(c, accountId, sessionId, clock.millis(), reason)) {
                return false;
            }
            changes.audit().record(c, AuditEvent.of(AuditActions.SESSION_REVOKED, accountId, accountId, sessionId,
                    origin, Map.of("reason", reason)));
            return true;
        });
    }

    private Tokens issue(Account account, SessionRecord session, String refresh) {
        String access = tokens.issue(account.id(), session.id(), accounts.sessionScopes(account));
        return new Tokens(account, session, access, clock.millis() + tokens.lifetime().toMillis(), refresh);
    }

    public Duration accessLifetime() {
        return tokens.lifetime();
    }

    private String hash(String refreshToken) {
        return AccountKeyAuthenticator.storedHash(hasher, refreshToken);
    }

    private static String id() {
        byte[] b = new byte[12];
        RANDOM.nextBytes(b);
        return ID_PREFIX + HexFormat.of().formatHex(b);
    }
}
