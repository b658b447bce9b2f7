package com.monkeycoder.daemon.providers;

import okhttp3.mockwebserver.MockResponse;
import okio.Buffer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Provider wire recordings under {@code src/test/resources/fixtures/}, served byte for byte by MockWebServer,
 * and a way to drain an {@link EventStream} in tests.
 */
public final class WireFixtures {

    private WireFixtures() {
    }

    public static byte[] bytes(String path) {
        try (InputStream in = WireFixtures.class.getResourceAsStream("/fixtures/" + path)) {
            if (in == null) {
                throw new IllegalStateException("no fixture " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String text(String path) {
        return new String(bytes(path), StandardCharsets.UTF_8);
    }

    /** A 200 JSON answer. */
    public static MockResponse json(String path) {
        return json(200, path);
    }

    public static MockResponse json(int status, String path) {
        return new MockResponse().setResponseCode(status)
                .setHeader("Content-Type", "application/json")
                .setBody(new Buffer().write(bytes(path)));
    }

    /** A 200 event stream. */
    public static MockResponse sse(String path) {
        return sse(bytes(path));
    }

    public static MockResponse sse(byte[] wire) {
        return new MockResponse().setResponseCode(200)
                .setHeader("Content-Type", "text/event-stream")
                .setBody(new Buffer().write(wire));
    }

    /** Every event until the stream's end; a failure propagates. */
    public static List<StreamEvent> drain(EventStream stream) throws ProviderException {
        List<StreamEvent> events = new ArrayList<>();
        try (stream) {
            for (Optional<StreamEvent> e = stream.next(); e.isPresent(); e = stream.next()) {
                events.add(e.get());
            }
        }
        return events;
    }

    /** The answer's text as the events carried it. */
    public static String text(List<StreamEvent> events) {
        StringBuilder text = new StringBuilder();
        for (StreamEvent e : events) {
            if (e instanceof StreamEvent.TextDelta delta) {
                text.append(delta.text());
            }
        }
        return text.toString();
    }
}
