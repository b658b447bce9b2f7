package com.monkeycoder.daemon.logging;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * Formats a java.util.logging record (ours through {@link System.Logger}, HikariCP's through SLF4J, Undertow's
 * through JBoss Logging) as one {@link LogLine}, where the JDK's own formatter writes two lines (time and source,
 * then level and message) that no JSON reader of the log could parse. A thrown exception is named with its message,
 * and its causes', on the same line: a stack trace stays out of the log, which users read.
 */
public final class JsonLogFormatter extends Formatter {

    @Override
    public String format(LogRecord record) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("logger", record.getLoggerName());
        if (record.getThrown() != null) {
            fields.put("error", causes(record.getThrown()));
        }
        return LogLine.of(level(record.getLevel()), "log", formatMessage(record), fields) + System.lineSeparator();
    }

    /** The level names of the request log: ERROR, WARN, INFO, DEBUG. */
    static String level(Level level) {
        int value = level.intValue();
        if (value >= Level.SEVERE.intValue()) {
            return "ERROR";
        }
        if (value >= Level.WARNING.intValue()) {
            return "WARN";
        }
        return value >= Level.INFO.intValue() ? "INFO" : "DEBUG";
    }

    private static String causes(Throwable thrown) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = thrown; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (!text.isEmpty()) {
                text.append(" <- ");
            }
            text.append(t);
        }
        return text.toString();
    }
}
