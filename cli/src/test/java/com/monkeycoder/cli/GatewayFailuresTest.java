package com.monkeycoder.cli;

import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CLI against a fake gateway (MockWebServer) answering what a real one does only under load, in a broken
 * deployment or never: its own rate limits and quotas, draining, streams cut short, or not being a gateway at all.
 */
class GatewayFailuresTest {

    private static final String KEY = "mk-live-fakegateway000000000000000000000000000000";

    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path home;

    private MockWebServer fake;
    private Map<String, String> env;

    @BeforeEach
    void start() throws IOException {
        fake = new MockWebServer();
        fake.start();
        // A home of its own, so no config.json of the machine running the tests takes part.
        env = Map.of("MONKEY_CODER_BASE_URL", fake.url("/").toString(), "MONKEY_CODER_API_KEY", KEY,
                "MONKEY_CODER_HOME", home.toString());
    }

    @AfterEach
    void stop() throws IOException {
        fake.shutdown();
    }

    @ParameterizedTest(name = "HTTP {0} {1} exits {2}")
    @CsvSource({
            "429, RATE_LIMIT_EXCEEDED, 4",
            "402, PAYMENT_REQUIRED,    4",
            "403, FORBIDDEN,           3",
            "413, PAYLOAD_TOO_LARGE,   2",
            "422, VALIDATION_ERROR,    2",
            "500, INTERNAL_ERROR,      1",
            "502, LLM_ERROR,           5",
            "503, SERVICE_UNAVAILABLE, 5",
            "504, GATEWAY_TIMEOUT,     5",
    })
    void errorEnvelopeBecomesItsMessageAndExitCode(int status, String code, int exitCode) throws Exception {
        fake.enqueue(envelope(status, code, "the fake gateway says " + code, "{}"));

        CliRun run = CliRun.run(env, "implement", "--provider", "demo", "create a REST API");

        assertThat(run.exitCode()).as("%s", run).isEqualTo(exitCode);
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines()).containsExactly("monkey: the fake gateway says " + code);
        RecordedRequest sent = fake.takeRequest(1, TimeUnit.SECONDS);
        assertThat(sent.getPath()).isEqualTo("/v1/execute");
        assertThat(sent.getHeader("Authorization")).isEqualTo("Bearer " + KEY);
    }

    @Test
    void drainingIsAProviderOrNetworkFailureButNoProviderIsConfiguration() {
        fake.enqueue(envelope(503, "SERVICE_UNAVAILABLE", "draining", "{\"reason\":\"draining\"}"));
        fake.enqueue(envelope(503, "SERVICE_UNAVAILABLE", "provider 'openai' is not configured",
                "{\"reason\":\"provider_not_configured\"}"));

        assertThat(CliRun.run(env, "models").exitCode()).isEqualTo(ExitCodes.PROVIDER_OR_NETWORK);
        assertThat(CliRun.run(env, "models").exitCode()).isEqualTo(ExitCodes.CONFIG_OR_AUTH);
    }

    @Test
    void somethingThatIsNotAGatewayIsANetworkFailure() {
        fake.enqueue(new MockResponse().setHeader("Content-Type", "text/html").setBody("<html>hello</html>"));

        CliRun run = CliRun.run(env, "models");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.PROVIDER_OR_NETWORK);
        assertThat(run.errLines()).singleElement().asString().startsWith("monkey: ").contains("did not answer with JSON");
    }

    @Test
    void errorWithoutTheEnvelopeStillGivesOneLineWithTheStatus() {
        fake.enqueue(new MockResponse().setResponseCode(404).setBody("Not Found"));

        CliRun run = CliRun.run(env, "usage");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.errLines()).containsExactly("monkey: the gateway answered HTTP 404");
    }

    @Test
    void streamThatEndsWithoutDoneKeepsItsTextAndIsAFailure() {
        fake.enqueue(sse("""
                event: start
                data: {"request_id":"req-1","provider":"demo","model":"monkey-demo"}

                event: delta
                data: {"content":"Monkeys write"}

                """).setSocketPolicy(SocketPolicy.KEEP_OPEN));

        CliRun run = CliRun.run(env, "implement", "--provider", "demo", "x");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.PROVIDER_OR_NETWORK);
        assertThat(run.out()).isEqualTo("Monkeys write\n");
        assertThat(run.errLines()).singleElement().asString().startsWith("monkey: ").contains("ended before it was complete");
    }

    @Test
    void streamCutMidwayKeepsItsTextAndIsANetworkFailure() {
        String events = """
                event: start
                data: {"request_id":"req-1","provider":"demo","model":"monkey-demo"}

                event: delta
                data: {"content":"Monkeys write"}

                """;
        // Announce more than is sent, then hang up: the connection breaks after the delta.
        fake.enqueue(sse(events).setHeader("Content-Length", events.length() + 100)
                .setSocketPolicy(SocketPolicy.DISCONNECT_AT_END));

        CliRun run = CliRun.run(env, "implement", "--provider", "demo", "x");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.PROVIDER_OR_NETWORK);
        assertThat(run.out()).isEqualTo("Monkeys write\n");
        assertThat(run.errLines()).singleElement().asString().isEqualTo("monkey: the answer from the gateway at "
                + fake.url("/").toString().replaceFirst("/$", "") + " broke off (unexpected end of stream)");
    }

    @Test
    void errorEventAfterTextKeepsTheTextAndUsesTheEventsStatus() {
        fake.enqueue(sse("""
                event: start
                data: {"request_id":"req-1","provider":"openai","model":"gpt-4.1-mini"}

                event: delta
                data: {"content":"Monkeys"}

                event: error
                data: {"error":{"code":"GATEWAY_TIMEOUT","message":"openai did not answer in time","statusCode":504,"timestamp":"2026-01-15T10:30:00Z","details":{}}}

                """));

        CliRun run = CliRun.run(env, "implement", "--provider", "openai", "x");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.PROVIDER_OR_NETWORK);
        assertThat(run.out()).isEqualTo("Monkeys\n");
        assertThat(run.errLines()).containsExactly("monkey: openai did not answer in time");
    }

    @Test
    void baseUrlFlagWinsOverTheEnvironmentAndATrailingSlashIsFine() throws Exception {
        fake.enqueue(new MockResponse().setHeader("Content-Type", "application/json")
                .setBody("{\"object\":\"list\",\"data\":[]}"));
        Map<String, String> elsewhere = CliRun.with(env, "MONKEY_CODER_BASE_URL", "http://127.0.0.1:9");

        CliRun run = CliRun.run(elsewhere, "models", "--json", "--base-url", fake.url("/").toString());

        assertThat(run.exitCode()).as("%s", run).isZero();
        assertThat(fake.takeRequest(1, TimeUnit.SECONDS).getPath()).isEqualTo("/v1/models");
    }

    private static MockResponse envelope(int status, String code, String message, String details) {
        return new MockResponse().setResponseCode(status).setHeader("Content-Type", "application/json").setBody("""
                {"error":{"code":"%s","message":"%s","statusCode":%d,"timestamp":"2026-01-15T10:30:00Z","details":%s}}"""
                .formatted(code, message, status, details));
    }

    private static MockResponse sse(String events) {
        return new MockResponse().setHeader("Content-Type", "text/event-stream").setBody(events);
    }
}
