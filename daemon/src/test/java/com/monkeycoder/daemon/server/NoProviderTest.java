package com.monkeycoder.daemon.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.daemon.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

import static com.monkeycoder.daemon.testing.ErrorEnvelopes.assertEnvelope;
import static org.assertj.core.api.Assertions.assertThat;

/** A gateway with no provider key: the operator is told what to set, and the offline demo still answers. */
class NoProviderTest {

    @TempDir
    Path home;

    private TestGateway gateway;

    @BeforeEach
    void start() {
        gateway = TestGateway.start(home, Map.of());
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void requestWithoutModelIsUnavailableNamingTheKeysToSet() {
        HttpResponse<String> response = gateway.post("/v1/execute", """
                {"prompt":"create a REST API"}""");

        JsonNode details = assertEnvelope(response, 503, "SERVICE_UNAVAILABLE");
        assertThat(details.path("reason").asText()).isEqualTo("no_provider_configured");
        assertThat(details.path("env")).extracting(JsonNode::asText).contains("OPENAI_API_KEY", "ANTHROPIC_API_KEY");
        assertThat(TestGateway.json(response).path("error").path("message").asText())
                .contains("OPENAI_API_KEY").contains("demo");
        assertNothingRecorded();
    }

    @Test
    void streamingRequestWithoutModelIsRefusedBeforeAnyEvent() {
        HttpResponse<String> response = gateway.post("/v1/execute", """
                {"prompt":"create a REST API","stream":true}""");

        JsonNode details = assertEnvelope(response, 503, "SERVICE_UNAVAILABLE");
        assertThat(details.path("reason").asText()).isEqualTo("no_provider_configured");
        assertNothingRecorded();
    }

    @Test
    void modelOfAnUnconfiguredProviderIsUnavailableNamingItsKey() {
        HttpResponse<String> response = gateway.post("/v1/execute", """
                {"prompt":"x","model":"openai/gpt-4.1-mini"}""");

        JsonNode details = assertEnvelope(response, 503, "SERVICE_UNAVAILABLE");
        assertThat(details.path("reason").asText()).isEqualTo("provider_not_configured");
        assertThat(details.path("provider").asText()).isEqualTo("openai");
        assertThat(details.path("env")).extracting(JsonNode::asText).containsExactly("OPENAI_API_KEY");
        assertThat(TestGateway.json(response).path("error").path("message").asText()).contains("OPENAI_API_KEY");
        assertNothingRecorded();
    }

    @Test
    void bareModelOfAnUnconfiguredProviderIsUnavailable() {
        HttpResponse<String> response = gateway.post("/v1/execute", """
                {"prompt":"x","model":"claude-sonnet-4-5"}""");

        JsonNode details = assertEnvelope(response, 503, "SERVICE_UNAVAILABLE");
        assertThat(details.path("reason").asText()).isEqualTo("provider_not_configured");
        assertThat(details.path("provider").asText()).isEqualTo("anthropic");
        assertNothingRecorded();
    }

    @Test
    void unconfiguredPreferredProviderIsUnavailable() {
        HttpResponse<String> response = gateway.post("/v1/execute", """
                {"prompt":"x","preferred_providers":["groq"]}""");

        JsonNode details = assertEnvelope(response, 503, "SERVICE_UNAVAILABLE");
        assertThat(details.path("reason").asText()).isEqualTo("provider_not_configured");
        assertThat(details.path("env")).extracting(JsonNode::asText).containsExactly("GROQ_API_KEY");
        assertNothingRecorded();
    }

    @Test
    void demoStillAnswersWhenAskedForByName() throws Exception {
        HttpResponse<String> response = gateway.post("/v1/execute", """
                {"prompt":"create a REST API","preferred_providers":["demo"]}""");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = TestGateway.json(response);
        assertThat(body.path("provider_used").asText()).isEqualTo("demo");
        assertThat(body.path("content").asText()).contains("offline demo");
        assertThat(gateway.gateway().ledger().count(body.path("request_id").asText())).isEqualTo(1);
    }

    @Test
    void providersListShowsNothingConfiguredButTheDemo() {
        JsonNode providers = TestGateway.json(gateway.get("/v1/providers")).path("providers");

        assertThat(providers).filteredOn(p -> p.path("configured").asBoolean())
                .extracting(p -> p.path("name").asText()).containsExactly("demo");
    }

    private void assertNothingRecorded() {
        assertThat(TestGateway.json(gateway.get("/v1/billing/usage")).path("totals").path("requests").asLong()).isZero();
    }
}
