package com.monkeycoder.daemon.logging;

import java.util.List;
import com.monkeycoder.shared.Redaction;

import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
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

    /**
     * Sets the libraries' loggers to WARNING, and makes every handler of the root logger redact passwords
     * ({@link Redaction}): a driver's or pool's message that quotes a database or Redis URL never reaches the log
     * with its password. Safe to call more than once.
     */
    public static void quiet() {
        QUIETED.forEach(logger -> logger.setLevel(Level.WARNING));
        for (Handler handler : Logger.getLogger("").getHandlers()) {
            Formatter formatter = handler.getFormatter();
            if (formatter != null && !(formatter instanceof RedactingFormatter)) {
                handler.setFormatter(new RedactingFormatter(formatter));
            }
        }
    }

    /** Formats as {@code inner} does, then takes passwords out of the whole line (stack traces included). */
    static final class RedactingFormatter extends Formatter {
        private final Formatter inner;

        RedactingFormatter(Formatter inner) {
            this.inner = inner;
        }

        @Override
        public String format(LogRecord record) {
            return Redaction.secrets(inner.format(record));
        }

        @Override
        public String getHead(Handler h) {
            return inner.getHead(h);
        }

        @Override
        public String getTail(Handler h) {
            return inner.getTail(h);
        }
    }
}
