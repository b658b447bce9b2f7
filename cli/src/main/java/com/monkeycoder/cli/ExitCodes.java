package com.monkeycoder.cli;

/** The exit codes of the README: scripts rely on them, so they never change meaning. */
public final class ExitCodes {

    public static final int OK = 0;
    public static final int UNEXPECTED = 1;
    public static final int USAGE = 2;
    public static final int CONFIG_OR_AUTH = 3;
    public static final int LIMITS = 4;
    public static final int PROVIDER_OR_NETWORK = 5;

    private ExitCodes() {
    }
}
