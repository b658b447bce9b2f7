package com.monkeycoder.daemon.server;

import com.monkeycoder.daemon.auth.Caller;
import com.monkeycoder.daemon.dashboard.BrowserSession;
import com.monkeycoder.daemon.dashboard.BrowserSessions;
import com.monkeycoder.daemon.dashboard.Dashboard;
import com.monkeycoder.daemon.errors.ApiError;
import com.monkeycoder.daemon.errors.ErrorCode;

import java.net.URI;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;

/**
 * The dashboard's cookie as a way to call the API, on the routes that take it ({@link Endpoint#browser()}): the
 * request must come from the gateway's own pages ({@code Sec-Fetch-Site} and {@code Origin}, when the browser sends
 * them, name no other site), its cookie must name a live session, and a state-changing request must carry the
 * session's CSRF token in {@code X-CSRF-Token}. Anything else is refused before the route runs, so nothing changes.
 */
final class BrowserAuth {

    static final String COOKIE = "monkey_session";
    static final String CSRF_HEADER = "X-CSRF-Token";

    private final Dashboard dashboard;

    BrowserAuth(Dashboard dashboard) {
        this.dashboard = dashboard;
    }

    Dashboard dashboard() {
        return dashboard;
    }

    /**
     * The caller a request's cookie signs in as; empty when it has no cookie (the route then asks for a key as
     * usual). 403 for a cross-site request or a missing or wrong CSRF token, 401 for a session that ended.
     */
    Optional<Caller> caller(HttpCall call) {
        String cookie = cookie(call);
        if (cookie == null) {
            return Optional.empty();
        }
        sameOrigin(call);
        BrowserSession session = session(call)
                .orElseThrow(() -> ApiError.unauthorized("your dashboard session has ended (signed out or expired);"
                        + " sign in again"));
        if (!safeMethod(call)) {
            checkCsrf(call, session);
        }
        // what a cookie reads is the account's own (keys, payments, audit): kept out of every cache, the browser's too
        call.setHeader("Cache-Control", "no-store");
        try {
            return Optional.of(dashboard.callers().caller(session).orElseThrow(() -> ApiError.unauthorized(
                    "the account this dashboard session belongs to cannot sign in now; sign in again")));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the account of a dashboard session: " + e.getMessage(), e);
        }
    }

    /** The live session the request's cookie names, if any. */
    Optional<BrowserSession> session(HttpCall call) {
        String cookie = cookie(call);
        return cookie == null ? Optional.empty() : dashboard.sessions().find(cookie);
    }

    static void checkCsrf(HttpCall call, BrowserSession session) {
        if (!BrowserSessions.csrfMatches(session, call.header(CSRF_HEADER))) {
            throw new ApiError(ErrorCode.FORBIDDEN, "this request needs the dashboard's CSRF token in the "
                    + CSRF_HEADER + " header (GET /dashboard/api/session gives it); nothing was changed");
        }
    }

    static boolean safeMethod(HttpCall call) {
        String method = call.exchange().getRequestMethod().toString();
        return method.equals("GET") || method.equals("HEAD");
    }

    /**
     * Refuses a request another site's page made: {@code Sec-Fetch-Site} other than same-origin or none (typed or
     * opened from outside a browser), or an {@code Origin} whose host and port are not this request's Host. Browsers
     * that send neither are old enough to lack both; {@code SameSite=Strict} and the CSRF token still stand.
     */
    static void sameOrigin(HttpCall call) {
        String site = call.header("Sec-Fetch-Site");
        if (site != null && !site.equalsIgnoreCase("same-origin") && !site.equalsIgnoreCase("none")) {
            throw crossSite();
        }
        String origin = call.header("Origin");
        if (origin != null && !sameAuthority(origin, call.header("Host"))) {
            throw crossSite();
        }
    }

    /** Whether an Origin ({@code scheme://host[:port]}) names the host and port of a Host header. */
    static boolean sameAuthority(String origin, String host) {
        if (host == null || origin.equals("null")) {
            return false;
        }
        try {
            URI uri = new URI(origin.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (uri.getHost() == null || !(scheme.equals("http") || scheme.equals("https"))) {
                return false;
            }
            int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
            String h = host.strip().toLowerCase(Locale.ROOT);
            String want = uri.getHost().toLowerCase(Locale.ROOT);
            return h.equals(want + ":" + port) || (h.equals(want) && port == (scheme.equals("https") ? 443 : 80));
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    private static ApiError crossSite() {
        return new ApiError(ErrorCode.FORBIDDEN, "the dashboard's session is not usable from another site's page");
    }

    /** The session cookie's value, or null: read from the Cookie header by hand, the one name we set. */
    static String cookie(HttpCall call) {
        var values = call.exchange().getRequestHeaders().get("Cookie");
        if (values == null) {
            return null;
        }
        for (String header : values) {
            for (String pair : header.split(";")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).strip().equals(COOKIE)) {
                    String value = pair.substring(eq + 1).strip();
                    return value.isEmpty() ? null : value;
                }
            }
        }
        return null;
    }

    /** The session cookie: script cannot read it, other sites' requests do not carry it, https only when served so. */
    static String setCookie(HttpCall call, String value, long maxAgeSeconds) {
        return COOKIE + "=" + value + "; Path=/; Max-Age=" + maxAgeSeconds + "; HttpOnly; SameSite=Strict"
                + (secure(call) ? "; Secure" : "");
    }

    /** Whether the browser reached us over https (itself, or through a proxy that says so). */
    static boolean secure(HttpCall call) {
        return "https".equalsIgnoreCase(call.exchange().getRequestScheme())
                || "https".equalsIgnoreCase(call.header("X-Forwarded-Proto"));
    }
}
