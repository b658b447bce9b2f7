package com.monkeycoder.daemon.testing;

import okhttp3.mockwebserver.MockResponse;
import okio.Buffer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * OpenAI wire fixtures from {@code src/test/resources/fixtures/openai}, served by MockWebServer exactly as stored:
 * bytes in, bytes out, never re-encoded, so a fake answers with the documented bytes and nothing else.
 */
public final class OpenAiFixtures {

    private static final String ROOT = "/fixtures/openai/";

    private OpenAiFixtures() {
    }

    /** The fixture's bytes. */
    public static byte[] bytes(String name) {
        try (InputStream in = OpenAiFixtures.class.getResourceAsStream(ROOT + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + ROOT + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The fixture as UTF-8 text, for tests that cut or alter it. */
    public static String text(String name) {
        return new String(bytes(name), StandardCharsets.UTF_8);
    }

    /** A JSON answer with the given status, as OpenAI sends its completions and its errors. */
    public static MockResponse json(int status, String name) {
        return new MockResponse()
                .setResponseCode(status)
                .setHeader("Content-Type", "application/json")
                .setBody(new Buffer().write(bytes(name)));
    }

    /** A 200 event stream in HTTP/1.1 chunked encoding, as OpenAI streams its chunks. */
    public static MockResponse eventStream(String name) {
        return eventStream(bytes(name));
    }

    /** A 200 event stream of the given bytes in HTTP/1.1 chunked encoding. */
    public static MockResponse eventStream(byte[] body) {
        return new MockResponse()
                .setHeader("Content-Type", "text/event-stream; charset=utf-8")
                .setChunkedBody(new Buffer().write(body), 512);
    }

    /** A 200 event stream with a {@code Content-Length}, for tests that time or cut the body by bytes. */
    public static MockResponse eventStreamWithLength(byte[] body) {
        return new MockResponse()
                .setHeader("Content-Type", "text/event-stream; charset=utf-8")
                .setBody(new Buffer().write(body));
    }
}
