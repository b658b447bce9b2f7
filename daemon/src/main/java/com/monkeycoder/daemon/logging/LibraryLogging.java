package com.monkeycoder.daemon.logging;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps third-party start-up chatter (Undertow's and XNIO's version lines, JBoss threads) out of the daemon's
 * log: their loggers go to WARNING, ours stay as they are. Undertow logs through JBoss Logging, which uses
 * java.util.logging when nothing else is on the class path, as here.
 */
public final class LibraryLogging {

    /** Held strongly: java.util.logging keeps loggers only weakly, and a collected logger forgets its level. */
    private static final List<Logger> QUIETED = List.of(
            Logger.getLogger("io.undertow"),
            Logger.getLogger("org.xnio"),
            Logger.getLogger("org.jboss"),
            Logger.getLogger("okhttp3"));

    private LibraryLogging() {
    }

    /** Sets the libraries' loggers to WARNING; safe to call more than once. */
    public static void quiet() {
        QUIETED.forEach(logger -> logger.setLevel(Level.WARNING));
    }
}
