package com.monkeycoder.cli.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.shared.Json;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One line of the daemon's log read back: the daemon writes every line as a JSON object ({@code ts}, {@code level},
 * {@code event}, {@code message}; a request's line has its status, route, model, latency and error instead of a
 * message), and {@code monkey daemon logs} shows it to people as one short line.
 */
record DaemonLogLine(JsonNode fields) {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

    /** The line's fields, or empty when it is not a JSON object (a log an older daemon wrote, a JVM's own words). */
    static Optional<DaemonLogLine> parse(String line) {
        if (!line.startsWith("{")) {
            return Optional.empty();
        }
        try {
            JsonNode node = Json.mapper().readTree(line);
            return node != null && node.isObject() ? Optional.of(new DaemonLogLine(node)) : Optional.empty();
        } catch (Exception notJson) {
            return Optional.empty();
        }
    }

    String message() {
        return fields.path("message").asText("");
    }

    /**
     * For people, times in {@code zone}. A request: {@code time  status  method route  provider/model  latency  error
     * code (reason)}; anything else: {@code time  level  message}, and the logger and error of a library's record.
     */
    String pretty(ZoneId zone) {
        List<String> cells = new ArrayList<>();
        cells.add(time(zone));
        if ("request".equals(fields.path("event").asText())) {
            cells.add(Integer.toString(fields.path("status").asInt()));
            cells.add((fields.path("method").asText("") + " " + fields.path("route").asText("")).strip());
            cells.add(model());
            cells.add(latency());
            if (fields.hasNonNull("error_code")) {
                String reason = fields.path("error_reason").asText("");
                cells.add(fields.path("error_code").asText() + (reason.isEmpty() ? "" : " (" + reason + ")"));
            }
            return String.join("  ", cells);
        }
        cells.add(String.format(Locale.ROOT, "%-5s", fields.path("level").asText("INFO")));
        String text = message();
        if (fields.hasNonNull("logger")) {
            text += " [" + fields.path("logger").asText() + "]";
        }
        if (fields.hasNonNull("error")) {
            text += ": " + fields.path("error").asText();
        }
        cells.add(text);
        return String.join("  ", cells);
    }

    private String time(ZoneId zone) {
        String ts = fields.path("ts").asText("");
        try {
            return TIME.format(Instant.parse(ts).atZone(zone));
        } catch (DateTimeParseException e) {
            return ts;
        }
    }

    private String model() {
        String provider = fields.path("provider").asText("");
        String model = fields.path("model").asText("");
        if (provider.isEmpty() && model.isEmpty()) {
            return "-";
        }
        return provider.isEmpty() ? model : model.isEmpty() ? provider : provider + "/" + model;
    }

    private String latency() {
        double ms = fields.path("latency_ms").asDouble();
        return ms >= 10_000 ? String.format(Locale.ROOT, "%.1f s", ms / 1000)
                : String.format(Locale.ROOT, "%d ms", Math.round(ms));
    }
}
