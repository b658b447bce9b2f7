package com.monkeycoder.daemon.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.daemon.accounts.Account;
import com.monkeycoder.daemon.accounts.AccountService;
import com.monkeycoder.daemon.auth.Caller;
import com.monkeycoder.daemon.auth.KeyScope;
import com.monkeycoder.daemon.dashboard.AccountBrowserCallers;
import com.monkeycoder.daemon.dashboard.BrowserSession;
import com.monkeycoder.daemon.dashboard.BrowserSessions;
import com.monkeycoder.daemon.dashboard.Dashboard;
import com.monkeycoder.daemon.dashboard.LoginLinks;
import com.monkeycoder.daemon.dialects.ErrorStyle;
import com.monkeycoder.daemon.errors.ApiError;
import com.monkeycoder.daemon.errors.ErrorCode;
import io.undertow.server.RoutingHandler;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The web dashboard: its files under {@code /dashboard/}, and the routes that sign a browser in and out. The local
 * daemon signs in with a one-time link ({@code POST /v1/dashboard/link} with the local key, then
 * {@code GET /dashboard/login?token=}); a shared gateway with email and password ({@code POST /dashboard/api/login}).
 * Either way the browser holds only an opaque {@code HttpOnly}, {@code SameSite=Strict} cookie, and the pages call the
 * same {@code /v1/...} routes as the CLI (those marked {@link Endpoint#browser()}).
 */
final class DashboardRoutes {

    /** Only the gateway's own files run, style or connect; nothing may frame a page, post a form elsewhere. */
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    private final Dashboard dashboard;
    private final BrowserAuth auth;
    private final AccountService accounts;
    private final ClientAddresses clients;
    private final DashboardAssets assets = new DashboardAssets(DashboardRoutes.class.getClassLoader());
    private final String mode;

    private DashboardRoutes(Dashboard dashboard, AccountService accounts, ClientAddresses clients, String mode) {
        this.dashboard = dashboard;
        this.auth = new BrowserAuth(dashboard);
        this.accounts = accounts;
        this.clients = clients;
        this.mode = mode;
    }

    static void addTo(RoutingHandler routes, Endpoint.Context ctx, Dashboard dashboard, AccountService accounts,
                      ClientAddresses clients, String mode) {
        DashboardRoutes r = new DashboardRoutes(dashboard, accounts, clients, mode);
        routes.get("/dashboard", new Endpoint(ctx, r::toIndex, false, ErrorStyle.NATIVE))
                .get("/dashboard/*", new Endpoint(ctx, r::asset, false, ErrorStyle.NATIVE))
                .get("/dashboard/login", new Endpoint(ctx, r::redeemLink, false, ErrorStyle.NATIVE))
                .get("/dashboard/api/session", new Endpoint(ctx, r::session, false, ErrorStyle.NATIVE))
                .post("/dashboard/api/login", new Endpoint(ctx, r::passwordLogin, false, ErrorStyle.NATIVE))
                .post("/dashboard/api/logout", new Endpoint(ctx, r::logout, false, ErrorStyle.NATIVE))
                .get("/dashboard/api/sessions", new Endpoint(ctx, r::listSessions, false, ErrorStyle.NATIVE))
                .delete("/dashboard/api/sessions/{id}", new Endpoint(ctx, r::revokeSession, false, ErrorStyle.NATIVE))
                // with the key only (not .browser()): a signed-in page cannot mint more sign-ins
                .post("/v1/dashboard/link", new Endpoint(ctx, r::issueLink, true, ErrorStyle.NATIVE));
    }

    /** The headers every dashboard answer carries, pages, files and its API alike. */
    static void secureHeaders(HttpCall call) {
        call.setHeader("Content-Security-Policy", CSP);
        call.setHeader("X-Content-Type-Options", "nosniff");
        call.setHeader("Referrer-Policy", "no-referrer");
        call.setHeader("X-Frame-Options", "DENY");
        call.setHeader("Cross-Origin-Opener-Policy", "same-origin");
    }

    private void toIndex(HttpCall call) {
        secureHeaders(call);
        call.setHeader("Location", "/dashboard/");
        call.sendEmpty(308);
    }

    private void asset(HttpCall call) {
        String path = call.exchange().getRequestPath();
        String name = path.startsWith("/dashboard/") ? path.substring("/dashboard/".length()) : null;
        // "/dashboard/" itself lands here too (Undertow's wildcard matches it before the exact route)
        file(call, "".equals(name) ? "index.html" : name);
    }

    private void file(HttpCall call, String name) {
        secureHeaders(call);
        DashboardAssets.Asset asset = assets.find(name)
                .orElseThrow(() -> ApiError.notFound("the dashboard has no file " + call.exchange().getRequestPath()));
        // Names carry no version, and a daemon upgrade changes the files: revalidate each time, cheaply by ETag.
        call.setHeader("Cache-Control", "no-cache");
        call.setHeader("ETag", asset.etag());
        if (asset.etag().equals(call.header("If-None-Match"))) {
            call.sendEmpty(304);
            return;
        }
        call.sendBytes(200, asset.contentType(), asset.bytes());
    }

    /** {@code POST /v1/dashboard/link}: a one-time sign-in link for the local daemon's browser (the CLI asks). */
    private void issueLink(HttpCall call) {
        if (dashboard.links() == null) {
            throw ApiError.notFound("one-time dashboard links belong to the local daemon; on a shared gateway sign in"
                    + " at /dashboard/ with your email and password");
        }
        LoginLinks.Issued issued = dashboard.links().issue();
        String path = "/dashboard/login?token=" + issued.token();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("url", "http://" + call.header("Host") + path);
        out.put("path", path);
        out.put("expires_at", Instant.ofEpochMilli(issued.expiresMs()).toString());
        call.setHeader("Cache-Control", "no-store");
        call.sendJson(201, out);
    }

    /**
     * {@code GET /dashboard/login?token=}: trades a one-time token for a session cookie and sends the browser on to
     * the dashboard, so the token leaves the address bar and the history (a redirect is not a history entry).
     */
    private void redeemLink(HttpCall call) {
        secureHeaders(call);
        call.setHeader("Cache-Control", "no-store");
        if (dashboard.links() == null || !dashboard.links().redeem(call.query("token"))) {
            page(call, 401, "This sign-in link cannot be used",
                    dashboard.links() == null
                            ? "This gateway signs in with email and password."
                            : "Sign-in links work once and for " + LoginLinks.LIFETIME.toSeconds()
                            + " seconds. Run \u201cmonkey dashboard\u201d again for a new one.");
            return;
        }
        dashboard.sessions().close(BrowserAuth.cookie(call)); // a new sign-in replaces the browser's old session
        BrowserSessions.Opened opened = dashboard.sessions().open("local", "local user");
        call.setHeader("Set-Cookie", BrowserAuth.setCookie(call, opened.cookie(), dashboard.sessions().lifetime().toSeconds()));
        call.setHeader("Location", "/dashboard/");
        call.sendEmpty(303);
    }

    /**
     * {@code GET /dashboard/api/session}: whether this browser is signed in, as whom, and the CSRF token its page
     * sends on every state-changing request. Readable by the gateway's own pages only (no CORS with credentials).
     */
    private void session(HttpCall call) throws SQLException {
        secureHeaders(call);
        call.setHeader("Cache-Control", "no-store");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("mode", mode);
        BrowserSession session = null;
        Caller caller = null;
        if (BrowserAuth.cookie(call) != null) {
            BrowserAuth.sameOrigin(call);
            session = auth.session(call).orElse(null);
            caller = session == null ? null : dashboard.callers().caller(session).orElse(null);
        }
        out.put("signed_in", caller != null);
        if (caller != null) {
            out.put("account_id", caller.userId());
            out.put("label", session.label());
            out.put("scopes", KeyScope.names(caller.scopes()));
            out.put("csrf_token", session.csrfToken());
            out.put("expires_at", Instant.ofEpochMilli(session.expiresMs()).toString());
        } else if (session == null && BrowserAuth.cookie(call) != null) {
            call.setHeader("Set-Cookie", BrowserAuth.setCookie(call, "", 0)); // a stale cookie: forget it
        }
        call.sendJson(200, out);
    }

    /**
     * {@code POST /dashboard/api/login} {@code {"email","password","totp"}} (shared gateway): the password check of
     * {@code POST /v1/auth/login}, throttled and audited alike, then a browser session instead of a new key.
     */
    private void passwordLogin(HttpCall call) throws SQLException {
        secureHeaders(call);
        call.setHeader("Cache-Control", "no-store");
        if (accounts == null) {
            throw ApiError.notFound("the local daemon signs in with the one-time link `monkey dashboard` prints");
        }
        BrowserAuth.sameOrigin(call); // no signing a browser in from another site's form (login CSRF)
        JsonNode body = call.bodyTree();
        var origin = clients.origin(call);
        // The checks of every sign-in: throttles, password, a disabled account, then the TOTP (or recovery) code when
        // the account has MFA on (401 with details.reason mfa_required when it is missing).
        String code = text(body, "totp_code") != null ? text(body, "totp_code") : text(body, "totp");
        Account account = accounts.signIn(text(body, "email"), text(body, "password"), code, clientAddress(call),
                origin, com.monkeycoder.daemon.audit.AuditActions.LOGIN_FAILED);
        // The session the browser held before (another account's, or one a sibling site planted) ends here: the
        // cookie below replaces it, and nothing should stay signed in that no browser holds.
        dashboard.sessions().close(BrowserAuth.cookie(call));
        BrowserSessions.Opened opened = dashboard.sessions().open(account.id(), account.email());
        accounts.signedIn(account, AccountBrowserCallers.keyId(opened.session()), origin, Map.of("via", "dashboard"));
        call.setHeader("Set-Cookie", BrowserAuth.setCookie(call, opened.cookie(), dashboard.sessions().lifetime().toSeconds()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("signed_in", true);
        out.put("account_id", account.id());
        out.put("label", account.email());
        out.put("csrf_token", opened.session().csrfToken());
        out.put("expires_at", Instant.ofEpochMilli(opened.session().expiresMs()).toString());
        call.sendJson(200, out);
    }

    /** {@code POST /dashboard/api/logout}: ends the session on every instance (CSRF token required) and drops the cookie. */
    private void logout(HttpCall call) {
        secureHeaders(call);
        call.setHeader("Cache-Control", "no-store");
        String cookie = BrowserAuth.cookie(call);
        if (cookie != null) {
            BrowserAuth.sameOrigin(call);
            BrowserSession session = auth.session(call).orElse(null);
            if (session != null) {
                BrowserAuth.checkCsrf(call, session);
                dashboard.sessions().close(cookie);
            }
        }
        call.setHeader("Set-Cookie", BrowserAuth.setCookie(call, "", 0));
        call.sendEmpty(204);
    }

    /**
     * {@code GET /dashboard/api/sessions}: the signed-in browser's account's dashboard sessions (the Security page),
     * this one marked current. Only with the cookie: a key has no browser sessions to list.
     */
    private void listSessions(HttpCall call) {
        secureHeaders(call);
        call.setHeader("Cache-Control", "no-store");
        BrowserSession current = signedInSession(call);
        BrowserSessions sessions = dashboard.sessions();
        var list = sessions.ofAccount(current.accountId()).stream().map(s -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("id", BrowserSessions.publicId(s));
            out.put("label", s.label());
            out.put("signed_in_at", Instant.ofEpochMilli(sessions.createdMs(s)).toString());
            out.put("expires_at", Instant.ofEpochMilli(s.expiresMs()).toString());
            out.put("current", s.idHash().equals(current.idHash()));
            return out;
        }).toList();
        call.sendJson(200, Map.of("sessions", list));
    }

    /**
     * {@code DELETE /dashboard/api/sessions/{id}} (CSRF token required): signs out one of the caller's own browser
     * sessions on every instance; an id of another account's session is not found (404), as a made-up one.
     */
    private void revokeSession(HttpCall call) throws SQLException {
        secureHeaders(call);
        call.setHeader("Cache-Control", "no-store");
        BrowserSession current = signedInSession(call);
        String id = call.pathParam("id");
        if (!dashboard.sessions().closeById(current.accountId(), id)) {
            throw ApiError.notFound("you have no dashboard session " + id + " (GET /dashboard/api/sessions lists them)");
        }
        if (accounts != null) {
            accounts.changes().audit().record(com.monkeycoder.daemon.audit.AuditEvent.of(
                    com.monkeycoder.daemon.audit.AuditActions.SESSION_REVOKED, current.accountId(), current.accountId(),
                    id, clients.origin(call), Map.of("via", "dashboard", "by", AccountBrowserCallers.keyId(current))));
        }
        call.sendEmpty(204);
    }

    /**
     * The live session of a request's cookie, with every check a {@code .browser()} route makes (same origin, a live
     * session of an account that may sign in, the CSRF token on a change); 401 without a cookie.
     */
    private BrowserSession signedInSession(HttpCall call) {
        if (auth.caller(call).isEmpty()) {
            throw ApiError.unauthorized("sign in to the dashboard first: these are the browser's own sessions");
        }
        return auth.session(call).orElseThrow(() -> ApiError.unauthorized("your dashboard session has ended; sign in again"));
    }

    /** A plain page for a browser that followed a link: fixed text only, styled by the dashboard's sheet. */
    private static void page(HttpCall call, int status, String title, String message) {
        String html = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\""
                + " content=\"width=device-width, initial-scale=1\"><title>" + title + " \u2013 Monkey Coder</title>"
                + "<link rel=\"stylesheet\" href=\"/dashboard/app.css\"></head><body><main class=\"notice\"><h1>"
                + title + "</h1><p>" + message + "</p></main></body></html>";
        call.sendBytes(status, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw ApiError.validation(field, "must be a string");
        }
        return v.asText();
    }

    private String clientAddress(HttpCall call) {
        InetSocketAddress source = call.exchange().getSourceAddress();
        return clients.bucket(source == null ? null : source.getAddress(), call.exchange().getRequestHeaders());
    }
}
