package com.monkeycoder.daemon.providers.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.daemon.catalog.ModelCatalog;
import com.monkeycoder.daemon.catalog.ModelEntry;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.monkeycoder.daemon.conversation.Answer;
import com.monkeycoder.daemon.conversation.AnswerBuilder;
import com.monkeycoder.daemon.conversation.Part;
import com.monkeycoder.daemon.conversation.Passthrough;
import com.monkeycoder.daemon.conversation.Reasoning;
import com.monkeycoder.daemon.conversation.ResponseFormat;
import com.monkeycoder.daemon.conversation.Role;
import com.monkeycoder.daemon.conversation.Tool;
import com.monkeycoder.daemon.conversation.ToolChoice;
import com.monkeycoder.daemon.conversation.WireFamily;
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
import java.util.Map;
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
    void streamInTinyThrottledPiecesKeepsMultiByteTextWholeAndThinkingApart() throws Exception {
        anthropic.enqueue(sse("anthropic/stream-thinking-utf8.sse").throttleBody(3, 1, TimeUnit.MILLISECONDS));

        List<StreamEvent> events = drain(adapter.stream(request()));

        assertThat(text(events)).isEqualTo("Grüße aus Zürich — こんにちは世界、and a monkey 🐒🍌!");
        assertThat(events).filteredOn(StreamEvent.ThinkingDelta.class::isInstance)
                .containsExactly(new StreamEvent.ThinkingDelta("A greeting in three languages."));
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
        assertThat(body.path("system").findValuesAsText("text")).containsExactly("Be brief.", "Answer in English.");
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

    // ---- the whole canonical model on Anthropic's wire ----

    private static final String SIGNATURE = "ErUBCkYIAxgCIkB9zQ/Vn+Kp3w==\u00e9\u2028";
    private static final ObjectNode EPHEMERAL = Json.mapper().createObjectNode().put("type", "ephemeral");

    /** A Claude Code style conversation: a tool round trip with signed thinking, images, cache markers, tools. */
    private static ConversationRequest toolConversation(Passthrough passthrough) throws IOException {
        List<Part> system = List.of(new Part.Text("You are Claude Code."),
                new Part.Text("Follow the project rules.", EPHEMERAL));
        List<Message> turns = List.of(
                new Message(Role.USER, List.of(new Part.Text("What's the weather in Paris?"),
                        Part.Image.inline("image/png", "iVBORw0KGgoAAAANSUhEUg=="),
                        Part.Image.byUrl("https://example.com/paris.jpg"))),
                new Message(Role.ASSISTANT, List.of(new Part.Thinking("The user wants the weather in Paris.", SIGNATURE),
                        new Part.Text("Let me check."),
                        new Part.ToolCall("toolu_01A09q90qw90lq917835lq9", "get_weather",
                                "{\"city\": \"Paris\", \"unit\": \"celsius\"}"))),
                new Message(Role.USER, List.of(new Part.ToolResult("toolu_01A09q90qw90lq917835lq9",
                        List.of(new Part.Text("18°C, sunny")), false, null))),
                new Message(Role.USER, List.of(new Part.Text("And tomorrow?", EPHEMERAL))),
                Message.system("Keep answers short."),
                new Message(Role.ASSISTANT, List.of(new Part.Thinking("Another provider's thought.", null),
                        new Part.RedactedThinking("EmwKAhgBEgy3va3pzix/LafPsn4a"), new Part.Text("Probably rain."))),
                new Message(Role.USER, List.of(new Part.ToolResult("toolu_02",
                        List.of(new Part.Text("permission denied")), true, null))));
        List<Tool> tools = List.of(
                new Tool.Function("get_weather", "Current weather in a city", Json.mapper().readTree(
                        "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"},\"unit\":{\"type\":\"string\"}},\"required\":[\"city\"]}"),
                        null, false, EPHEMERAL),
                new Tool.Function("apply_patch", "Apply a patch", null, null, true, null),
                new Tool.Function("list_files", null, null, null, false, null),
                new Tool.Hosted("web_search", "web_search_20250305", WireFamily.ANTHROPIC, (ObjectNode) Json.mapper()
                        .readTree("{\"type\":\"web_search_20250305\",\"name\":\"web_search\",\"max_uses\":3}"), false),
                new Tool.Hosted("code_interpreter", "code_interpreter", WireFamily.OPENAI_RESPONSES,
                        Json.mapper().createObjectNode().put("type", "code_interpreter"), true));
        return new ConversationRequest("claude-sonnet-4-5", system, turns, tools, ToolChoice.AUTO, false,
                new ResponseFormat(ResponseFormat.Kind.JSON_OBJECT, null, null, null), List.of("\n\nHuman:"),
                new Sampling(1.0, null, 40, null, null, null), 2048, Reasoning.budget(4096),
                Map.of("user", "user-4711"), passthrough);
    }

    private static Passthrough anthropicClient() throws IOException {
        return new Passthrough(WireFamily.ANTHROPIC, (ObjectNode) Json.mapper().readTree("""
                {"context_management": {"edits": [{"type": "clear_tool_uses_20250919"}]},
                 "service_tier": "auto", "max_tokens": 99999}"""),
                Map.of("anthropic-beta", "context-management-2025-06-27,interleaved-thinking-2025-05-14",
                        "anthropic-version", "2023-01-01", "x-api-key", "sk-ant-client-must-not-win"));
    }

    @Test
    void anthropicClientsConversationReachesAnthropicWholeWithItsFieldsAndHeaders() throws Exception {
        anthropic.enqueue(sse("anthropic/stream-thinking-tools.sse"));
        ConversationRequest request = toolConversation(anthropicClient());

        drain(adapter.stream(request));

        RecordedRequest sent = anthropic.takeRequest();
        String wire = sent.getBody().readUtf8();
        assertThat(Json.mapper().readTree(wire)).isEqualTo(Json.mapper().readTree(text("anthropic/request-claude-code.json")));
        assertThat(wire).as("the signature goes back byte for byte")
                .contains("\"signature\":\"ErUBCkYIAxgCIkB9zQ/Vn+Kp3w==\u00e9\u2028\"");
        assertThat(sent.getHeader("anthropic-beta"))
                .isEqualTo("context-management-2025-06-27,interleaved-thinking-2025-05-14");
        assertThat(sent.getHeaders().values("anthropic-version")).containsExactly("2023-01-01");
        assertThat(sent.getHeaders().values("x-api-key")).as("the operator's key, never the client's").containsExactly(KEY);
        assertThat(adapter.dropped(request)).as("top_k cannot go with thinking").containsExactly("thinking", "code_interpreter", "top_k", "response_format");
    }

    @Test
    void otherFamilysClientKeepsItsFieldsAndHeadersAwayAndHearsWhatWasDropped() throws Exception {
        anthropic.enqueue(json("anthropic/message-tool-use.json"));
        ConversationRequest request = toolConversation(new Passthrough(WireFamily.OPENAI_CHAT,
                (ObjectNode) Json.mapper().readTree("{\"logprobs\": true, \"service_tier\": \"flex\"}"),
                Map.of("anthropic-beta", "context-management-2025-06-27")));

        adapter.complete(request);

        RecordedRequest sent = anthropic.takeRequest();
        JsonNode body = Json.mapper().readTree(sent.getBody().readUtf8());
        assertThat(sent.getHeader("anthropic-beta")).isNull();
        assertThat(sent.getHeaders().values("anthropic-version")).containsExactly(AnthropicAdapter.API_VERSION);
        assertThat(body.has("logprobs")).isFalse();
        assertThat(body.has("service_tier")).isFalse();
        assertThat(body.has("stream")).isFalse();
        assertThat(body.path("messages").findValuesAsText("role"))
                .as("the mid-conversation system turn is folded into a user turn, and turns still alternate")
                .containsExactly("user", "assistant", "user", "assistant", "user");
        JsonNode folded = body.path("messages").get(2).path("content");
        assertThat(folded.get(folded.size() - 1)).isEqualTo(Json.mapper().readTree(
                "{\"type\":\"text\",\"text\":\"System: Keep answers short.\"}"));
        assertThat(adapter.dropped(request))
                .containsExactly("thinking", "code_interpreter", "top_k", "response_format", "logprobs", "service_tier");
    }

    @Test
    void streamedThinkingTextAndTwoToolCallsBecomeTheCanonicalEventsInOrder() throws Exception {
        anthropic.enqueue(sse("anthropic/stream-thinking-tools.sse"));

        List<StreamEvent> events = drain(adapter.stream(request()));

        assertThat(events).containsExactly(
                new StreamEvent.ThinkingDelta("I need the weather "),
                new StreamEvent.ThinkingDelta("in both cities."),
                new StreamEvent.ThinkingSignature("EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds/+Zq=="),
                new TextDelta("Checking both."),
                new StreamEvent.ToolCallStart(0, "toolu_01Paris4kW9xQv", "get_weather"),
                new StreamEvent.ToolCallDelta(0, "{\"city\": \"Pa"),
                new StreamEvent.ToolCallDelta(0, "ris\"}"),
                new StreamEvent.ToolCallEnd(0),
                new StreamEvent.ToolCallStart(1, "toolu_01Tokyo8mR2zNc", "get_weather"),
                new StreamEvent.ToolCallDelta(1, "{\"city\":"),
                new StreamEvent.ToolCallDelta(1, " \"Tōkyō\"}"),
                new StreamEvent.ToolCallEnd(1),
                new Finished(FinishReason.TOOL_CALLS),
                new UsageReported(new TokenCount(512, 89, 1024, 0)));
        AnswerBuilder answer = new AnswerBuilder();
        for (StreamEvent e : events) {
            answer.accept(e);
        }
        assertThat(answer.build().toolCalls()).extracting(Part.ToolCall::arguments)
                .containsExactly("{\"city\": \"Paris\"}", "{\"city\": \"Tōkyō\"}");
    }

    @Test
    void wholeAnswerKeepsThinkingRedactedThinkingTextAndToolCallInOrder() throws Exception {
        anthropic.enqueue(json("anthropic/message-tool-use.json"));

        Answer answer = adapter.complete(request());

        assertThat(answer.content()).containsExactly(
                new Part.Thinking("The user wants the weather in Paris.", "ErUBCkYIAxgCIkB9zQ/Vn+Kp3w=="),
                new Part.RedactedThinking("EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP"),
                new Part.Text("I'll check the weather."),
                new Part.ToolCall("toolu_01A09q90qw90lq917835lq9", "get_weather",
                        "{\"city\":\"Paris\",\"unit\":\"celsius\"}"));
        assertThat(answer.finish()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(answer.usage()).isEqualTo(new TokenCount(384, 91));
    }

    @Test
    void deltaForABlockThatNeverStartedIsAMalformedAnswer() {
        anthropic.enqueue(sse("anthropic/stream-delta-unstarted.sse"));

        ProviderException e = catchThrowableOfType(ProviderException.class, () -> drain(adapter.stream(request())));

        assertThat(e.kind()).isEqualTo(Kind.BAD_RESPONSE);
        assertThat(e.getMessage()).contains("content block 1, which never started");
    }

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {
            // budget, effort, adaptive, max_tokens -> thinking sent, or null when dropped
            "4096, null, false, 8192, '{\"type\":\"enabled\",\"budget_tokens\":4096}'",
            "8192, null, false, 4096, '{\"type\":\"enabled\",\"budget_tokens\":4095}'",
            "2048, null, false, 1024, null",
            "null, low, false, 4096, '{\"type\":\"enabled\",\"budget_tokens\":2048}'",
            "null, high, false, 1024, null",
            "null, high, true, 4096, '{\"type\":\"adaptive\"}'"})
    void reasoningBecomesThinkingThatFitsUnderMaxTokens(Integer budget, String effort, boolean adaptive, int maxTokens,
                                                       String thinking) throws Exception {
        ConversationRequest request = new ConversationRequest("claude-sonnet-4-5", List.of(),
                List.of(Message.user("Hi")), List.of(), null, null, null, List.of(), null, maxTokens,
                new Reasoning(budget, effort, adaptive, false), Map.of(), null);

        AnthropicRequest written = AnthropicRequest.of(request, false);

        if (thinking == null) {
            assertThat(written.body().has("thinking")).isFalse();
            assertThat(written.dropped()).containsExactly(budget != null ? "thinking" : "reasoning_effort");
        } else {
            assertThat(written.body().path("thinking")).isEqualTo(Json.mapper().readTree(thinking));
            assertThat(written.dropped()).isEmpty();
        }
        assertThat(written.body().path("output_config").path("effort").asText(null))
                .isEqualTo(adaptive ? effort : null);
    }

    @Test
    void noParallelToolCallsWithoutAChoiceIsAutoWithParallelUseDisabled() {
        ConversationRequest request = new ConversationRequest("claude-haiku-4-5", List.of(),
                List.of(Message.user("Hi")), List.of(new Tool.Function("ls", null, null, null, false, null)), null,
                false, null, List.of(), null, null, null, Map.of(), null);

        JsonNode body = AnthropicRequest.of(request, false).body();

        assertThat(body.path("tool_choice")).isEqualTo(Json.mapper().createObjectNode().put("type", "auto")
                .put("disable_parallel_tool_use", true));
        assertThat(body.path("messages").get(0).path("content").asText()).isEqualTo("Hi");
    }

    @Test
    void aForcedToolChoiceWinsOverThinkingWhichAnthropicWouldRefuseWithIt() throws Exception {
        anthropic.enqueue(json("anthropic/message-tool-use.json"));
        ConversationRequest base = toolConversation(Passthrough.NONE);
        ConversationRequest request = new ConversationRequest(base.model(), base.system(), base.messages(), base.tools(),
                ToolChoice.REQUIRED, null, null, List.of(), Sampling.of(0.2, null), 2048, Reasoning.budget(1024),
                Map.of(), Passthrough.NONE);

        adapter.complete(request);

        JsonNode body = Json.mapper().readTree(anthropic.takeRequest().getBody().readUtf8());
        assertThat(body.has("thinking")).isFalse();
        assertThat(body.path("tool_choice").path("type").asText()).isEqualTo("any");
        assertThat(body.path("temperature").asDouble()).as("kept: thinking is off").isEqualTo(0.2);
        assertThat(adapter.dropped(request)).contains("thinking");
    }

    @Test
    void withThinkingOnTemperatureOtherThanOneIsLeftOutAndNamed() throws Exception {
        anthropic.enqueue(json("anthropic/message-tool-use.json"));
        ConversationRequest base = toolConversation(Passthrough.NONE);
        ConversationRequest request = new ConversationRequest(base.model(), base.system(), base.messages(), base.tools(),
                ToolChoice.AUTO, null, null, List.of(), Sampling.of(0.2, null), 4096, Reasoning.budget(2048),
                Map.of(), Passthrough.NONE);

        adapter.complete(request);

        JsonNode body = Json.mapper().readTree(anthropic.takeRequest().getBody().readUtf8());
        assertThat(body.path("thinking").path("budget_tokens").asInt()).isEqualTo(2048);
        assertThat(body.has("temperature")).isFalse();
        assertThat(adapter.dropped(request)).contains("temperature");
    }
}
