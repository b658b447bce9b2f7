package com.monkeycoder.daemon.providers;

import com.monkeycoder.daemon.conversation.StreamEvent;
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

    /** A text conversation in the canonical model, from the shared wire's messages (system ones first). */
    public static com.monkeycoder.daemon.conversation.ConversationRequest request(String model,
            List<com.monkeycoder.shared.wire.ChatMessage> messages, com.monkeycoder.shared.wire.ModelConfig config) {
        List<com.monkeycoder.daemon.conversation.Part> system = new ArrayList<>();
        List<com.monkeycoder.daemon.conversation.Message> turns = new ArrayList<>();
        for (var m : messages) {
            if (m.role().equals("system")) {
                system.add(new com.monkeycoder.daemon.conversation.Part.Text(m.content()));
            } else {
                turns.add(new com.monkeycoder.daemon.conversation.Message(
                        com.monkeycoder.daemon.conversation.Role.valueOf(m.role().toUpperCase()),
                        List.of(new com.monkeycoder.daemon.conversation.Part.Text(m.content()))));
            }
        }
        var c = config == null ? com.monkeycoder.shared.wire.ModelConfig.DEFAULTS : config;
        return new com.monkeycoder.daemon.conversation.ConversationRequest(model, system, turns, List.of(), null, null,
                null, List.of(), com.monkeycoder.daemon.conversation.Sampling.of(c.temperature(), c.topP()),
                c.maxTokens(), null, java.util.Map.of(), null);
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
