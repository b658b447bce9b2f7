package com.monkeycoder.daemon.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.daemon.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

import static com.monkeycoder.daemon.testing.ErrorEnvelopes.assertEnvelope;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Every bad input of issue 2 against one running gateway: the right status, the whole error envelope, no
 * ledger row for a request that never reached a provider, and a daemon that keeps answering afterwards.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadInputTest {

    private static final int MIB = 1024 * 1024;
    /** HTTP/1.1 only, so a body of unknown length goes out with {@code Transfer-Encoding: chunked}. */
    private static final HttpClient HTTP_1_1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path home;

    private static TestGateway gateway;

    @BeforeAll
    static void start() {
        gateway = TestGateway.start(home, Map.of());
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    static Stream<Arguments> malformedBodies() {
        return Stream.of(
                arguments("truncated JSON", "{\"prompt\":"),
                arguments("not JSON at all", "create a REST API"),
                arguments("a trailing comma", "{\"prompt\":\"x\",}"),
                arguments("single quotes", "{'prompt':'x'}"),
                arguments("an empty body", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedBodies")
    void malformedBodyIsBadRequest(String what, String body) {
        HttpResponse<String> response = gateway.post("/v1/execute", body);

        assertEnvelope(response, 400, "BAD_REQUEST");
        assertNothingRecorded();
    }

    static Stream<Arguments> invalidFields() {
        return Stream.of(
                arguments("no prompt and no messages", "{}", "prompt"),
                arguments("an empty prompt", "{\"prompt\":\"\"}", "prompt"),
                arguments("a blank prompt", "{\"prompt\":\"  \\n \"}", "prompt"),
                arguments("a null prompt and no messages", "{\"prompt\":null,\"messages\":[]}", "prompt"),
                arguments("a number as prompt", "{\"prompt\":5}", "prompt"),
                arguments("text as stream", "{\"prompt\":\"x\",\"stream\":\"yes\"}", "stream"),
                arguments("text as messages", "{\"messages\":\"x\"}", "messages"),
                arguments("text as temperature", "{\"prompt\":\"x\",\"model_config\":{\"temperature\":\"hot\"}}",
                        "model_config.temperature"),
                arguments("text as model_config", "{\"prompt\":\"x\",\"model_config\":\"hot\"}", "model_config"),
                arguments("temperature above 2", "{\"prompt\":\"x\",\"model_config\":{\"temperature\":3}}",
                        "model_config.temperature"),
                arguments("negative temperature", "{\"prompt\":\"x\",\"model_config\":{\"temperature\":-0.1}}",
                        "model_config.temperature"),
                arguments("zero max_tokens", "{\"prompt\":\"x\",\"model_config\":{\"max_tokens\":0}}",
                        "model_config.max_tokens"),
                arguments("a fractional max_tokens", "{\"prompt\":\"x\",\"model_config\":{\"max_tokens\":1.5}}",
                        "model_config.max_tokens"),
                arguments("an unknown role", "{\"messages\":[{\"role\":\"wizard\",\"content\":\"hi\"}]}",
                        "messages[0].role"),
                arguments("a missing role", "{\"messages\":[{\"content\":\"hi\"}]}", "messages[0].role"),
                arguments("a bad role in the second message",
                        "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"tool\",\"content\":\"x\"}]}",
                        "messages[1].role"),
                arguments("a message without content", "{\"messages\":[{\"role\":\"user\"}]}", "messages[0].content"),
                arguments("a number as message content", "{\"messages\":[{\"role\":\"user\",\"content\":7}]}",
                        "messages[0].content"),
                arguments("an unknown persona", "{\"prompt\":\"x\",\"persona\":\"pirate\"}", "persona"),
                arguments("text as preferred_providers", "{\"prompt\":\"x\",\"preferred_providers\":\"demo\"}",
                        "preferred_providers"));
    }

    @ParameterizedTest(name = "{0} -> 422 naming {2}")
    @MethodSource("invalidFields")
    void invalidFieldIsValidationErrorNamingIt(String what, String body, String field) {
        HttpResponse<String> response = gateway.post("/v1/execute", body);

        JsonNode details = assertEnvelope(response, 422, "VALIDATION_ERROR");
        assertThat(details.path("field").asText()).isEqualTo(field);
        assertThat(TestGateway.json(response).path("error").path("message").asText()).contains(field);
        assertNothingRecorded();
    }

    @Test
    void bodyOverOneMebibyteWithItsLengthDeclaredIsTooLarge() {
        byte[] body = promptOfSize(MIB + 1);
        HttpRequest request = execute(HttpRequest.BodyPublishers.ofByteArray(body));

        HttpResponse<String> response = send(request);

        JsonNode details = assertEnvelope(response, 413, "PAYLOAD_TOO_LARGE");
        assertThat(details.path("limit_bytes").asLong()).isEqualTo(MIB);
        assertNothingRecorded();
    }

    @Test
    void bodyFarOverTheLimitWithItsLengthDeclaredIsTooLarge() {
        byte[] body = promptOfSize(4 * MIB);

        HttpResponse<String> response = send(execute(HttpRequest.BodyPublishers.ofByteArray(body)));

        assertEnvelope(response, 413, "PAYLOAD_TOO_LARGE");
        assertNothingRecorded();
    }

    @Test
    void bodyBeyondWhatIsSwallowedCutsOnlyItsOwnConnection() {
        byte[] body = promptOfSize(MIB + (int) GatewayServer.SWALLOW_BYTES + MIB);
        try {
            HttpResponse<String> response = HTTP_1_1.send(execute(
                    HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))),
                    HttpResponse.BodyHandlers.ofString());
            assertEnvelope(response, 413, "PAYLOAD_TOO_LARGE");
        } catch (IOException cut) {
            // Past the swallow limit the gateway may close the connection while the client still sends: allowed.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }

        assertThat(gateway.get("/health").statusCode()).isEqualTo(200);
        assertNothingRecorded();
    }

    @Test
    void chunkedBodyOverOneMebibyteIsTooLarge() {
        byte[] body = promptOfSize(MIB + 1);
        // ofInputStream has no known length, so the client sends the body chunked, with no Content-Length.
        HttpRequest request = execute(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));

        HttpResponse<String> response = send(request);

        assertEnvelope(response, 413, "PAYLOAD_TOO_LARGE");
        assertNothingRecorded();
    }

    @Test
    void chunkedBodyFarOverTheLimitIsTooLarge() {
        byte[] body = promptOfSize(4 * MIB);

        HttpResponse<String> response = send(execute(
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))));

        assertEnvelope(response, 413, "PAYLOAD_TOO_LARGE");
        assertNothingRecorded();
    }

    @ParameterizedTest(name = "chunked={0}")
    @ValueSource(booleans = {false, true})
    void bodyOfExactlyOneMebibyteIsReadAndParsed(boolean chunked) {
        byte[] body = bodyOfSize("{\"persona\":\"pirate\",\"prompt\":\"", "\"}", MIB);
        HttpRequest.BodyPublisher publisher = chunked
                ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))
                : HttpRequest.BodyPublishers.ofByteArray(body);

        HttpResponse<String> response = send(execute(publisher));

        // Within the limit, the body is read whole and parsed: the unknown persona is what is refused.
        JsonNode details = assertEnvelope(response, 422, "VALIDATION_ERROR");
        assertThat(details.path("field").asText()).isEqualTo("persona");
        assertNothingRecorded();
    }

    @Test
    void unknownModelOfAKnownProviderIsBadRequestWithSuggestions() {
        HttpResponse<String> response = gateway.post("/v1/execute", """
                {"prompt":"x","model":"openai/gpt-9"}""");

        JsonNode details = assertEnvelope(response, 400, "BAD_REQUEST");
        assertThat(details.path("model").asText()).isEqualTo("openai/gpt-9");
        assertThat(details.path("suggestions").isArray()).isTrue();
        assertThat(details.path("suggestions")).isNotEmpty()
                .allSatisfy(s -> assertThat(s.asText()).startsWith("openai/gpt-"));
        assertNothingRecorded();
    }

    @Test
    void unknownModelWithNothingCloseNamesTheRouteThatListsModels() {
        HttpResponse<String> response = gateway.post("/v1/execute", """
                {"prompt":"x","model":"gpt-5-turbo"}""");

        JsonNode details = assertEnvelope(response, 400, "BAD_REQUEST");
        assertThat(details.path("model").asText()).isEqualTo("gpt-5-turbo");
        assertThat(details.path("suggestions")).isEmpty();
        // API clients read the API's words; the CLI puts its own command there.
        assertThat(TestGateway.json(response).path("error").path("message").asText())
                .isEqualTo("unknown model 'gpt-5-turbo' (GET /v1/models lists them)");
        assertNothingRecorded();
    }

    @Test
    void misspelledBareModelSuggestsTheCatalogModelFirst() {
        HttpResponse<String> response = gateway.post("/v1/execute", """
                {"prompt":"x","model":"gpt-4.1-mnii"}""");

        JsonNode details = assertEnvelope(response, 400, "BAD_REQUEST");
        assertThat(details.path("suggestions").path(0).asText()).isEqualTo("openai/gpt-4.1-mini");
        assertThat(TestGateway.json(response).path("error").path("message").asText())
                .contains("gpt-4.1-mnii").contains("openai/gpt-4.1-mini");
        assertNothingRecorded();
    }

    @Test
    void unknownProviderPrefixOfAModelIsBadRequest() {
        HttpResponse<String> response = gateway.post("/v1/execute", """
                {"prompt":"x","model":"skynet/t-800"}""");

        assertEnvelope(response, 400, "BAD_REQUEST");
        assertNothingRecorded();
    }

    @Test
    void unknownPreferredProviderIsBadRequestListingTheKnownOnes() {
        HttpResponse<String> response = gateway.post("/v1/execute", """
                {"prompt":"x","preferred_providers":["demo","skynet"]}""");

        JsonNode details = assertEnvelope(response, 400, "BAD_REQUEST");
        assertThat(details.path("provider").asText()).isEqualTo("skynet");
        assertThat(details.path("known")).extracting(JsonNode::asText).contains("openai", "demo");
        assertNothingRecorded();
    }

    static Stream<Arguments> refusedKeys() {
        return Stream.of(
                arguments("no key", Map.of()),
                arguments("a wrong bearer key", Map.of("Authorization", "Bearer mk-dev-wrong0000000000000000000000000000000000")),
                arguments("an empty bearer", Map.of("Authorization", "Bearer ")),
                arguments("the right key as Basic credentials", Map.of("Authorization", "Basic " + TestGateway.KEY)),
                arguments("the right key without a scheme", Map.of("Authorization", TestGateway.KEY)),
                arguments("a wrong x-api-key", Map.of("x-api-key", "mk-dev-wrong0000000000000000000000000000000000")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedKeys")
    void requestWithoutTheRightKeyIsUnauthorized(String what, Map<String, String> headers) {
        HttpResponse<String> response = gateway.post("/v1/execute", """
                {"prompt":"x","model":"demo/monkey-demo"}""", headers);

        assertEnvelope(response, 401, "UNAUTHORIZED");
        assertThat(response.body()).doesNotContain(TestGateway.KEY);
        assertNothingRecorded();
    }

    @Test
    void keyIsCheckedBeforeTheBodyIsRead() {
        HttpResponse<String> response = gateway.post("/v1/execute", "{\"prompt\":", Map.of());

        assertEnvelope(response, 401, "UNAUTHORIZED");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/v1/nothing-here", "/v2/execute", "/v1/execute/extra"})
    void unknownRouteIsNotFound(String path) {
        assertEnvelope(gateway.get(path), 404, "NOT_FOUND");
        assertEnvelope(gateway.post(path, "{}"), 404, "NOT_FOUND");
        assertNothingRecorded();
    }

    @Test
    void wrongMethodOnAKnownRouteIsMethodNotAllowed() {
        HttpResponse<String> response = gateway.get("/v1/execute");

        assertEnvelope(response, 405, "METHOD_NOT_ALLOWED");
        assertNothingRecorded();
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void daemonStillAnswersAfterEveryBadInput() throws Exception {
        assertThat(gateway.get("/health").statusCode()).isEqualTo(200);
        HttpResponse<String> response = gateway.post("/v1/execute", """
                {"prompt":"still there?","model":"demo/monkey-demo"}""");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode usage = TestGateway.json(gateway.get("/v1/billing/usage"));
        assertThat(usage.path("totals").path("requests").asLong()).isEqualTo(1);
        assertThat(gateway.gateway().ledger().count(TestGateway.json(response).path("request_id").asText())).isEqualTo(1);
    }

    private static void assertNothingRecorded() {
        HttpResponse<String> usage = gateway.get("/v1/billing/usage");
        assertThat(usage.statusCode()).isEqualTo(200);
        assertThat(TestGateway.json(usage).path("totals").path("requests").asLong()).isZero();
    }

    private static HttpRequest execute(HttpRequest.BodyPublisher body) {
        return HttpRequest.newBuilder(gateway.uri("/v1/execute"))
                .header("Authorization", "Bearer " + TestGateway.KEY)
                .header("Content-Type", "application/json")
                .POST(body)
                .build();
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP_1_1.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("the gateway dropped the connection instead of answering", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** A valid execute body of exactly {@code size} bytes. */
    private static byte[] promptOfSize(int size) {
        return bodyOfSize("{\"model\":\"demo/monkey-demo\",\"prompt\":\"", "\"}", size);
    }

    private static byte[] bodyOfSize(String head, String tail, int size) {
        String pad = "a".repeat(size - head.length() - tail.length());
        byte[] bytes = (head + pad + tail).getBytes(StandardCharsets.UTF_8);
        assertThat(bytes).hasSize(size);
        return bytes;
    }
}
