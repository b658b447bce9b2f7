package com.monkeycoder.daemon.providers.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.daemon.catalog.ModelCatalog;
import com.monkeycoder.daemon.catalog.ModelEntry;
import com.monkeycoder.daemon.conversation.Answer;
import com.monkeycoder.daemon.conversation.FinishReason;
import com.monkeycoder.daemon.conversation.Message;
import com.monkeycoder.daemon.conversation.Sampling;
import com.monkeycoder.daemon.conversation.ConversationRequest;
import com.monkeycoder.daemon.providers.WireFixtures;
import com.monkeycoder.daemon.providers.EventStream;
import com.monkeycoder.daemon.providers.ProviderException;
import com.monkeycoder.daemon.providers.ProviderException.Kind;
import com.monkeycoder.daemon.conversation.StreamEvent;
import com.monkeycoder.daemon.conversation.StreamEvent.Finished;
import com.monkeycoder.daemon.conversation.StreamEvent.TextDelta;
import com.monkeycoder.daemon.conversation.StreamEvent.UsageReported;
import com.monkeycoder.daemon.conversation.TokenCount;
import com.monkeycoder.shared.Json;
import com.monkeycoder.shared.wire.ChatMessage;
import com.monkeycoder.shared.wire.ModelConfig;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static com.monkeycoder.daemon.providers.WireFixtures.bytes;
import static com.monkeycoder.daemon.providers.WireFixtures.drain;
import static com.monkeycoder.daemon.providers.WireFixtures.json;
import static com.monkeycoder.daemon.providers.WireFixtures.sse;
import static com.monkeycoder.daemon.providers.WireFixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class GeminiAdapterTest {

    /** Shaped like a Google API key so that redaction is exercised; not a key. */
    private static final String KEY = "AIzaFAKEfakeFAKEfake0123456789abcdefghi";

    private final MockWebServer google = new MockWebServer();
    private final OkHttpClient http = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(10)).build();
    private GeminiAdapter adapter;

    @BeforeEach
    void start() throws IOException {
        google.start();
        adapter = new GeminiAdapter("google", google.url("/").toString(), KEY, http);
    }

    @AfterEach
    void stop() throws IOException {
        google.shutdown();
    }

    private static ConversationRequest request() {
        return WireFixtures.request("gemini-2.5-flash",
                List.of(ChatMessage.system("Answer in one sentence."), ChatMessage.user("Explain how AI works")),
                null);
    }

    @Test
    void jsonAnswerJoinsItsPartsAndSplitsCachedAndThinkingTokens() throws Exception {
        google.enqueue(json("gemini/generate-content.json"));

        Answer completion = adapter.complete(request());

        assertThat(completion.text()).isEqualTo("AI learns patterns from data and uses them to make predictions.");
        assertThat(completion.finish()).isEqualTo(FinishReason.STOP);
        // promptTokenCount 2060 includes 2048 cached; 13 answer tokens + 268 thinking tokens are output
        assertThat(completion.usage()).isEqualTo(new TokenCount(12, 281, 2048, 0, 268));
    }

    @Test
    void streamedAnswerHasExactTextFinishAndTheLastChunksUsage() throws Exception {
        google.enqueue(sse("gemini/stream.sse"));

        List<StreamEvent> events = drain(adapter.stream(request()));

        assertThat(events).containsExactly(
                new TextDelta("AI"),
                new TextDelta(" learns patterns from examples"),
                new TextDelta(" instead of following fixed rules."),
                new Finished(FinishReason.STOP),
                new UsageReported(new TokenCount(8, 444, 0, 0, 430)));
    }

    @Test
    void streamInTinyThrottledPiecesKeepsMultiByteTextWhole() throws Exception {
        google.enqueue(sse("gemini/stream-utf8.sse").throttleBody(3, 1, TimeUnit.MILLISECONDS));

        List<StreamEvent> events = drain(adapter.stream(request()));

        assertThat(text(events)).isEqualTo("Grüße aus Zürich — こんにちは世界、and a monkey 🐒🍌!");
        assertThat(events).filteredOn(Finished.class::isInstance).containsExactly(new Finished(FinishReason.LENGTH));
        assertThat(events).last().isEqualTo(new UsageReported(new TokenCount(52, 150, 2048, 0)));
    }

    @Test
    void requestSendsTheKeyOnlyInAHeaderWithSystemInstructionAndGenerationConfig() throws Exception {
        google.enqueue(json("gemini/generate-content.json"));
        google.enqueue(sse("gemini/stream.sse"));
        ConversationRequest tuned = WireFixtures.request("gemini-2.5-pro",
                List.of(ChatMessage.system("Be brief."), ChatMessage.user("Hi"), ChatMessage.assistant("Hello!"),
                        ChatMessage.user("Bye")),
                new ModelConfig(0.2, 256, 0.9));

        adapter.complete(tuned);
        drain(adapter.stream(request()));

        RecordedRequest whole = google.takeRequest();
        assertThat(whole.getMethod()).isEqualTo("POST");
        assertThat(whole.getPath()).isEqualTo("/v1beta/models/gemini-2.5-pro:generateContent");
        assertThat(whole.getHeader("x-goog-api-key")).isEqualTo(KEY);
        assertThat(whole.getHeader("content-type")).isEqualTo("application/json");
        assertThat(whole.getRequestUrl().toString()).doesNotContain(KEY);
        assertThat(whole.getRequestUrl().queryParameter("key")).isNull();
        JsonNode body = Json.mapper().readTree(whole.getBody().readUtf8());
        assertThat(body.path("systemInstruction").path("parts").path(0).path("text").asText()).isEqualTo("Be brief.");
        assertThat(body.path("contents")).hasSize(3);
        assertThat(body.path("contents").findValuesAsText("role")).containsExactly("user", "model", "user");
        assertThat(body.path("contents").findValuesAsText("text")).containsExactly("Hi", "Hello!", "Bye");
        assertThat(body.path("generationConfig").path("temperature").asDouble()).isEqualTo(0.2);
        assertThat(body.path("generationConfig").path("topP").asDouble()).isEqualTo(0.9);
        assertThat(body.path("generationConfig").path("maxOutputTokens").asInt()).isEqualTo(256);
        assertThat(body.has("model")).as("the model is in the path").isFalse();

        RecordedRequest streamed = google.takeRequest();
        assertThat(streamed.getPath()).isEqualTo("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse");
        assertThat(streamed.getHeader("x-goog-api-key")).isEqualTo(KEY);
        assertThat(streamed.getRequestUrl().toString()).doesNotContain(KEY);
        JsonNode streamBody = Json.mapper().readTree(streamed.getBody().readUtf8());
        assertThat(streamBody.has("generationConfig")).as("nothing set, nothing sent").isFalse();
    }

    @ParameterizedTest
    @CsvSource({"400, gemini/error-400-api-key-invalid.json", "403, gemini/error-403-permission-denied.json"})
    void refusedKeyIsAuthRefusedAndTheMessageNeverHoldsTheKey(int status, String fixture) {
        google.enqueue(json(status, fixture));

        ProviderException e = catchThrowableOfType(ProviderException.class, () -> adapter.complete(request()));

        assertThat(e.kind()).isEqualTo(Kind.AUTH_REFUSED);
        assertThat(e.upstreamStatus()).isEqualTo(status);
        assertThat(e.getMessage()).contains("google").doesNotContain(KEY).doesNotContain("AIza");
    }

    @Test
    void rateLimitTakesItsWaitFromGooglesRetryInfo() {
        google.enqueue(json(429, "gemini/error-429-resource-exhausted.json"));

        ProviderException e = catchThrowableOfType(ProviderException.class, () -> adapter.stream(request()));

        assertThat(e.kind()).isEqualTo(Kind.RATE_LIMITED);
        assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(37));
        assertThat(e.getMessage()).contains("exceeded your current quota");
    }

    @Test
    void rateLimitPrefersARetryAfterHeader() {
        google.enqueue(json(429, "gemini/error-429-resource-exhausted.json").setHeader("Retry-After", "5"));

        ProviderException e = catchThrowableOfType(ProviderException.class, () -> adapter.complete(request()));

        assertThat(e.kind()).isEqualTo(Kind.RATE_LIMITED);
        assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void blockedPromptIsContentBlocked() {
        google.enqueue(json("gemini/blocked-prompt.json"));

        ProviderException e = catchThrowableOfType(ProviderException.class, () -> adapter.complete(request()));

        assertThat(e.kind()).isEqualTo(Kind.CONTENT_BLOCKED);
        assertThat(e.getMessage()).isEqualTo("google blocked the prompt (PROHIBITED_CONTENT)");
    }

    @Test
    void answerBlockedBeforeAnyTextIsContentBlocked() {
        google.enqueue(json("gemini/blocked-answer.json"));

        ProviderException e = catchThrowableOfType(ProviderException.class, () -> adapter.complete(request()));

        assertThat(e.kind()).isEqualTo(Kind.CONTENT_BLOCKED);
        assertThat(e.getMessage()).isEqualTo("google blocked the answer (SAFETY)");
    }

    @Test
    void blockedPromptFailsTheStreamedCallBeforeAnyEvent() {
        google.enqueue(sse("gemini/stream-blocked-prompt.sse"));

        ProviderException e = catchThrowableOfType(ProviderException.class, () -> adapter.stream(request()));

        assertThat(e.kind()).isEqualTo(Kind.CONTENT_BLOCKED);
        assertThat(e.getMessage()).isEqualTo("google blocked the prompt (SAFETY)");
    }

    @Test
    void errorChunkMidStreamIsAnUpstreamErrorAfterTheTextSoFar() throws Exception {
        google.enqueue(sse("gemini/stream-error-midway.sse"));
        List<StreamEvent> received = new ArrayList<>();

        ProviderException e = failureAfter(adapter.stream(request()), received);

        assertThat(received).containsExactly(new TextDelta("The first half"));
        assertThat(e.kind()).isEqualTo(Kind.UPSTREAM_ERROR);
        assertThat(e.getMessage()).contains("The model is overloaded");
    }

    @Test
    void connectionCutMidStreamIsANetworkFailure() {
        google.enqueue(sse("gemini/stream.sse").setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY));

        ProviderException e = catchThrowableOfType(ProviderException.class,
                () -> drain(adapter.stream(request())));

        assertThat(e.kind()).isEqualTo(Kind.NETWORK);
        assertThat(e.getMessage()).doesNotContain(KEY);
    }

    @Test
    void streamEndingBeforeAFinishReasonIsANetworkFailure() throws Exception {
        // Gemini sends no end marker, so only a finishReason tells a whole answer from a cut one.
        String wire = new String(bytes("gemini/stream.sse"), StandardCharsets.UTF_8);
        byte[] cut = wire.substring(0, wire.lastIndexOf("data: ")).getBytes(StandardCharsets.UTF_8);
        google.enqueue(sse(cut));
        List<StreamEvent> received = new ArrayList<>();

        ProviderException e = failureAfter(adapter.stream(request()), received);

        assertThat(text(received)).isEqualTo("AI learns patterns from examples");
        assertThat(e.kind()).isEqualTo(Kind.NETWORK);
        assertThat(e.getMessage()).isEqualTo("google ended the stream before the answer was complete");
    }

    @ParameterizedTest
    @CsvSource({"STOP, STOP", "MAX_TOKENS, LENGTH", "SAFETY, CONTENT_FILTER", "RECITATION, CONTENT_FILTER",
            "PROHIBITED_CONTENT, CONTENT_FILTER", "BLOCKLIST, CONTENT_FILTER", "OTHER, ERROR",
            "MALFORMED_FUNCTION_CALL, ERROR"})
    void finishReasonsBecomeTheGatewaysWords(String finishReason, FinishReason finish) {
        assertThat(GeminiAdapter.finishReason(finishReason)).isEqualTo(finish);
    }

    @Test
    void cachedUsageCostsExactlyAtTheCatalogsPricesRoundedHalfUp() throws Exception {
        google.enqueue(json("gemini/generate-content.json"));
        TokenCount usage = adapter.complete(request()).usage();
        ModelEntry flash = ModelCatalog.builtIn().model("google", "gemini-2.5-flash").orElseThrow();

        // 12 x $0.30 = 3.6 -> 4; 281 x $2.50 = 702.5 -> 703; 2048 cache reads x $0.03 = 61.44 -> 61 (per million)
        assertThat(flash.costMicros(usage)).isEqualTo(4 + 703 + 61);
    }

    private static ProviderException failureAfter(EventStream stream, List<StreamEvent> received) {
        try (stream) {
            return catchThrowableOfType(ProviderException.class, () -> {
                for (Optional<StreamEvent> next = stream.next(); next.isPresent(); next = stream.next()) {
                    received.add(next.get());
                }
            });
        }
    }
}
