package com.monkeycoder.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One scrape of a gateway's {@code GET /metrics} (Prometheus text format), to read counters before and after a
 * run: cache hits, failovers, retries, requests by provider, circuit-breaker state. Only what the bench reads is
 * parsed: {@code name{label="value",...} number} lines.
 */
final class MetricsSnapshot {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** One sample: metric name, labels, value. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    private final List<Sample> samples;

    private MetricsSnapshot(List<Sample> samples) {
        this.samples = samples;
    }

    static MetricsSnapshot scrape(int port) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("/metrics answered HTTP " + r.statusCode());
        }
        return parse(r.body());
    }

    static MetricsSnapshot parse(String text) {
        List<Sample> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            if (!m.find()) {
                continue;
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(3) != null) {
                Matcher l = LABEL.matcher(m.group(3));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            try {
                out.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(4))));
            } catch (NumberFormatException ignored) {
                // NaN and friends are parsed by Double; anything else is not a sample we read
            }
        }
        return new MetricsSnapshot(out);
    }

    /** The sum of every series of {@code name} whose labels include {@code match} (name and value pairs). */
    double sum(String name, String... match) {
        double total = 0;
        for (Sample s : samples) {
            if (s.name().equals(name) && matches(s.labels(), match)) {
                total += s.value();
            }
        }
        return total;
    }

    /** This snapshot's {@link #sum} minus an earlier one's. */
    double since(MetricsSnapshot before, String name, String... match) {
        return sum(name, match) - before.sum(name, match);
    }

    /** Values of one label across the series of {@code name} (summed per value), e.g. requests by provider. */
    Map<String, Double> byLabel(String name, String label, String... match) {
        Map<String, Double> out = new TreeMap<>();
        for (Sample s : samples) {
            if (s.name().equals(name) && matches(s.labels(), match) && s.labels().containsKey(label)) {
                out.merge(s.labels().get(label), s.value(), Double::sum);
            }
        }
        return out;
    }

    /** Each provider's circuit-breaker state (the series whose value is 1). */
    Map<String, String> breakerStates() {
        Map<String, String> out = new TreeMap<>();
        for (Sample s : samples) {
            if (s.name().equals("monkey_circuit_breaker_state") && s.value() == 1) {
                out.put(s.labels().get("provider"), s.labels().get("state"));
            }
        }
        return out;
    }

    private static boolean matches(Map<String, String> labels, String[] match) {
        for (int i = 0; i + 1 < match.length; i += 2) {
            if (!match[i + 1].equals(labels.get(match[i]))) {
                return false;
            }
        }
        return true;
    }
}
