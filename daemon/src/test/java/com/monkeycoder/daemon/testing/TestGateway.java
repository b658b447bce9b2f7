package com.monkeycoder.daemon.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.daemon.Gateway;
import com.monkeycoder.daemon.config.GatewayConfig;
import com.monkeycoder.daemon.config.GatewayMode;
import com.monkeycoder.daemon.routing.Sleeper;
import com.monkeycoder.shared.Json;
import com.monkeycoder.shared.sse.SseEvent;
import com.monkeycoder.shared.sse.SseReader;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A real gateway for tests: started in-process on a random loopback port, with its own MONKEY_CODER_HOME and
 * a known local key, and an environment that holds only what the test gives it (no provider key leaks in from
 * the machine running the tests).
 */
public final class TestGateway implements AutoCloseable {

    public static final String KEY = "mk-dev-test0000000000000000000000000000000000";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Gateway gateway;
    private final Map<String, String> env;

    private TestGateway(Gateway gateway, Map<String, String> env) {
        this.gateway = gateway;
        this.env = env;
    }

    /** A gateway whose environment is {@code extraEnv} plus its home, key, port 0 and a fast demo. */
    public static TestGateway start(Path home, Map<String, String> extraEnv) {
        return start(home, extraEnv, Duration.ofSeconds(10));
    }

    /** The same, with the given time-to-first-byte / idle timeout for provider calls. */
    public static TestGateway start(Path home, Map<String, String> extraEnv, Duration upstreamTimeout) {
        return start(home, extraEnv, upstreamTimeout, Clock.systemUTC(), Sleeper.REAL);
    }

    /** The same, with the clock and the retry pauses under the test's control. */
    public static TestGateway start(Path home, Map<String, String> extraEnv, Duration upstreamTimeout, Clock clock,
                                    Sleeper sleeper) {
        return start(home, extraEnv, upstreamTimeout, clock, sleeper, System.err, null);
    }

    /** A gateway whose request log (one JSON line per request) goes to {@code requestLog}, for tests that read it. */
    public static TestGateway startLogging(Path home, Map<String, String> extraEnv, java.io.PrintStream requestLog) {
        return start(home, extraEnv, Duration.ofSeconds(10), Clock.systemUTC(), Sleeper.REAL, requestLog, null);
    }

    /**
     * A shared gateway ({@code --mode gateway}) on the given stores: accounts, keys and the ledger in their
     * database, limits and revocations under their Redis prefix. Several may share one {@code stores}.
     */
    public static TestGateway startShared(Path home, SharedStores stores, Map<String, String> extraEnv, Clock clock) {
        Map<String, String> env = new HashMap<>(stores.gatewayEnv());
        env.putAll(extraEnv);
        return start(home, env, Duration.ofSeconds(10), clock, Sleeper.REAL, System.err, GatewayMode.GATEWAY);
    }

    /** The same, with the given time-to-first-byte / idle timeout for provider calls. */
    public static TestGateway startShared(Path home, SharedStores stores, Map<String, String> extraEnv, Clock clock,
                                          Duration upstreamTimeout) {
        Map<String, String> env = new HashMap<>(stores.gatewayEnv());
        env.putAll(extraEnv);
        return start(home, env, upstreamTimeout, clock, Sleeper.REAL, System.err, GatewayMode.GATEWAY);
    }

    private static TestGateway start(Path home, Map<String, String> extraEnv, Duration upstreamTimeout, Clock clock,
                                     Sleeper sleeper, java.io.PrintStream requestLog, GatewayMode mode) {
        Map<String, String> env = new HashMap<>();
        env.put("MONKEY_CODER_HOME", home.toString());
        env.put("MONKEY_CODER_LOCAL_KEY", KEY);
        env.put("MONKEY_CODER_DEMO_DELAY_MS", "0");
        // One call per request unless a test is about retries: a fake upstream answers exactly what it was given.
        env.put("MONKEY_CODER_MAX_ATTEMPTS", "1");
        // Point Ollama's probe at a port where nothing listens, so a local Ollama never joins a test.
        env.put("OLLAMA_BASE_URL", "http://127.0.0.1:9/v1");
        // A 1 MiB body limit (the default is 32) keeps the tests of the limit small.
        env.put("MONKEY_CODER_MAX_BODY_MB", "1");
        // No balancer to wait for: a shared gateway's close drains without the pause (a drain test sets one).
        env.put("MONKEY_CODER_DRAIN_PAUSE", "0");
        env.putAll(extraEnv);
        GatewayConfig config = GatewayConfig.resolve(env, 0, mode)
                .withUpstreamTimeouts(Duration.ofSeconds(2), upstreamTimeout);
        try {
            return new TestGateway(Gateway.start(config, clock, sleeper, requestLog), Map.copyOf(env));
        } catch (Exception e) {
            throw new IllegalStateException("the test gateway did not start: " + e.getMessage(), e);
        }
    }

    public Gateway gateway() {
        return gateway;
    }

    public int port() {
        return gateway.port();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** The environment the gateway was started with: a CLI test hands the same to the CLI. */
    public Map<String, String> env() {
        return env;
    }

    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + KEY).GET().build());
    }

    /** A GET with another key (null for none). */
    public HttpResponse<String> get(String path, String key) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).GET();
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return send(b.build());
    }

    /** A POST with another key (null for none). */
    public HttpResponse<String> post(String path, String json, String key) {
        return post(path, json, key == null ? Map.of() : Map.of("Authorization", "Bearer " + key));
    }

    public HttpResponse<String> delete(String path, String key) {
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + key).DELETE().build());
    }

    public HttpResponse<String> post(String path, String json) {
        return post(path, json, Map.of("Authorization", "Bearer " + KEY));
    }

    public HttpResponse<String> post(String path, String json, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        headers.forEach(b::header);
        return send(b.build());
    }

    public HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public URI uri(String path) {
        return URI.create(baseUrl() + path);
    }

    public static JsonNode json(HttpResponse<String> response) {
        return parse(response.body());
    }

    public static JsonNode parse(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    /** The events of an SSE body, in order. */
    public static List<SseEvent> events(String body) {
        List<SseEvent> events = new ArrayList<>();
        try (SseReader reader = new SseReader(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)))) {
            for (Optional<SseEvent> e = reader.next(); e.isPresent(); e = reader.next()) {
                events.add(e.get());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return events;
    }

    /** The request id the gateway gave a response. */
    public static String requestId(HttpResponse<?> response) {
        return response.headers().firstValue("X-Request-Id")
                .orElseThrow(() -> new AssertionError("no X-Request-Id header"));
    }

    @Override
    public void close() {
        gateway.close();
    }
}
