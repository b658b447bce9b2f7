package com.monkeycoder.daemon.providers.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.monkeycoder.daemon.conversation.AnswerBuilder;
import com.monkeycoder.daemon.conversation.Part;
import com.monkeycoder.daemon.conversation.Passthrough;
import com.monkeycoder.daemon.conversation.Reasoning;
import com.monkeycoder.daemon.conversation.ResponseFormat;
import com.monkeycoder.daemon.conversation.Role;
import com.monkeycoder.daemon.conversation.Tool;
import com.monkeycoder.daemon.conversation.ToolChoice;
import com.monkeycoder.daemon.conversation.WireFamily;
import com.monkeycoder.daemon.conversation.StreamEvent.ThinkingDelta;
import com.monkeycoder.daemon.conversation.StreamEvent.ToolCallDelta;
import com.monkeycoder.daemon.conversation.StreamEvent.ToolCallEnd;
import com.monkeycoder.daemon.conversation.StreamEvent.ToolCallStart;
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
import com.monkeycoder.daemon.testing.OpenAiFixtures;
import com.monkeycoder.shared.Json;
import com.monkeycoder.shared.wire.ChatMessage;
import com.monkeycoder.shared.wire.ModelConfig;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeout;

// Fixtures follow OpenAI's documented wire format: https://platform.openai.com/docs/api-reference/chat/create (chat.completion), .../chat-streaming (chat.completion.chunk, stream_options.include_usage, data: [DONE]), https://platform.openai.com/docs/guides/error-codes (error bodies).
@Timeout(value = 15, unit = TimeUnit.SECONDS)
class OpenAiCompatibleAdapterTest {

    /** A made-up key shaped like OpenAI's; the fakes echo it the way OpenAI echoes a masked key. */
    private static final String API_KEY = "sk-test-SECRET123456789";
    private static final String MASKED_KEY = "sk-test-***********6789";
    private static final String STREAM = "chat-completion-stream.txt";
    private static final List<String> STREAM_TEXT =
            List.of("Monkeys", " write", " code", " one", " banana", " at", " a", " time", ".");

    private final MockWebServer server = new MockWebServer();
    private final CancelWatch cancelWatch = new CancelWatch();

    @BeforeEach
    void startFake() throws IOException {
        server.start();
    }

    @AfterEach
    void stopFake() throws IOException {
        server.shutdown();
    }

    // --- non-streaming -------------------------------------------------------------------------------------

    @Test
    void completionParsesContentFinishReasonAndUsage() throws Exception {
        server.enqueue(OpenAiFixtures.json(200, "chat-completion.json"));

        Answer completion = adapter("openai").complete(request(new ModelConfig(0.2, 256, null)));

        assertThat(completion.text()).isEqualTo("Monkeys write code one banana at a time.\n\nWant an example?");
        assertThat(completion.finish()).isEqualTo(FinishReason.STOP);
        assertThat(completion.usage()).isEqualTo(new TokenCount(27, 14));
    }

    @Test
    void completionRequestIsAnAuthorizedChatCompletionsPostWithoutStreaming() throws Exception {
        server.enqueue(OpenAiFixtures.json(200, "chat-completion.json"));

        adapter("openai").complete(request(new ModelConfig(0.2, 256, 0.9)));

        RecordedRequest recorded = takeRequest();
        assertThat(recorded.getMethod()).isEqualTo("POST");
        assertThat(recorded.getPath()).isEqualTo("/v1/chat/completions");
        assertThat(recorded.getHeader("Authorization")).isEqualTo("Bearer " + API_KEY);
        assertThat(recorded.getHeader("Content-Type")).startsWith("application/json");
        assertThat(recorded.getHeader("Accept")).isEqualTo("application/json");
        JsonNode body = Json.mapper().readTree(recorded.getBody().readUtf8());
        assertThat(body.path("model").asText()).isEqualTo("gpt-4o-mini");
        assertThat(body.path("messages")).hasSize(2);
        assertThat(body.path("messages").findValuesAsText("role")).containsExactly("system", "user");
        assertThat(body.path("messages").findValuesAsText("content"))
                .containsExactly("You are a terse assistant.", "How do monkeys write code?");
        assertThat(body.path("temperature").isNumber()).isTrue();
        assertThat(body.path("temperature").asDouble()).isEqualTo(0.2);
        assertThat(body.path("top_p").asDouble()).isEqualTo(0.9);
        assertThat(body.path("max_completion_tokens").asInt()).isEqualTo(256);
        assertThat(body.has("max_tokens")).isFalse();
        assertThat(body.has("stream")).isFalse();
        assertThat(body.has("stream_options")).isFalse();
    }

    @ParameterizedTest(name = "{0} gets {1}")
    @CsvSource({
            "openai, max_completion_tokens, max_tokens",
            "groq,   max_tokens,            max_completion_tokens",
            "xai,    max_tokens,            max_completion_tokens"})
    void tokenLimitUsesTheFieldEachProviderUnderstands(String provider, String sent, String absent) throws Exception {
        server.enqueue(OpenAiFixtures.json(200, "chat-completion.json"));

        adapter(provider).complete(request(new ModelConfig(null, 128, null)));

        JsonNode body = Json.mapper().readTree(takeRequest().getBody().readUtf8());
        assertThat(body.path(sent).asInt()).isEqualTo(128);
        assertThat(body.has(absent)).isFalse();
        assertThat(body.has("temperature")).as("unset sampling parameters are left to the provider").isFalse();
    }

    @Test
    void serverWithoutKeyGetsNoAuthorizationHeader() throws Exception {
        server.enqueue(OpenAiFixtures.json(200, "chat-completion.json"));

        new OpenAiCompatibleAdapter("ollama", server.url("/v1/").toString(), null, client(Duration.ofSeconds(5)))
                .complete(request(null));

        RecordedRequest recorded = takeRequest();
        assertThat(recorded.getPath()).as("a trailing slash on the base URL is not doubled").isEqualTo("/v1/chat/completions");
        assertThat(recorded.getHeader("Authorization")).isNull();
    }

    @Test
    void completionThatIsNotJsonIsABadResponse() {
        server.enqueue(new MockResponse().setHeader("Content-Type", "application/json").setBody("{\"id\":\"chatcmpl-1\",\"choi"));

        ProviderException e = catchProviderException(() -> adapter("openai").complete(request(null)));

        assertThat(e.kind()).isEqualTo(Kind.BAD_RESPONSE);
    }

    @ParameterizedTest(name = "body: {0}")
    @ValueSource(strings = {"", "{}", "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"choices\":[]}"})
    void completionWithoutAChoiceIsABadResponse(String body) {
        server.enqueue(new MockResponse().setHeader("Content-Type", "application/json").setBody(body));

        ProviderException e = catchProviderException(() -> adapter("openai").complete(request(null)));

        assertThat(e.kind()).isEqualTo(Kind.BAD_RESPONSE);
    }

    @Test
    void completionCutOffMidwayFailsAsNetworkError() {
        server.enqueue(OpenAiFixtures.json(200, "chat-completion.json")
                .setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY));

        ProviderException e = catchProviderException(() -> adapter("openai").complete(request(null)));

        assertThat(e.kind()).isEqualTo(Kind.NETWORK);
    }

    @Test
    void unreachableProviderIsANetworkError() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        var adapter = new OpenAiCompatibleAdapter("openai", "http://127.0.0.1:" + closedPort + "/v1", API_KEY,
                client(Duration.ofSeconds(5)));

        ProviderException e = catchProviderException(() -> adapter.complete(request(null)));

        assertThat(e.kind()).isEqualTo(Kind.NETWORK);
        assertKeyHidden(e);
    }

    // --- streaming -----------------------------------------------------------------------------------------

    @Test
    void streamYieldsDeltasInOrderThenFinishThenUsage() throws Exception {
        server.enqueue(OpenAiFixtures.eventStream(STREAM));

        List<StreamEvent> events;
        try (EventStream stream = adapter("openai").stream(request(new ModelConfig(0.2, 256, null)))) {
            events = drain(stream);
        }

        List<StreamEvent> expected = new ArrayList<>();
        STREAM_TEXT.forEach(text -> expected.add(new TextDelta(text)));
        expected.add(new Finished(FinishReason.STOP));
        expected.add(new UsageReported(new TokenCount(24, 9)));
        assertThat(events).containsExactlyElementsOf(expected);
    }

    @Test
    void streamRequestAsksForEventsAndUsage() throws Exception {
        server.enqueue(OpenAiFixtures.eventStream(STREAM));

        try (EventStream stream = adapter("groq").stream(request(new ModelConfig(0.7, 64, null)))) {
            drain(stream);
        }

        RecordedRequest recorded = takeRequest();
        assertThat(recorded.getMethod()).isEqualTo("POST");
        assertThat(recorded.getPath()).isEqualTo("/v1/chat/completions");
        assertThat(recorded.getHeader("Accept")).isEqualTo("text/event-stream");
        assertThat(recorded.getHeader("Authorization")).isEqualTo("Bearer " + API_KEY);
        JsonNode body = Json.mapper().readTree(recorded.getBody().readUtf8());
        assertThat(body.path("stream").isBoolean()).isTrue();
        assertThat(body.path("stream").asBoolean()).isTrue();
        assertThat(body.path("stream_options")).isEqualTo(Json.mapper().readTree("{\"include_usage\":true}"));
        assertThat(body.path("max_tokens").asInt()).isEqualTo(64);
        assertThat(body.path("temperature").asDouble()).isEqualTo(0.7);
        assertThat(body.path("messages").findValuesAsText("role")).containsExactly("system", "user");
    }

    @Test
    void streamDeliveredThreeBytesAtATimeKeepsMultiByteTextExact() throws Exception {
        server.enqueue(OpenAiFixtures.eventStream("chat-completion-stream-unicode.txt")
                .throttleBody(3, 1, TimeUnit.MILLISECONDS));

        List<StreamEvent> events;
        try (EventStream stream = adapter("openai").stream(request(null))) {
            events = drain(stream);
        }

        assertThat(text(events)).isEqualTo("Caf\u00e9 cr\u00e8me \u2014 \u4e16\u754c \uD83D\uDC35 \u00e9\uD83D\uDE80");
        assertThat(events).containsSubsequence(new Finished(FinishReason.STOP), new UsageReported(new TokenCount(18, 7)));
    }

    @Test
    void streamEndingAfterFinishReasonWithoutDoneIsAccepted() throws Exception {
        String wire = OpenAiFixtures.text(STREAM);
        byte[] withoutDone = wire.substring(0, wire.indexOf("data: [DONE]")).getBytes(StandardCharsets.UTF_8);
        server.enqueue(OpenAiFixtures.eventStream(withoutDone));

        List<StreamEvent> events;
        try (EventStream stream = adapter("openai").stream(request(null))) {
            events = drain(stream);
            assertThat(stream.next()).as("an ended stream stays ended").isEmpty();
        }

        assertThat(text(events)).isEqualTo(String.join("", STREAM_TEXT));
        assertThat(events).endsWith(new Finished(FinishReason.STOP), new UsageReported(new TokenCount(24, 9)));
    }

    @Test
    void streamCutOffMidwayFailsAsNetworkError() throws Exception {
        server.enqueue(OpenAiFixtures.eventStream(STREAM).setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY));

        try (EventStream stream = adapter("openai").stream(request(null))) {
            ProviderException e = catchProviderException(() -> drain(stream));

            assertThat(e.kind()).isEqualTo(Kind.NETWORK);
        }
    }

    @Test
    void streamClosedCleanlyBeforeAnyFinishReasonFailsAsNetworkError() throws Exception {
        String wire = OpenAiFixtures.text(STREAM);
        byte[] beforeFinish = wire.substring(0, wire.indexOf("data: ", wire.indexOf("\" time\"")))
                .getBytes(StandardCharsets.UTF_8);
        // No length and no chunking: the body ends where the connection does, so the cut looks like a normal end.
        server.enqueue(OpenAiFixtures.eventStreamWithLength(beforeFinish)
                .removeHeader("Content-Length")
                .setSocketPolicy(SocketPolicy.DISCONNECT_AT_END));

        List<String> received = new ArrayList<>();
        try (EventStream stream = adapter("openai").stream(request(null))) {
            ProviderException e = catchProviderException(() -> {
                for (Optional<StreamEvent> next = stream.next(); next.isPresent(); next = stream.next()) {
                    if (next.get() instanceof TextDelta delta) {
                        received.add(delta.text());
                    }
                }
            });

            assertThat(e.kind()).isEqualTo(Kind.NETWORK);
        }
        assertThat(received).containsExactlyElementsOf(STREAM_TEXT.subList(0, 8));
    }

    @Test
    void malformedJsonInAStreamEventIsABadResponse() throws Exception {
        String wire = OpenAiFixtures.text(STREAM);
        String firstEvents = wire.substring(0, wire.indexOf("data: ", wire.indexOf("\"Monkeys\"")));
        byte[] broken = (firstEvents + "data: {\"id\":\"chatcmpl-BmC8pW4zY6aS0dF2gH5jK7lM9nQ1R\",\"choices\":[{\"delta\n\n")
                .getBytes(StandardCharsets.UTF_8);
        server.enqueue(OpenAiFixtures.eventStream(broken));

        try (EventStream stream = adapter("openai").stream(request(null))) {
            assertThat(stream.next()).contains(new TextDelta("Monkeys"));

            ProviderException e = catchProviderException(stream::next);

            assertThat(e.kind()).isEqualTo(Kind.BAD_RESPONSE);
        }
    }

    @Test
    void errorObjectInsideAnOkStreamIsAnUpstreamError() throws Exception {
        server.enqueue(OpenAiFixtures.eventStream("chat-completion-stream-error.txt"));

        try (EventStream stream = adapter("openai").stream(request(null))) {
            assertThat(stream.next()).contains(new TextDelta("Monkeys"));

            ProviderException e = catchProviderException(stream::next);

            assertThat(e.kind()).isEqualTo(Kind.UPSTREAM_ERROR);
            assertThat(e.getMessage()).contains("The server had an error while processing your request.");
        }
    }

    // --- HTTP errors ---------------------------------------------------------------------------------------

    @Test
    void invalidKeyIsAuthRefusedAndTheMessageNeverShowsTheKey() {
        server.enqueue(OpenAiFixtures.json(401, "error-401.json"));

        ProviderException e = catchProviderException(() -> adapter("openai").complete(request(null)));

        assertThat(e.kind()).isEqualTo(Kind.AUTH_REFUSED);
        assertThat(e.upstreamStatus()).isEqualTo(401);
        assertThat(e.provider()).isEqualTo("openai");
        assertKeyHidden(e);
    }

    @Test
    void forbiddenIsAuthRefused() {
        server.enqueue(OpenAiFixtures.json(403, "error-403.json"));

        ProviderException e = catchProviderException(() -> adapter("openai").complete(request(null)));

        assertThat(e.kind()).isEqualTo(Kind.AUTH_REFUSED);
        assertThat(e.upstreamStatus()).isEqualTo(403);
        assertKeyHidden(e);
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {401, 403})
    void authRefusalHidesAKeyThatTheUpstreamEchoesInFull(int status) {
        String echoingFullKey = OpenAiFixtures.text("error-401.json").replace(MASKED_KEY, API_KEY);
        server.enqueue(new MockResponse().setResponseCode(status).setHeader("Content-Type", "application/json")
                .setBody(echoingFullKey));

        ProviderException e = catchProviderException(() -> adapter("openai").stream(request(null)));

        assertThat(e.kind()).isEqualTo(Kind.AUTH_REFUSED);
        assertKeyHidden(e);
    }

    @Test
    void rateLimitIsRateLimitedWithRetryAfterAndTheProviderMessage() {
        server.enqueue(OpenAiFixtures.json(429, "error-429.json").setHeader("Retry-After", "7"));

        ProviderException e = catchProviderException(() -> adapter("openai").complete(request(null)));

        assertThat(e.kind()).isEqualTo(Kind.RATE_LIMITED);
        assertThat(e.upstreamStatus()).isEqualTo(429);
        assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(7));
        assertThat(e.getMessage()).contains("Rate limit reached for gpt-4o-mini");
    }

    @Test
    void rateLimitOnAStreamIsThrownBeforeAnyEvent() {
        server.enqueue(OpenAiFixtures.json(429, "error-429.json").setHeader("Retry-After", "7"));

        ProviderException e = catchProviderException(() -> adapter("openai").stream(request(null)));

        assertThat(e.kind()).isEqualTo(Kind.RATE_LIMITED);
        assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void serverErrorIsAnUpstreamErrorWithStatusAndTheProviderMessage() {
        server.enqueue(OpenAiFixtures.json(500, "error-500.json"));

        ProviderException e = catchProviderException(() -> adapter("openai").complete(request(null)));

        assertThat(e.kind()).isEqualTo(Kind.UPSTREAM_ERROR);
        assertThat(e.upstreamStatus()).isEqualTo(500);
        assertThat(e.retryAfter()).isNull();
        assertThat(e.getMessage())
                .contains("HTTP 500")
                .contains("The server had an error while processing your request. Sorry about that!");
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {429, 500, 502})
    void upstreamMessagesThatEchoTheKeyAreRedacted(int status) {
        String echoingFullKey = OpenAiFixtures.text("error-500.json")
                .replace("Sorry about that!", "Key " + API_KEY + " (" + MASKED_KEY + ") was used.");
        server.enqueue(new MockResponse().setResponseCode(status).setHeader("Content-Type", "application/json")
                .setBody(echoingFullKey));

        ProviderException e = catchProviderException(() -> adapter("openai").complete(request(null)));

        assertThat(e.upstreamStatus()).isEqualTo(status);
        assertThat(e.getMessage()).contains("The server had an error while processing your request.");
        assertKeyHidden(e);
    }

    // --- timeouts and cancellation -------------------------------------------------------------------------

    @Test
    void providerSlowToAnswerTimesOut() {
        server.enqueue(OpenAiFixtures.json(200, "chat-completion.json").setHeadersDelay(1, TimeUnit.SECONDS));
        var adapter = new OpenAiCompatibleAdapter("openai", server.url("/v1").toString(), API_KEY,
                client(Duration.ofMillis(300)));

        ProviderException e = catchProviderException(() -> adapter.complete(request(null)));

        assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
    }

    @Test
    void streamThatStallsBeforeItsFirstEventTimesOut() throws Exception {
        server.enqueue(OpenAiFixtures.eventStream(STREAM).setBodyDelay(1, TimeUnit.SECONDS));
        var adapter = new OpenAiCompatibleAdapter("openai", server.url("/v1").toString(), API_KEY,
                client(Duration.ofMillis(300)));

        try (EventStream stream = adapter.stream(request(null))) {
            ProviderException e = catchProviderException(stream::next);

            assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
        }
    }

    @Test
    void streamThatStallsMidwayTimesOut() throws Exception {
        byte[] wire = OpenAiFixtures.bytes(STREAM);
        server.enqueue(OpenAiFixtures.eventStreamWithLength(wire)
                .throttleBody(firstTwoEventsLength(), 1, TimeUnit.SECONDS));
        var adapter = new OpenAiCompatibleAdapter("openai", server.url("/v1").toString(), API_KEY,
                client(Duration.ofMillis(300)));

        try (EventStream stream = adapter.stream(request(null))) {
            assertThat(stream.next()).contains(new TextDelta("Monkeys"));

            ProviderException e = catchProviderException(stream::next);

            assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
        }
    }

    @Test
    void closingAStreamEarlyCancelsTheUpstreamCallPromptly() throws Exception {
        // The fake sends the first delta at once, then the rest slowly, as a model that is still thinking.
        server.enqueue(OpenAiFixtures.eventStream(STREAM).throttleBody(firstTwoEventsLength() + 16, 200, TimeUnit.MILLISECONDS));

        EventStream stream = adapter("openai").stream(request(null));
        assertThat(stream.next()).contains(new TextDelta("Monkeys"));

        assertTimeout(Duration.ofMillis(500), stream::close);

        assertThat(cancelWatch.canceled.await(1, TimeUnit.SECONDS)).as("the upstream call was cancelled").isTrue();
        assertClosedEarly(stream);
    }

    @Test
    void closedStreamDoesNotReplayEventsAlreadyBuffered() throws Exception {
        // The whole answer arrives in one go, so the reader has buffered every event before the close.
        server.enqueue(OpenAiFixtures.eventStreamWithLength(OpenAiFixtures.bytes(STREAM)));

        EventStream stream = adapter("openai").stream(request(null));
        assertThat(stream.next()).contains(new TextDelta("Monkeys"));
        stream.close();

        assertClosedEarly(stream);
    }

    @Test
    void closingAFinishedStreamCancelsNothing() throws Exception {
        server.enqueue(OpenAiFixtures.eventStream(STREAM));

        EventStream stream = adapter("openai").stream(request(null));
        drain(stream);
        stream.close();

        assertThat(cancelWatch.canceled.getCount()).as("no cancel after [DONE]").isEqualTo(1);
        assertThat(stream.next()).isEmpty();
    }

    // --- the whole conversation model ----------------------------------------------------------------------

    @Test
    void requestCarriesToolsToolTurnsImagesOutputOptionsAndSameFamilyPassthrough() throws Exception {
        server.enqueue(OpenAiFixtures.json(200, "chat-completion.json"));

        adapter("openai").complete(wholeConversation(new Passthrough(WireFamily.OPENAI_CHAT, Json.mapper().createObjectNode()
                .put("logprobs", true).put("top_logprobs", 2).put("service_tier", "flex")
                .put("seed", 7) // set by the gateway already: the canonical seed wins
                .set("logit_bias", Json.mapper().createObjectNode().put("50256", -100)), Map.of())));

        JsonNode body = Json.mapper().readTree(takeRequest().getBody().readUtf8());
        assertThat(body).isEqualTo(Json.mapper().readTree(OpenAiFixtures.bytes("request-whole-conversation.json")));
    }

    @Test
    void droppedNamesTopKThinkingAndOtherApisHostedToolsButNotSameFamilyPassthrough() {
        ConversationRequest request = wholeConversation(new Passthrough(WireFamily.OPENAI_CHAT,
                Json.mapper().createObjectNode().put("logprobs", true), Map.of()));

        assertThat(adapter("openai").dropped(request)).containsExactly("top_k", "thinking", "code_execution");
    }

    @Test
    void passthroughOfAnotherFamilyIsNotSentAndIsNamedInDropped() throws Exception {
        server.enqueue(OpenAiFixtures.json(200, "chat-completion.json"));
        ConversationRequest request = withPassthrough(request(null), new Passthrough(WireFamily.ANTHROPIC,
                Json.mapper().createObjectNode().put("container", "container_011CPR5CNjB747bTd36fQLFk")
                        .set("mcp_servers", Json.mapper().createArrayNode()), Map.of("anthropic-beta", "mcp-client-2025-04-04")));

        adapter("openai").complete(request);

        JsonNode body = Json.mapper().readTree(takeRequest().getBody().readUtf8());
        assertThat(body.has("container")).isFalse();
        assertThat(body.has("mcp_servers")).isFalse();
        assertThat(adapter("openai").dropped(request)).containsExactly("container", "mcp_servers");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"AUTO, auto", "NONE, none", "REQUIRED, required"})
    void toolChoiceModesAreOpenAiWords(ToolChoice.Mode mode, String wire) throws Exception {
        server.enqueue(OpenAiFixtures.json(200, "chat-completion.json"));
        ConversationRequest base = request(null);
        ConversationRequest request = new ConversationRequest(base.model(), base.system(), base.messages(),
                List.of(weatherTool()), new ToolChoice(mode, null), true, null, null, null, null, null, null, null);

        adapter("groq").complete(request);

        JsonNode body = Json.mapper().readTree(takeRequest().getBody().readUtf8());
        assertThat(body.path("tool_choice").asText()).isEqualTo(wire);
        assertThat(body.path("parallel_tool_calls").asBoolean()).isTrue();
    }

    @Test
    void toolChoiceWithoutAnyToolLeftIsNotSent() throws Exception {
        // OpenAI refuses tool_choice and parallel_tool_calls without tools; here the one tool was Anthropic's.
        server.enqueue(OpenAiFixtures.json(200, "chat-completion.json"));
        ConversationRequest base = request(null);
        ConversationRequest request = new ConversationRequest(base.model(), base.system(), base.messages(),
                List.of(codeExecution()), ToolChoice.AUTO, false, null, null, null, null, null, null, null);

        adapter("openai").complete(request);

        JsonNode body = Json.mapper().readTree(takeRequest().getBody().readUtf8());
        assertThat(body.has("tools")).isFalse();
        assertThat(body.has("tool_choice")).isFalse();
        assertThat(body.has("parallel_tool_calls")).isFalse();
    }

    @ParameterizedTest(name = "budget {0} -> {1}")
    @CsvSource({"1024, low", "2048, low", "4096, medium", "8192, medium", "16000, high"})
    void reasoningBudgetIsSizedIntoAnEffort(int budget, String effort) {
        assertThat(ChatCompletionsBody.effort(Reasoning.budget(budget))).isEqualTo(effort);
    }

    @Test
    void completionWithToolCallsKeepsIdsArgumentsAndReasoningTokens() throws Exception {
        server.enqueue(OpenAiFixtures.json(200, "chat-completion-tool-calls.json"));

        Answer answer = adapter("openai").complete(request(null));

        assertThat(answer.content()).containsExactly(
                new Part.ToolCall("call_DdmO9pD3xa9XTPNJ32zg2hcA", "get_weather", "{\"city\": \"Paris\"}"),
                new Part.ToolCall("call_ABqv2mJd8Lp0xXkR6tWn4eYs", "get_weather", "{\"city\": \"Boston\"}"));
        assertThat(answer.finish()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(answer.usage()).isEqualTo(new TokenCount(56, 98, 64, 0, 64));
    }

    @Test
    void completionWithReasoningContentPutsThinkingFirst() throws Exception {
        // xAI's and Groq's shape: the reasoning beside the content, under reasoning_content.
        server.enqueue(new MockResponse().setHeader("Content-Type", "application/json").setBody("""
                {"id":"4f0c8b1e","object":"chat.completion","created":1741570310,"model":"grok-3-mini","choices":[{"index":0,\
                "message":{"role":"assistant","content":"42.","reasoning_content":"Six times seven."},"finish_reason":"stop"}],\
                "usage":{"prompt_tokens":10,"completion_tokens":30,"total_tokens":40,"completion_tokens_details":{"reasoning_tokens":27}}}"""));

        Answer answer = adapter("xai").complete(request(null));

        assertThat(answer.content()).containsExactly(new Part.Thinking("Six times seven.", null), new Part.Text("42."));
        assertThat(answer.usage()).isEqualTo(new TokenCount(10, 30, 0, 0, 27));
    }

    @Test
    void streamedParallelToolCallsAreNumberedAndBracketedInOrder() throws Exception {
        server.enqueue(OpenAiFixtures.eventStream("chat-completion-stream-tool-calls.txt"));

        List<StreamEvent> events;
        try (EventStream stream = adapter("openai").stream(request(null))) {
            events = drain(stream);
        }

        assertThat(events).containsExactly(
                new ToolCallStart(0, "call_DdmO9pD3xa9XTPNJ32zg2hcA", "get_weather"),
                new ToolCallDelta(0, "{\"ci"),
                new ToolCallDelta(0, "ty\": \"Pa"),
                new ToolCallDelta(0, "ris\"}"),
                new ToolCallEnd(0),
                new ToolCallStart(1, "call_ABqv2mJd8Lp0xXkR6tWn4eYs", "get_weather"),
                new ToolCallDelta(1, "{\"city"),
                new ToolCallDelta(1, "\": \"Bos"),
                new ToolCallDelta(1, "ton\"}"),
                new ToolCallEnd(1),
                new Finished(FinishReason.TOOL_CALLS),
                new UsageReported(new TokenCount(82, 41)));
        AnswerBuilder builder = new AnswerBuilder();
        for (StreamEvent e : events) {
            builder.accept(e);
        }
        assertThat(builder.build().toolCalls()).extracting(Part.ToolCall::arguments)
                .containsExactly("{\"city\": \"Paris\"}", "{\"city\": \"Boston\"}");
    }

    @Test
    void streamedReasoningContentIsThinking() throws Exception {
        server.enqueue(OpenAiFixtures.eventStream(("""
                data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"role":"assistant","reasoning_content":"Six"},"finish_reason":null}]}

                data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"reasoning_content":" times seven."},"finish_reason":null}]}

                data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"42."},"finish_reason":"stop"}]}

                data: [DONE]

                """).getBytes(StandardCharsets.UTF_8)));

        List<StreamEvent> events;
        try (EventStream stream = adapter("xai").stream(request(null))) {
            events = drain(stream);
        }

        assertThat(events).containsExactly(new ThinkingDelta("Six"), new ThinkingDelta(" times seven."),
                new TextDelta("42."), new Finished(FinishReason.STOP));
    }

    @Test
    void argumentsForAToolCallNeverStartedAreABadResponse() throws Exception {
        String wire = OpenAiFixtures.text("chat-completion-stream-tool-calls.txt");
        // The stream without its first chunk: index 0's arguments arrive before any call started.
        server.enqueue(OpenAiFixtures.eventStream(wire.substring(wire.indexOf("data: ", 1)).getBytes(StandardCharsets.UTF_8)));

        try (EventStream stream = adapter("openai").stream(request(null))) {
            ProviderException e = catchProviderException(() -> drain(stream));

            assertThat(e.kind()).isEqualTo(Kind.BAD_RESPONSE);
            assertThat(e.getMessage()).contains("not open");
        }
    }

    // --- helpers -------------------------------------------------------------------------------------------

    private OpenAiCompatibleAdapter adapter(String provider) {
        return new OpenAiCompatibleAdapter(provider, server.url("/v1").toString(), API_KEY, client(Duration.ofSeconds(5)));
    }

    /** Configured as the gateway's own client is, with a read timeout the test chooses. */
    private OkHttpClient client(Duration readTimeout) {
        return new OkHttpClient.Builder()
                .connectTimeout(Duration.ofSeconds(2))
                .readTimeout(readTimeout)
                .retryOnConnectionFailure(false)
                .eventListener(cancelWatch)
                .build();
    }

    /** Every part kind, tool kind and output option the canonical model has, as request-whole-conversation.json expects. */
    private static ConversationRequest wholeConversation(Passthrough passthrough) {
        List<Message> messages = List.of(
                new Message(Role.USER, List.of(new Part.Text("Weather in Paris and Boston? Here is a map."),
                        Part.Image.inline("image/png", "iVBORw0KGgo="), Part.Image.byUrl("https://example.com/map.jpg"))),
                new Message(Role.ASSISTANT, List.of(new Part.Thinking("Two cities, two calls.", "sig-1"),
                        new Part.Text("Checking both."),
                        new Part.ToolCall("call_paris", "get_weather", "{\"city\":\"Paris\"}"),
                        new Part.ToolCall("call_boston", "get_weather", "{\"city\":\"Boston\"}"))),
                new Message(Role.USER, List.of(
                        new Part.ToolResult("call_paris", List.of(new Part.Text("18\u00b0C, sunny")), false, null),
                        new Part.ToolResult("call_boston", List.of(new Part.Text("Radar attached."),
                                Part.Image.inline("image/png", "AAAA")), false, null))),
                Message.system("Answer in one sentence."),
                new Message(Role.ASSISTANT, List.of(
                        new Part.ToolCall("call_patch", "apply_patch", "{\"input\":\"*** Begin Patch\"}"))),
                new Message(Role.USER, List.of(
                        new Part.ToolResult("call_patch", List.of(new Part.Text("done")), false, null),
                        new Part.Text("Thanks. Summarise."))));
        ObjectNode grammarTool = (ObjectNode) json("""
                {"type":"custom","custom":{"name":"sql","format":{"type":"grammar","grammar":{"syntax":"lark","definition":"start: \\"SELECT\\""}}}}""");
        List<Tool> tools = List.of(weatherTool(),
                new Tool.Function("apply_patch", "Apply a patch to the repository", null, null, true, null),
                new Tool.Hosted("sql", "custom", WireFamily.OPENAI_CHAT, grammarTool, false),
                codeExecution());
        ResponseFormat format = new ResponseFormat(ResponseFormat.Kind.JSON_SCHEMA, "weather", json("""
                {"type":"object","properties":{"summary":{"type":"string"}},"required":["summary"],"additionalProperties":false}"""), true);
        return new ConversationRequest("gpt-4.1", List.of(new Part.Text("You are a weather bot.")), messages, tools,
                ToolChoice.named("get_weather"), false, format, List.of("\n\n", "END"),
                new Sampling(0.3, 0.9, 40, 42L, 0.5, 0.25), 512, Reasoning.effort("low"), Map.of("user", "user-1234"),
                passthrough);
    }

    private static Tool.Function weatherTool() {
        return new Tool.Function("get_weather", "Current weather in a city", json("""
                {"type":"object","properties":{"city":{"type":"string"}},"required":["city"],"additionalProperties":false}"""),
                true, false, null);
    }

    /** Anthropic's code execution, offered as optional: another API's tool that this format leaves out. */
    private static Tool.Hosted codeExecution() {
        return new Tool.Hosted("code_execution", "code_execution_20250825", WireFamily.ANTHROPIC,
                (ObjectNode) json("{\"type\":\"code_execution_20250825\",\"name\":\"code_execution\"}"), true);
    }

    private static ConversationRequest withPassthrough(ConversationRequest r, Passthrough passthrough) {
        return new ConversationRequest(r.model(), r.system(), r.messages(), r.tools(), r.toolChoice(),
                r.parallelToolCalls(), r.responseFormat(), r.stop(), r.sampling(), r.maxOutputTokens(), r.reasoning(),
                r.metadata(), passthrough);
    }

    private static JsonNode json(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static ConversationRequest request(ModelConfig config) {
        return WireFixtures.request("gpt-4o-mini",
                List.of(ChatMessage.system("You are a terse assistant."), ChatMessage.user("How do monkeys write code?")),
                config);
    }

    private RecordedRequest takeRequest() throws InterruptedException {
        RecordedRequest recorded = server.takeRequest(2, TimeUnit.SECONDS);
        assertThat(recorded).as("the fake received a request").isNotNull();
        return recorded;
    }

    private static List<StreamEvent> drain(EventStream stream) throws ProviderException {
        List<StreamEvent> events = new ArrayList<>();
        for (Optional<StreamEvent> next = stream.next(); next.isPresent(); next = stream.next()) {
            events.add(next.get());
        }
        return events;
    }

    private static String text(List<StreamEvent> events) {
        return events.stream()
                .filter(TextDelta.class::isInstance)
                .map(e -> ((TextDelta) e).text())
                .collect(Collectors.joining());
    }

    /** Bytes of the fixture's role chunk and first content chunk. */
    private static int firstTwoEventsLength() {
        String wire = OpenAiFixtures.text(STREAM);
        int third = wire.indexOf("data: ", wire.indexOf("\"Monkeys\""));
        return wire.substring(0, third).getBytes(StandardCharsets.UTF_8).length;
    }

    /** A stream closed before its end hands out nothing more, not even events already buffered: it fails. */
    private static void assertClosedEarly(EventStream stream) {
        ProviderException e = catchProviderException(stream::next);
        assertThat(e.kind()).isEqualTo(Kind.NETWORK);
        assertThat(e.getMessage()).contains("closed before its end");
    }

    private static void assertKeyHidden(ProviderException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage()))
                    .doesNotContain(API_KEY)
                    .doesNotContain("SECRET")
                    .doesNotContain("6789")
                    .doesNotContain(MASKED_KEY);
        }
    }

    private static ProviderException catchProviderException(ThrowingCall call) {
        ProviderException e = catchThrowableOfType(ProviderException.class, call::run);
        assertThat(e).as("a ProviderException").isNotNull();
        return e;
    }

    @FunctionalInterface
    private interface ThrowingCall {
        void run() throws Exception;
    }

    /** Notes when OkHttp cancels a call: the one thing the fake cannot see for itself. */
    private static final class CancelWatch extends EventListener {
        final CountDownLatch canceled = new CountDownLatch(1);

        @Override
        public void canceled(Call call) {
            canceled.countDown();
        }
    }
}
