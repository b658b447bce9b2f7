package com.monkeycoder.daemon.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.daemon.providers.WireFixtures;
import com.monkeycoder.daemon.testing.TestGateway;
import com.monkeycoder.shared.Json;
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

/**
 * What a client sends beyond the conversation: fields on the dialect's allow-list reach a provider of the same
 * family; fields and betas that would change the price unseen are withheld and named; a provider's refusal of a
 * client's request costs no other tenant the provider.
 */
class PassthroughPolicyTest {

    @TempDir
    Path home;

    private final MockWebServer openai = new MockWebServer();
    private final MockWebServer anthropic = new MockWebServer();
    private TestGateway gateway;

    @BeforeEach
    void start() throws IOException {
        openai.start();
        anthropic.start();
        gateway = TestGateway.start(home, Map.of(
                "OPENAI_API_KEY", "sk-test-0000", "OPENAI_BASE_URL", openai.url("/v1").toString(),
                "ANTHROPIC_API_KEY", "sk-ant-test-0000", "ANTHROPIC_BASE_URL", anthropic.url("/").toString(),
                "MONKEY_CODER_BREAKER_FAILURES", "3"));
    }

    @AfterEach
    void stop() throws IOException {
        gateway.close();
        openai.shutdown();
        anthropic.shutdown();
    }

    @Test
    void aPriorityServiceTierNeverReachesTheProviderAndIsNamedWhileLogprobsDo() throws Exception {
        openai.enqueue(WireFixtures.json("openai/chat-completion.json"));

        HttpResponse<String> response = gateway.post("/v1/chat/completions", """
                {"model":"openai/gpt-4.1-mini","messages":[{"role":"user","content":"hi"}],
                 "service_tier":"priority","logprobs":true,"top_logprobs":2}""");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode sent = Json.mapper().readTree(openai.takeRequest(5, TimeUnit.SECONDS).getBody().readUtf8());
        assertThat(sent.has("service_tier")).isFalse();
        assertThat(sent.path("logprobs").asBoolean()).isTrue();
        assertThat(sent.path("top_logprobs").asInt()).isEqualTo(2);
        assertThat(response.headers().firstValue("X-Monkey-Dropped")).contains("service_tier");
    }

    @Test
    void theLongContextBetaIsWithheldAndTheOtherBetasForwarded() throws Exception {
        anthropic.enqueue(WireFixtures.json("anthropic/message.json"));

        HttpResponse<String> response = gateway.post("/v1/messages?beta=true", """
                {"model":"anthropic/claude-sonnet-4-5","max_tokens":256,"messages":[{"role":"user","content":"hi"}],
                 "context_management":{"edits":[]},"container":"c-1"}""",
                Map.of("Authorization", "Bearer " + TestGateway.KEY,
                        "anthropic-beta", "interleaved-thinking-2025-05-14, context-1m-2025-08-07,fine-grained-tool-streaming-2025-05-14"));

        assertThat(response.statusCode()).isEqualTo(200);
        RecordedRequest sent = anthropic.takeRequest(5, TimeUnit.SECONDS);
        assertThat(sent.getHeader("anthropic-beta"))
                .isEqualTo("interleaved-thinking-2025-05-14,fine-grained-tool-streaming-2025-05-14");
        JsonNode body = Json.mapper().readTree(sent.getBody().readUtf8());
        assertThat(body.has("context_management")).isTrue();
        assertThat(body.has("container")).isFalse();
        assertThat(response.headers().firstValue("X-Monkey-Dropped").orElse(""))
                .contains("container").contains("anthropic-beta: context-1m-2025-08-07");
    }

    @Test
    void aProvidersRefusalOfOneClientsRequestsDoesNotOpenItsCircuitForEveryone() throws Exception {
        for (int i = 0; i < 5; i++) {
            openai.enqueue(new MockResponse().setResponseCode(400).setHeader("Content-Type", "application/json")
                    .setBody("{\"error\":{\"message\":\"Unrecognized request argument supplied: bogus\","
                            + "\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}}"));
            HttpResponse<String> refused = gateway.post("/v1/chat/completions", """
                    {"model":"openai/gpt-4.1-mini","messages":[{"role":"user","content":"attack %d"}],"logprobs":"bogus"}"""
                    .formatted(i));
            assertThat(refused.statusCode()).isEqualTo(502);
        }
        openai.enqueue(WireFixtures.json("openai/chat-completion.json"));

        HttpResponse<String> innocent = gateway.post("/v1/chat/completions", """
                {"model":"openai/gpt-4.1-mini","messages":[{"role":"user","content":"hello"}]}""");

        assertThat(innocent.statusCode()).isEqualTo(200);
        JsonNode providers = TestGateway.json(gateway.get("/v1/providers")).path("providers");
        for (JsonNode p : providers) {
            if (p.path("name").asText().equals("openai")) {
                assertThat(p.path("circuit").asText()).isEqualTo("closed");
            }
        }
    }
}
