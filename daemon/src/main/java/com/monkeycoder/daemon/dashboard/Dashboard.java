package com.monkeycoder.daemon.dashboard;

/**
 * The dashboard's server-side parts, built in {@code Gateway} for the mode: its browser sessions, who a session acts
 * as, and (local daemon only, null on a shared gateway) the one-time sign-in links {@code monkey dashboard} asks for.
 * A shared gateway signs browsers in with email and password instead, through the account service.
 */
public record Dashboard(BrowserSessions sessions, BrowserCallers callers, LoginLinks links) {

    /** How long a dashboard sign-in lasts before the browser must sign in again. */
    public static final java.time.Duration SESSION_LIFETIME = java.time.Duration.ofHours(12);
}
