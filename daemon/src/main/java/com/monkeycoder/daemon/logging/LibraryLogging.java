package com.monkeycoder.daemon.logging;

import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps third-party start-up chatter (Undertow's and XNIO's version lines, JBoss threads, HikariCP's pool starting
 * and stopping) out of the daemon's log: their loggers go to WARNING, ours stay as they are. Undertow logs through
 * JBoss Logging and HikariCP through SLF4J, both to java.util.logging here; what still gets through is written as
 * one JSON line ({@link JsonLogFormatter}), like every other line of the log.
 */
public final class LibraryLogging {

    /** Held strongly: java.util.logging keeps loggers only weakly, and a collected logger forgets its level. */
    private static final List<Logger> QUIETED = List.of(
            Logger.getLogger("io.undertow"),
            Logger.getLogger("org.xnio"),
            Logger.getLogger("org.jboss"),
            Logger.getLogger("okhttp3"),
            Logger.getLogger("com.zaxxer.hikari"));

    private LibraryLogging() {
    }

    /**
     * Sets the libraries' loggers to WARNING, and makes every handler of the root logger write one redacted JSON
     * line per record: a driver's or pool's message that quotes a database or Redis URL never reaches the log with
     * its password. Safe to call more than once.
     */
    public static void quiet() {
        QUIETED.forEach(logger -> logger.setLevel(Level.WARNING));
        for (Handler handler : Logger.getLogger("").getHandlers()) {
            if (!(handler.getFormatter() instanceof JsonLogFormatter)) {
                handler.setFormatter(new JsonLogFormatter());
            }
        }
    }
}
