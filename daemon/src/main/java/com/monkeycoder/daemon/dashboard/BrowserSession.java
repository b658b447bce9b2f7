package com.monkeycoder.daemon.dashboard;

/**
 * A signed-in dashboard browser, as the server keeps it: the SHA-256 of its cookie (never the cookie itself), whom it
 * acts for ({@code local} on the local daemon, an account id on a shared gateway) and a label to show for it (the
 * email it signed in with), the CSRF token its page must echo
 * on every state-changing request, and when it ends.
 */
public record BrowserSession(String idHash, String accountId, String label, String csrfToken, long expiresMs) {
}
