package com.monkeycoder.daemon.logging;

import com.fasterxml.jackson.core.JsonGenerator;
import com.monkeycoder.shared.Json;
import com.monkeycoder.shared.Redaction;

import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;

/**
 * One line of the daemon's log that is not a request: the gateway started, stops, could not start, or a library
 * said something. Every line the daemon writes is one JSON object with {@code ts}, {@code level}, {@code event}
 * and {@code message}, as request lines are, so a log shipper (or {@code monkey daemon logs}) reads the whole log
 * the same way. Messages are redacted: a driver may quote a database URL with its password.
 */
public final class LogLine {

    private LogLine() {
    }

    /** The line, without its newline; {@code fields} (strings and numbers) follow the message in their order. */
    public static String of(String level, String event, String message, Map<String, ?> fields) {
        StringWriter out = new StringWriter(160);
        try (JsonGenerator g = Json.mapper().getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("ts", RequestLog.timestamp(Instant.now())); // one format for every line, to the millisecond
            g.writeStringField("level", level);
            g.writeStringField("event", event);
            g.writeStringField("message", Redaction.secrets(message));
            for (Map.Entry<String, ?> field : fields.entrySet()) {
                Object value = field.getValue();
                if (value instanceof Number n) {
                    g.writeNumberField(field.getKey(), n.longValue());
                } else {
                    g.writeStringField(field.getKey(), value == null ? null : Redaction.secrets(value.toString()));
                }
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Writes the line to {@code stream} and flushes it. */
    public static void write(PrintStream stream, String level, String event, String message, Map<String, ?> fields) {
        stream.println(of(level, event, message, fields));
        stream.flush();
    }
}
