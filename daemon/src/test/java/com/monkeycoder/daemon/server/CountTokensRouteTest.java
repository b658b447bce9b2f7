package com.monkeycoder.daemon.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.daemon.testing.LedgerRows;
import com.monkeycoder.daemon.testing.TestGateway;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /v1/messages/count_tokens}: Anthropic's own count when Anthropic would answer, else a stated estimate. */
class CountTokensRouteTest {

    private static final String ROUTE = "/v1/messages/count_tokens";

    @TempDir
    Path home;

    private final MockWebServer anthropic = new MockWebServer();
    private TestGateway gateway;

    @BeforeEach
    void start() throws IOException {
        anthropic.start();
        gateway = TestGateway.start(home, Map.of("ANTHROPIC_API_KEY", "sk-ant-test-0000",
                "ANTHROPIC_BASE_URL", anthropic.url("/").toString()));
    }

    @AfterEach
    void stop() throws IOException {
        gateway.close();
        anthropic.shutdown();
    }

    @Test
    void anthropicCountsForItsOwnModelsAndNothingIsBilled() throws Exception {
        anthropic.enqueue(new MockResponse().setHeader("Content-Type", "application/json")
                .setBody("{\"input_tokens\": 2095}"));

        HttpResponse<String> response = gateway.post(ROUTE, """
                {"model":"anthropic/claude-sonnet-4-5","system":"You are terse.",
                 "tools":[{"name":"get_weather","input_schema":{"type":"object"}}],
                 "messages":[{"role":"user","content":"Weather in Paris?"}]}""");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(TestGateway.json(response).path("input_tokens").asLong()).isEqualTo(2095);
        assertThat(response.headers().firstValue("X-Monkey-Estimate")).contains("false");
        RecordedRequest sent = anthropic.takeRequest(5, TimeUnit.SECONDS);
        assertThat(sent.getPath()).isEqualTo("/v1/messages/count_tokens");
        JsonNode body = new com.fasterxml.jackson.databind.ObjectMapper().readTree(sent.getBody().readUtf8());
        assertThat(body.path("model").asText()).isEqualTo("claude-sonnet-4-5");
        assertThat(body.has("max_tokens")).isFalse();
        assertThat(body.path("tools").path(0).path("name").asText()).isEqualTo("get_weather");
        assertThat(LedgerRows.all(gateway)).isEmpty();
    }

    @Test
    void aProviderWithoutCountingGetsTheGatewaysStatedEstimate() {
        HttpResponse<String> response = gateway.post(ROUTE, """
                {"model":"demo/monkey-demo","messages":[{"role":"user","content":"create a REST API in Go"}]}""");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(TestGateway.json(response).path("input_tokens").asLong()).isPositive();
        assertThat(response.headers().firstValue("X-Monkey-Estimate")).contains("true");
        assertThat(anthropic.getRequestCount()).isZero();
    }

    @Test
    void anUpstreamThatCannotCountFallsBackToTheEstimate() {
        anthropic.enqueue(new MockResponse().setResponseCode(500).setBody("{}"));

        HttpResponse<String> response = gateway.post(ROUTE, """
                {"model":"anthropic/claude-sonnet-4-5","messages":[{"role":"user","content":"hi"}]}""");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Monkey-Estimate")).contains("true");
    }
}
