package com.monkeycoder.daemon.providers.anthropic;

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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static com.monkeycoder.daemon.providers.WireFixtures.drain;
import static com.monkeycoder.daemon.providers.WireFixtures.json;
import static com.monkeycoder.daemon.providers.WireFixtures.sse;
import static com.monkeycoder.daemon.providers.WireFixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class AnthropicAdapterTest {

    /** Shaped like a real key so that redaction is exercised; not a key. */
    private static final String KEY = "sk-ant-api03-FAKEfakeFAKEfake0123456789";

    private final MockWebServer anthropic = new MockWebServer();
    private final OkHttpClient http = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(10)).build();
    private AnthropicAdapter adapter;

    @BeforeEach
    void start() throws IOException {
        anthropic.start();
        adapter = new AnthropicAdapter("anthropic", anthropic.url("/").toString(), KEY, http);
    }

    @AfterEach
    void stop() throws IOException {
        anthropic.shutdown();
    }

    private static ConversationRequest request() {
        return WireFixtures.request("claude-sonnet-4-5",
                List.of(ChatMessage.system("You write Python."), ChatMessage.user("Add two numbers.")), null);
    }

    @Test
    void jsonAnswerJoinsItsTextBlocksAndReportsCacheReads() throws Exception {
        anthropic.enqueue(json("anthropic/message.json"));

        Answer completion = adapter.complete(request());

        assertThat(completion.text()).isEqualTo("Here is the function:\n\ndef add(a, b):\n    return a + b");
        assertThat(completion.finish()).isEqualTo(FinishReason.STOP);
        assertThat(completion.usage()).isEqualTo(new TokenCount(34, 19, 2048, 0));
    }

    @Test
    void streamedAnswerHasExactTextFinishAndCacheUsageAcrossAPing() throws Exception {
        anthropic.enqueue(sse("anthropic/stream.sse"));

        List<StreamEvent> events = drain(adapter.stream(request()));

        assertThat(events).containsExactly(
                new TextDelta("Hello"),
                new TextDelta(", monkey!"),
                new Finished(FinishReason.STOP),
                new UsageReported(new TokenCount(21, 15, 30000, 1800)));
    }

    @Test
    void streamInTinyThrottledPiecesKeepsMultiByteTextWholeAndSkipsThinking() throws Exception {
        anthropic.enqueue(sse("anthropic/stream-thinking-utf8.sse").throttleBody(3, 1, TimeUnit.MILLISECONDS));

        List<StreamEvent> events = drain(adapter.stream(request()));

        assertThat(text(events)).isEqualTo("Grüße aus Zürich — こんにちは世界、and a monkey 🐒🍌!");
        assertThat(events).filteredOn(Finished.class::isInstance).containsExactly(new Finished(FinishReason.LENGTH));
        assertThat(events).last().isEqualTo(new UsageReported(new TokenCount(42, 64)));
    }

    @Test
    void requestSendsTheKeyInHeadersAndTheSystemPromptBesideTheMessages() throws Exception {
        anthropic.enqueue(json("anthropic/message.json"));
        anthropic.enqueue(sse("anthropic/stream.sse"));
        ConversationRequest tuned = WireFixtures.request("claude-haiku-4-5",
                List.of(ChatMessage.system("Be brief."), ChatMessage.system("Answer in English."),
                        ChatMessage.user("Hi"), ChatMessage.assistant("Hello!"), ChatMessage.user("Bye")),
                new ModelConfig(0.2, 256, 0.9));

        adapter.complete(tuned);
        drain(adapter.stream(request()));

        RecordedRequest whole = anthropic.takeRequest();
        assertThat(whole.getMethod()).isEqualTo("POST");
        assertThat(whole.getPath()).isEqualTo("/v1/messages");
        assertThat(whole.getHeader("x-api-key")).isEqualTo(KEY);
        assertThat(whole.getHeader("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(whole.getHeader("content-type")).isEqualTo("application/json");
        assertThat(whole.getHeader("Authorization")).isNull();
        assertThat(whole.getRequestUrl().toString()).doesNotContain(KEY);
        JsonNode body = Json.mapper().readTree(whole.getBody().readUtf8());
        assertThat(body.path("model").asText()).isEqualTo("claude-haiku-4-5");
        assertThat(body.path("system").asText()).isEqualTo("Be brief.\n\nAnswer in English.");
        assertThat(body.path("max_tokens").asInt()).isEqualTo(256);
        assertThat(body.path("temperature").asDouble()).isEqualTo(0.2);
        assertThat(body.path("top_p").asDouble()).isEqualTo(0.9);
        assertThat(body.has("stream")).isFalse();
        assertThat(body.path("messages")).hasSize(3);
        assertThat(body.path("messages").findValuesAsText("role")).containsExactly("user", "assistant", "user");
        assertThat(body.path("messages").findValuesAsText("content")).containsExactly("Hi", "Hello!", "Bye");

        RecordedRequest streamed = anthropic.takeRequest();
        assertThat(streamed.getHeader("Accept")).isEqualTo("text/event-stream");
        JsonNode streamBody = Json.mapper().readTree(streamed.getBody().readUtf8());
        assertThat(streamBody.path("stream").asBoolean()).isTrue();
        assertThat(streamBody.path("max_tokens").asInt())
                .as("Anthropic requires max_tokens, so a request without one gets the default")
                .isEqualTo(AnthropicAdapter.DEFAULT_MAX_TOKENS);
        assertThat(streamBody.has("temperature")).isFalse();
        assertThat(streamBody.has("top_p")).isFalse();
    }

    @Test
    void baseUrlWithTheVersionPathIsNotDoubled() throws Exception {
        AnthropicAdapter withVersion = new AnthropicAdapter("anthropic", anthropic.url("/v1").toString(), KEY, http);
        anthropic.enqueue(json("anthropic/message.json"));

        withVersion.complete(request());

        assertThat(anthropic.takeRequest().getPath()).isEqualTo("/v1/messages");
    }

    @ParameterizedTest
    @CsvSource({"401, anthropic/error-401.json", "403, anthropic/error-403.json"})
    void refusedKeyIsAuthRefusedAndTheMessageNeverHoldsTheKey(int status, String fixture) {
        anthropic.enqueue(json(status, fixture));

        ProviderException e = catchThrowableOfType(ProviderException.class, () -> adapter.complete(request()));

        assertThat(e.kind()).isEqualTo(Kind.AUTH_REFUSED);
        assertThat(e.upstreamStatus()).isEqualTo(status);
        assertThat(e.getMessage()).contains("anthropic").doesNotContain(KEY).doesNotContain("sk-ant");
    }

    @Test
    void rateLimitCarriesTheRetryAfterHeader() {
        anthropic.enqueue(json(429, "anthropic/error-429.json").setHeader("retry-after", "30"));

        ProviderException e = catchThrowableOfType(ProviderException.class, () -> adapter.stream(request()));

        assertThat(e.kind()).isEqualTo(Kind.RATE_LIMITED);
        assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(30));
        assertThat(e.getMessage()).contains("rate limit");
    }

    @Test
    void overloaded529IsAnUpstreamError() {
        anthropic.enqueue(json(529, "anthropic/error-529.json"));

        ProviderException e = catchThrowableOfType(ProviderException.class, () -> adapter.complete(request()));

        assertThat(e.kind()).isEqualTo(Kind.UPSTREAM_ERROR);
        assertThat(e.upstreamStatus()).isEqualTo(529);
        assertThat(e.getMessage()).isEqualTo("anthropic answered HTTP 529: Overloaded");
    }

    @Test
    void errorEventMidStreamIsAnUpstreamErrorAfterTheTextSoFar() throws Exception {
        anthropic.enqueue(sse("anthropic/stream-overloaded.sse"));
        List<StreamEvent> received = new ArrayList<>();

        ProviderException e;
        try (EventStream stream = adapter.stream(request())) {
            e = catchThrowableOfType(ProviderException.class, () -> {
                for (Optional<StreamEvent> next = stream.next(); next.isPresent(); next = stream.next()) {
                    received.add(next.get());
                }
            });
        }

        assertThat(received).containsExactly(new TextDelta("Partial"));
        assertThat(e.kind()).isEqualTo(Kind.UPSTREAM_ERROR);
        assertThat(e.getMessage()).isEqualTo("anthropic reported an error mid-stream: Overloaded");
    }

    @Test
    void errorEventBeforeAnyTextFailsTheCallItself() {
        anthropic.enqueue(sse("anthropic/stream-error-first.sse"));

        ProviderException e = catchThrowableOfType(ProviderException.class, () -> adapter.stream(request()));

        assertThat(e.kind()).isEqualTo(Kind.UPSTREAM_ERROR);
    }

    @Test
    void connectionCutMidStreamIsANetworkFailure() throws Exception {
        anthropic.enqueue(sse("anthropic/stream.sse").setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY));

        ProviderException e = catchThrowableOfType(ProviderException.class,
                () -> drain(adapter.stream(request())));

        assertThat(e.kind()).isEqualTo(Kind.NETWORK);
        assertThat(e.getMessage()).doesNotContain(KEY);
    }

    @Test
    void streamEndingBeforeMessageStopIsANetworkFailure() throws Exception {
        String wire = text("anthropic/stream.sse");
        byte[] cut = wire.substring(0, wire.indexOf("event: message_delta")).getBytes(StandardCharsets.UTF_8);
        anthropic.enqueue(sse(cut));
        List<StreamEvent> received = new ArrayList<>();

        ProviderException e;
        try (EventStream stream = adapter.stream(request())) {
            e = catchThrowableOfType(ProviderException.class, () -> {
                for (Optional<StreamEvent> next = stream.next(); next.isPresent(); next = stream.next()) {
                    received.add(next.get());
                }
            });
        }

        assertThat(text(received)).isEqualTo("Hello, monkey!");
        assertThat(e.kind()).isEqualTo(Kind.NETWORK);
        assertThat(e.getMessage()).isEqualTo("anthropic ended the stream before the answer was complete");
    }

    @ParameterizedTest
    @CsvSource({"end_turn, STOP", "stop_sequence, STOP", "max_tokens, LENGTH", "tool_use, TOOL_CALLS",
            "refusal, CONTENT_FILTER", "pause_turn, STOP"})
    void stopReasonsBecomeTheGatewaysFinishReasons(String stopReason, FinishReason finish) {
        assertThat(AnthropicAdapter.finishReason(stopReason)).isEqualTo(finish);
    }

    @Test
    void streamedUsageCostsExactlyAtTheCatalogsCachePrices() throws Exception {
        anthropic.enqueue(sse("anthropic/stream.sse"));
        TokenCount usage = drain(adapter.stream(request())).stream()
                .filter(UsageReported.class::isInstance).map(e -> ((UsageReported) e).usage())
                .reduce((first, last) -> last).orElseThrow();
        ModelEntry sonnet = ModelCatalog.builtIn().model("anthropic", "claude-sonnet-4-5").orElseThrow();

        // 21 x $3 + 30,000 cache reads x $0.30 + 1,800 cache writes x $3.75 + 15 x $15, per million tokens
        assertThat(sonnet.costMicros(usage)).isEqualTo(63 + 9_000 + 6_750 + 225);
        assertThat(sonnet.costMicros(21, 15)).as("the two-argument cost ignores caching").isEqualTo(63 + 225);
    }
}
