package com.monkeycoder.daemon.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.daemon.testing.OpenAiFixtures;
import com.monkeycoder.daemon.testing.TestGateway;
import com.monkeycoder.shared.Version;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import static com.monkeycoder.daemon.testing.ErrorEnvelopes.assertEnvelope;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** {@code /health}, {@code /v1/models}, {@code /v1/providers} and {@code /v1/billing/usage}. */
class InfoRoutesTest {

    private static final String UPSTREAM_KEY = "sk-test-upstream-key-0000-do-not-show";

    @TempDir
    Path home;

    private MockWebServer openai;
    private TestGateway gateway;

    @BeforeEach
    void start() throws IOException {
        openai = new MockWebServer();
        openai.start();
        gateway = TestGateway.start(home, Map.of("OPENAI_API_KEY", UPSTREAM_KEY,
                "OPENAI_BASE_URL", openai.url("/v1").toString()));
    }

    @AfterEach
    void stop() throws IOException {
        gateway.close();
        openai.shutdown();
    }

    @Test
    void healthNeedsNoKeyAndSaysOkWithTheVersion() {
        HttpResponse<String> response = gateway.send(HttpRequest.newBuilder(gateway.uri("/health")).GET().build());

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = TestGateway.json(response);
        assertThat(body.path("status").asText()).isEqualTo("ok");
        assertThat(body.path("version").asText()).isEqualTo(Version.current()).isNotBlank();
        assertThat(body.path("mode").asText()).isEqualTo("local");
        assertThat(response.headers().firstValue("X-Request-Id")).isPresent();
    }

    @Test
    void modelsAreOpenAisListShapeWithAvailabilityFromConfiguredProviders() {
        HttpResponse<String> response = gateway.get("/v1/models");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = TestGateway.json(response);
        assertThat(body.path("object").asText()).isEqualTo("list");
        JsonNode data = body.path("data");
        assertThat(data).isNotEmpty().allSatisfy(m -> {
            assertThat(m.path("id").asText()).matches("[a-z]+/.+");
            assertThat(m.path("object").asText()).isEqualTo("model");
            assertThat(m.path("owned_by").asText()).isEqualTo(m.path("id").asText().split("/")[0]);
            assertThat(m.path("created").isIntegralNumber()).isTrue();
            String provider = m.path("provider").asText();
            assertThat(m.path("available").asBoolean()).as("available %s", m.path("id").asText())
                    .isEqualTo(provider.equals("openai") || provider.equals("demo"));
        });
        assertThat(ids(data)).contains("openai/gpt-4.1-mini", "demo/monkey-demo", "anthropic/claude-sonnet-4-5",
                "openrouter/openai/gpt-4o-mini");
        JsonNode mini = model(data, "openai/gpt-4.1-mini");
        assertThat(mini.path("owned_by").asText()).isEqualTo("openai");
        assertThat(mini.path("available").asBoolean()).isTrue();
        assertThat(model(data, "demo/monkey-demo").path("available").asBoolean()).isTrue();
        assertThat(model(data, "anthropic/claude-sonnet-4-5").path("available").asBoolean()).isFalse();
    }

    @Test
    void anthropicClientsGetAnthropicsModelListShape() {
        HttpResponse<String> response = gateway.send(HttpRequest.newBuilder(gateway.uri("/v1/models"))
                .header("x-api-key", TestGateway.KEY).header("anthropic-version", "2023-06-01").GET().build());

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = TestGateway.json(response);
        assertThat(body.path("has_more").asBoolean(true)).isFalse();
        JsonNode data = body.path("data");
        assertThat(body.path("first_id").asText()).isEqualTo(data.path(0).path("id").asText());
        assertThat(body.path("last_id").asText()).isEqualTo(data.path(data.size() - 1).path("id").asText());
        assertThat(data).isNotEmpty().allSatisfy(m -> {
            assertThat(m.path("type").asText()).isEqualTo("model");
            assertThat(m.path("created_at").asText()).matches("\\d{4}-\\d{2}-\\d{2}T.*Z");
            assertThat(m.has("display_name")).isTrue();
            assertThat(m.has("object")).isFalse();
        });
        assertThat(ids(data)).contains("anthropic/claude-sonnet-4-5", "demo/monkey-demo");
    }

    @Test
    void headOfTheRootAnswersWithoutAKeyForClientsThatCheckTheGatewayIsThere() {
        HttpResponse<String> response = gateway.send(HttpRequest.newBuilder(gateway.uri("/"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());

        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void modelsNeedTheKey() {
        HttpResponse<String> response = gateway.send(HttpRequest.newBuilder(gateway.uri("/v1/models")).GET().build());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(TestGateway.json(response).path("error").path("type").asText()).isEqualTo("authentication_error");
    }

    @Test
    void providersListsEveryCatalogProviderAndNeverAKey() {
        HttpResponse<String> response = gateway.get("/v1/providers");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).doesNotContain(UPSTREAM_KEY).doesNotContain("do-not-show")
                .doesNotContain(TestGateway.KEY);
        JsonNode providers = TestGateway.json(response).path("providers");
        assertThat(providers).extracting(p -> p.path("name").asText()).containsExactly(
                "openai", "anthropic", "google", "groq", "xai", "perplexity", "moonshot", "openrouter", "ollama", "demo");
        assertThat(providers).allSatisfy(p -> {
            assertThat(p.has("configured")).isTrue();
            assertThat(p.path("key_env").isArray()).isTrue();
        });
        assertThat(providers).filteredOn(p -> p.path("configured").asBoolean())
                .extracting(p -> p.path("name").asText()).containsExactlyInAnyOrder("openai", "demo");
        JsonNode openAi = providers.path(0);
        assertThat(openAi.path("key_env")).extracting(JsonNode::asText).containsExactly("OPENAI_API_KEY");
        JsonNode google = providers.path(2);
        assertThat(google.path("key_env")).extracting(JsonNode::asText).containsExactly("GOOGLE_API_KEY", "GEMINI_API_KEY");
    }

    @Test
    void usageAggregatesByModelProviderAndDay() {
        Set<String> days = Set.of(today(), LocalDate.now(ZoneOffset.UTC).plusDays(1).toString());
        openai.enqueue(OpenAiFixtures.json(200, "chat-completion.json"));
        openai.enqueue(OpenAiFixtures.json(500, "error-500.json"));
        assertThat(execute("{\"prompt\":\"a\",\"model\":\"demo/monkey-demo\"}")).isEqualTo(200);
        assertThat(execute("{\"prompt\":\"b\",\"model\":\"demo/monkey-demo\",\"stream\":true}")).isEqualTo(200);
        assertThat(execute("{\"prompt\":\"c\",\"model\":\"openai/gpt-4.1-mini\"}")).isEqualTo(200);
        assertThat(execute("{\"prompt\":\"d\",\"model\":\"gpt-4.1-mini\"}")).isEqualTo(502);

        HttpResponse<String> response = gateway.get("/v1/billing/usage");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode usage = TestGateway.json(response);
        JsonNode totals = usage.path("totals");
        assertThat(totals.path("requests").asLong()).isEqualTo(4);
        assertThat(totals.path("errors").asLong()).isEqualTo(1);
        // gpt-4.1-mini: 27 prompt tokens at $0.40/M and 14 completion tokens at $1.60/M, each rounded to a micro-dollar.
        assertThat(totals.path("cost_micros").asLong()).isEqualTo(11 + 22);

        assertThat(usage.path("by_model")).extracting(b -> b.path("key").asText())
                .containsExactly("demo/monkey-demo", "openai/gpt-4.1-mini");
        JsonNode mini = usage.path("by_model").path(1);
        assertThat(mini.path("requests").asLong()).isEqualTo(2);
        assertThat(mini.path("errors").asLong()).isEqualTo(1);
        assertThat(mini.path("prompt_tokens").asLong()).isEqualTo(27);
        assertThat(mini.path("completion_tokens").asLong()).isEqualTo(14);
        JsonNode demo = usage.path("by_model").path(0);
        assertThat(demo.path("requests").asLong()).isEqualTo(2);
        assertThat(demo.path("cost_micros").asLong()).isZero();

        assertThat(usage.path("by_provider")).extracting(b -> b.path("key").asText(), b -> b.path("requests").asLong())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("demo", 2L),
                        org.assertj.core.groups.Tuple.tuple("openai", 2L));
        assertThat(usage.path("by_day")).allSatisfy(d -> assertThat(days).contains(d.path("key").asText()));
        assertThat(StreamSupport.stream(usage.path("by_day").spliterator(), false)
                .mapToLong(d -> d.path("requests").asLong()).sum()).isEqualTo(4);
    }

    @Test
    void usageWindowFollowsDaysAndFromTo() {
        assertThat(execute("{\"prompt\":\"a\",\"model\":\"demo/monkey-demo\"}")).isEqualTo(200);
        Instant now = Instant.now();

        assertThat(requests("/v1/billing/usage?days=1")).isEqualTo(1);
        assertThat(requests("/v1/billing/usage?days=3660")).isEqualTo(1);
        assertThat(requests("/v1/billing/usage?from=2000-01-01T00:00:00Z")).isEqualTo(1);
        assertThat(requests("/v1/billing/usage?from=2000-01-01T00:00:00Z&to=2000-01-02T00:00:00Z")).isZero();
        assertThat(requests("/v1/billing/usage?from=" + now.plus(Duration.ofMinutes(1))
                + "&to=" + now.plus(Duration.ofDays(1)))).isZero();
        assertThat(requests("/v1/billing/usage?from=" + now.minus(Duration.ofHours(1))
                + "&to=" + now.plus(Duration.ofHours(1)))).isEqualTo(1);

        JsonNode window = TestGateway.json(gateway.get("/v1/billing/usage?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z"));
        assertThat(window.path("from").asText()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(window.path("to").asText()).isEqualTo("2026-01-02T00:00:00Z");
        assertThat(window.path("by_model")).isEmpty();
    }

    static Stream<Arguments> badUsageWindows() {
        return Stream.of(
                arguments("days=0", "days"),
                arguments("days=-3", "days"),
                arguments("days=abc", "days"),
                arguments("days=1.5", "days"),
                arguments("days=3661", "days"),
                arguments("from=yesterday", "from"),
                arguments("from=2026-01-01", "from"),
                arguments("to=soon", "to"),
                arguments("from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", "from"),
                arguments("from=2026-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", "from"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badUsageWindows")
    void badUsageWindowIsValidationErrorNamingTheParameter(String query, String field) {
        HttpResponse<String> response = gateway.get("/v1/billing/usage?" + query);

        JsonNode details = assertEnvelope(response, 422, "VALIDATION_ERROR");
        assertThat(details.path("field").asText()).isEqualTo(field);
    }

    @Test
    void usageNeedsTheKey() {
        HttpResponse<String> response = gateway.send(HttpRequest.newBuilder(gateway.uri("/v1/billing/usage")).GET().build());

        assertEnvelope(response, 401, "UNAUTHORIZED");
    }

    private int execute(String body) {
        return gateway.post("/v1/execute", body).statusCode();
    }

    private long requests(String path) {
        HttpResponse<String> response = gateway.get(path);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestGateway.json(response).path("totals").path("requests").asLong();
    }

    private static String today() {
        return LocalDate.now(ZoneOffset.UTC).toString();
    }

    private static Stream<String> idStream(JsonNode data) {
        return StreamSupport.stream(data.spliterator(), false).map(m -> m.path("id").asText());
    }

    private static java.util.List<String> ids(JsonNode data) {
        return idStream(data).toList();
    }

    private static JsonNode model(JsonNode data, String id) {
        return StreamSupport.stream(data.spliterator(), false).filter(m -> m.path("id").asText().equals(id))
                .findFirst().orElseThrow(() -> new AssertionError("no model " + id));
    }
}
