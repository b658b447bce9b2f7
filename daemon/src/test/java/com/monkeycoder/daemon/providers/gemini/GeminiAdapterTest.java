package com.monkeycoder.daemon.providers.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.daemon.catalog.ModelCatalog;
import com.monkeycoder.daemon.catalog.ModelEntry;
import com.monkeycoder.daemon.conversation.Answer;
import com.monkeycoder.daemon.conversation.AnswerBuilder;
import com.monkeycoder.daemon.conversation.Part;
import com.monkeycoder.daemon.conversation.Reasoning;
import com.monkeycoder.daemon.conversation.ResponseFormat;
import com.monkeycoder.daemon.conversation.Role;
import com.monkeycoder.daemon.conversation.Tool;
import com.monkeycoder.daemon.conversation.ToolChoice;
import com.monkeycoder.daemon.conversation.WireFamily;
import com.monkeycoder.daemon.conversation.StreamEvent.ThinkingDelta;
import com.monkeycoder.daemon.conversation.StreamEvent.ThinkingSignature;
import com.monkeycoder.daemon.conversation.StreamEvent.ToolCallDelta;
import com.monkeycoder.daemon.conversation.StreamEvent.ToolCallEnd;
import com.monkeycoder.daemon.conversation.StreamEvent.ToolCallStart;
import com.monkeycoder.daemon.conversation.FinishReason;
import com.monkeycoder.daemon.conversation.Message;
import com.monkeycoder.daemon.conversation.Sampling;
import com.monkeycoder.daemon.conversation.ConversationRequest;
import com.monkeycoder.daemon.errors.ApiError;
import com.monkeycoder.daemon.errors.ErrorCode;
import com.monkeycoder.daemon.media.ImageFetcher;
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
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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

    /** An adapter numbering the tool calls Gemini sends without an id, so that events can be compared exactly. */
    private GeminiAdapter countingIds() {
        AtomicInteger next = new AtomicInteger();
        return new GeminiAdapter("google", google.url("/").toString(), KEY, http, new ImageFetcher(http),
                () -> "call_" + next.incrementAndGet());
    }

    private static ConversationRequest conversation(List<Part> system, List<Message> messages, List<Tool> tools,
                                                    ToolChoice choice, ResponseFormat format, List<String> stop,
                                                    Sampling sampling, Integer max, Reasoning reasoning) {
        return new ConversationRequest("gemini-2.5-flash", system, messages, tools, choice, null, format, stop,
                sampling, max, reasoning, Map.of(), null);
    }

    private JsonNode sentBody() throws InterruptedException, IOException {
        return Json.mapper().readTree(google.takeRequest().getBody().readUtf8());
    }

    @Test
    void requestCarriesToolsWithGeminisSchemaSubsetToolConfigImagesAndGenerationConfig() throws Exception {
        google.enqueue(json("gemini/generate-content.json"));
        JsonNode weatherSchema = Json.mapper().readTree("""
                {"$schema": "http://json-schema.org/draft-07/schema#", "type": "object", "additionalProperties": false,
                 "properties": {
                   "city": {"type": "string", "description": "City name", "minLength": 1},
                   "unit": {"type": ["string", "null"], "enum": ["c", "f"], "default": "c"},
                   "days": {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 7,
                            "exclusiveMaximum": 8}, "maxItems": 3},
                   "where": {"anyOf": [{"type": "string"}, {"type": "object", "additionalProperties": false,
                             "properties": {"lat": {"type": "number"}}, "required": ["lat"]}]}},
                 "required": ["city"], "strict": true}""");
        JsonNode answerSchema = Json.mapper().readTree("""
                {"type": "object", "additionalProperties": false, "properties": {"summary": {"type": "string"}},
                 "required": ["summary"]}""");
        ConversationRequest request = conversation(List.of(new Part.Text("You are a weather bot.")),
                List.of(new Message(Role.USER, List.of(new Part.Text("What is in these pictures, and the weather?"),
                        Part.Image.inline("image/png", "iVBORw0KGgoAAAANSUhEUg==")))),
                List.of(new Tool.Function("get_weather", "Current weather in a city", weatherSchema, true, false, null),
                        new Tool.Function("apply_patch", "Apply a patch", null, null, true, null),
                        new Tool.Hosted("web_search", "web_search", WireFamily.OPENAI_RESPONSES, null, true)),
                ToolChoice.named("get_weather"),
                new ResponseFormat(ResponseFormat.Kind.JSON_SCHEMA, "answer", answerSchema, true),
                List.of("END"), new Sampling(0.3, 0.9, 40, 7L, 0.5, 0.25), 4096, Reasoning.effort("high"));

        adapter.complete(request);

        assertThat(sentBody()).isEqualTo(Json.mapper().readTree("""
                {"contents": [{"role": "user", "parts": [
                   {"text": "What is in these pictures, and the weather?"},
                   {"inlineData": {"mimeType": "image/png", "data": "iVBORw0KGgoAAAANSUhEUg=="}}]}],
                 "systemInstruction": {"parts": [{"text": "You are a weather bot."}]},
                 "tools": [{"functionDeclarations": [
                   {"name": "get_weather", "description": "Current weather in a city", "parameters": {
                     "type": "object",
                     "properties": {
                       "city": {"type": "string", "description": "City name", "minLength": 1},
                       "unit": {"type": "string", "nullable": true, "enum": ["c", "f"], "default": "c"},
                       "days": {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 7},
                                "maxItems": 3},
                       "where": {"anyOf": [{"type": "string"}, {"type": "object",
                                 "properties": {"lat": {"type": "number"}}, "required": ["lat"]}]}},
                     "required": ["city"]}},
                   {"name": "apply_patch", "description": "Apply a patch", "parameters": {
                     "type": "object", "properties": {"input": {"type": "string"}}, "required": ["input"]}}]}],
                 "toolConfig": {"functionCallingConfig": {"mode": "ANY", "allowedFunctionNames": ["get_weather"]}},
                 "generationConfig": {"temperature": 0.3, "topP": 0.9, "topK": 40, "maxOutputTokens": 4096,
                   "stopSequences": ["END"], "seed": 7, "presencePenalty": 0.5, "frequencyPenalty": 0.25,
                   "responseMimeType": "application/json",
                   "responseSchema": {"type": "object", "properties": {"summary": {"type": "string"}},
                                      "required": ["summary"]},
                   "thinkingConfig": {"thinkingBudget": 4096, "includeThoughts": true}}}"""));
        assertThat(adapter.dropped(request)).containsExactly("web_search");
    }

    @ParameterizedTest
    @CsvSource({"AUTO, AUTO", "REQUIRED, ANY", "NONE, NONE"})
    void toolChoiceBecomesAFunctionCallingMode(ToolChoice.Mode mode, String geminiMode) throws Exception {
        google.enqueue(json("gemini/generate-content.json"));

        adapter.complete(conversation(List.of(), List.of(Message.user("Hi")),
                List.of(new Tool.Function("f", null, null, null, false, null)), new ToolChoice(mode, null), null,
                List.of(), null, null, null));

        JsonNode body = sentBody();
        assertThat(body.path("toolConfig")).isEqualTo(Json.mapper().readTree(
                "{\"functionCallingConfig\": {\"mode\": \"" + geminiMode + "\"}}"));
        assertThat(body.path("tools").path(0).path("functionDeclarations").path(0))
                .isEqualTo(Json.mapper().readTree("{\"name\": \"f\"}"));
    }

    @Test
    void toolRoundTripNamesEachResponseAfterItsCallAndCarriesTheSignatureBackOnTheCall() throws Exception {
        google.enqueue(json("gemini/generate-content.json"));
        ConversationRequest request = conversation(List.of(new Part.Text("Be brief.")), List.of(
                Message.user("Weather in Paris, and the forecast for Rome?"),
                new Message(Role.ASSISTANT, List.of(
                        new Part.Thinking("Two lookups.", "CiQBjz1rX2NhMonkeyFAKEsig"),
                        new Part.ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}"),
                        new Part.ToolCall("call_2", "get_forecast", "{\"city\":\"Rome\",\"days\":2}"))),
                new Message(Role.USER, List.of(
                        new Part.ToolResult("call_2", List.of(new Part.Text("rain")), false, null),
                        new Part.ToolResult("call_1", List.of(new Part.Text("station offline")), true, null))),
                Message.system("Answer in Celsius."),
                Message.user("And tomorrow?")),
                List.of(), null, null, List.of(), null, null, null);

        adapter.complete(request);

        JsonNode body = sentBody();
        assertThat(body.path("systemInstruction")).isEqualTo(Json.mapper().readTree(
                "{\"parts\": [{\"text\": \"Be brief.\"}, {\"text\": \"Answer in Celsius.\"}]}"));
        assertThat(body.path("contents")).isEqualTo(Json.mapper().readTree("""
                [{"role": "user", "parts": [{"text": "Weather in Paris, and the forecast for Rome?"}]},
                 {"role": "model", "parts": [
                   {"functionCall": {"name": "get_weather", "args": {"city": "Paris"}},
                    "thoughtSignature": "CiQBjz1rX2NhMonkeyFAKEsig"},
                   {"functionCall": {"name": "get_forecast", "args": {"city": "Rome", "days": 2}}}]},
                 {"role": "user", "parts": [
                   {"functionResponse": {"name": "get_forecast", "response": {"content": "rain"}}},
                   {"functionResponse": {"name": "get_weather", "response": {"error": "station offline"}}},
                   {"text": "And tomorrow?"}]}]"""));
        assertThat(adapter.dropped(request)).as("a signed thought goes back as its signature").isEmpty();
    }

    @Test
    void reasoningGeminiCannotTakeIsDroppedAndNamedAndALoneSignatureRidesAnEmptyTextPart() throws Exception {
        google.enqueue(json("gemini/generate-content.json"));
        ConversationRequest request = conversation(List.of(), List.of(
                Message.user("Hi"),
                new Message(Role.ASSISTANT, List.of(new Part.Thinking("Anthropic-style thoughts", null),
                        new Part.RedactedThinking("EmwKAhgBEgy3va3pzix"), new Part.Text("Hello!"),
                        new Part.Thinking("", "CiQBsigAtTheEnd"))),
                new Message(Role.ASSISTANT, List.of(new Part.RedactedThinking("EmwKAhgBEgy3va3pzix"))),
                Message.user("Bye")),
                List.of(), null, null, List.of(), null, null, new Reasoning(null, null, false, true));

        adapter.complete(request);

        JsonNode body = sentBody();
        assertThat(body.path("contents")).isEqualTo(Json.mapper().readTree("""
                [{"role": "user", "parts": [{"text": "Hi"}]},
                 {"role": "model", "parts": [{"text": "Hello!"}, {"text": "", "thoughtSignature": "CiQBsigAtTheEnd"}]},
                 {"role": "user", "parts": [{"text": "Bye"}]}]"""));
        assertThat(body.has("generationConfig")).as("thinking off is left out, never a budget of 0").isFalse();
        assertThat(adapter.dropped(request)).containsExactly("thinking", "redacted_thinking");
    }

    @Test
    void streamedThoughtsSignatureAndTwoFunctionCallsAreExactCanonicalEvents() throws Exception {
        google.enqueue(sse("gemini/stream-thoughts-function-calls.sse"));
        google.enqueue(json("gemini/generate-content.json"));
        GeminiAdapter counting = countingIds();

        List<StreamEvent> events = drain(counting.stream(request()));

        String signature = "CiQBjz1rX2NhMonkeyFAKEsig0fJb4V3mK8pWqS2tYf7uLxN1oQe9ZcR6vT";
        assertThat(events).containsExactly(
                new ThinkingDelta("**Looking up both cities**\n\nThe user wants the weather in Paris and in Rome, "
                        + "so I will call get_weather for each."),
                new ThinkingSignature(signature),
                new ToolCallStart(0, "call_1", "get_weather"),
                new ToolCallDelta(0, "{\"city\":\"Paris\",\"unit\":\"c\"}"),
                new ToolCallEnd(0),
                new ToolCallStart(1, "call_2", "get_weather"),
                new ToolCallDelta(1, "{\"city\":\"Rome\",\"unit\":\"c\"}"),
                new ToolCallEnd(1),
                new Finished(FinishReason.TOOL_CALLS),
                new UsageReported(new TokenCount(96, 106, 0, 0, 66)));

        // The dispatcher's order check accepts it, and the answer sent back puts the signature on the first call.
        AnswerBuilder built = new AnswerBuilder();
        for (StreamEvent e : events) {
            built.accept(e);
        }
        Answer answer = built.build();
        counting.complete(conversation(List.of(), List.of(Message.user("Weather in Paris and Rome?"),
                new Message(Role.ASSISTANT, answer.content())), List.of(), null, null, List.of(), null, null, null));
        google.takeRequest(); // the stream's own request
        JsonNode model = sentBody().path("contents").path(1);
        assertThat(model.path("role").asText()).isEqualTo("model");
        assertThat(model.path("parts").path(0).path("thoughtSignature").asText()).isEqualTo(signature);
        assertThat(model.path("parts").path(0).path("functionCall").path("name").asText()).isEqualTo("get_weather");
        assertThat(model.path("parts").path(1).has("thoughtSignature")).isFalse();
    }

    @Test
    void wholeAnswerWithAFunctionCallKeepsItsSignatureBeforeTheCallAndFinishesForTools() throws Exception {
        google.enqueue(json("gemini/generate-content-function-call.json"));

        Answer answer = countingIds().complete(request());

        assertThat(answer.content()).containsExactly(
                new Part.Text("I'll check the weather in Boston for you."),
                new Part.Thinking("", "CiwBjz1rX1MonkeyFAKEsigT4pQe2vN8xWmZk0bR5uLc3sHyA9dJfG7tE1oV"),
                new Part.ToolCall("call_1", "get_current_weather", "{\"location\":\"Boston, MA\"}"));
        assertThat(answer.finish()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(answer.usage()).isEqualTo(new TokenCount(74, 141, 0, 0, 114));
    }

    @Test
    void aFunctionCallIdFromNewerApiVersionsIsKept() throws Exception {
        google.enqueue(new MockResponse().setHeader("Content-Type", "application/json").setBody("""
                {"candidates": [{"content": {"parts": [{"functionCall": {"id": "q4ehx7ab", "name": "lookup",
                 "args": {}}}], "role": "model"}, "finishReason": "STOP", "index": 0}]}"""));

        Answer answer = countingIds().complete(request());

        assertThat(answer.toolCalls()).containsExactly(new Part.ToolCall("q4ehx7ab", "lookup", "{}"));
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

    /** A fetcher that may reach a mock image server on 127.0.0.1 over http (production: public https only). */
    private GeminiAdapter fetchingFromLoopback() {
        ImageFetcher images = new ImageFetcher(http, a -> a.getHostAddress().equals("127.0.0.1"),
                ImageFetcher.Resolver.SYSTEM, true, Duration.ofSeconds(1), Duration.ofSeconds(2), 1024 * 1024,
                Duration.ofMinutes(1));
        return new GeminiAdapter("google", google.url("/").toString(), KEY, http, images);
    }

    @Test
    void anImageByUrlIsFetchedByTheGatewayAndSentInline() throws Exception {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 'I', 'H', 'D', 'R'};
        MockWebServer images = new MockWebServer();
        images.start(InetAddress.getByName("127.0.0.1"), 0);
        try {
            images.enqueue(new MockResponse().setHeader("Content-Type", "application/octet-stream")
                    .setBody(new Buffer().write(png)));
            google.enqueue(json("gemini/generate-content.json"));
            google.enqueue(json("gemini/generate-content.json"));
            String url = images.url("/cat").toString();
            ConversationRequest request = conversation(List.of(), List.of(new Message(Role.USER, List.of(
                    new Part.Text("What is this?"), Part.Image.byUrl(url)))), List.of(), null, null, List.of(),
                    null, null, null);
            GeminiAdapter adapter = fetchingFromLoopback();

            adapter.complete(request);
            adapter.complete(request); // another attempt of the same request, as a failover makes

            String inline = Base64.getEncoder().encodeToString(png);
            JsonNode expected = Json.mapper().readTree("""
                    {"contents": [{"role": "user", "parts": [{"text": "What is this?"},
                       {"inlineData": {"mimeType": "image/png", "data": "%s"}}]}]}""".formatted(inline));
            assertThat(sentBody()).isEqualTo(expected);
            assertThat(sentBody()).isEqualTo(expected);
            assertThat(images.getRequestCount()).isEqualTo(1);
        } finally {
            images.shutdown();
        }
    }

    @Test
    void anImageUrlTheGatewayMayNotFetchIsA422AndGeminiIsNotAsked() {
        ConversationRequest request = conversation(List.of(), List.of(new Message(Role.USER, List.of(
                new Part.Text("What is this?"), Part.Image.byUrl("https://169.254.169.254/latest/meta-data/")))),
                List.of(), null, null, List.of(), null, null, null);

        ApiError whole = catchThrowableOfType(ApiError.class, () -> adapter.complete(request));
        ApiError streamed = catchThrowableOfType(ApiError.class, () -> adapter.stream(request));

        assertThat(whole.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
        assertThat(whole.details()).containsEntry("field", "image url");
        assertThat(streamed.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
        assertThat(google.getRequestCount()).isZero();
    }
}
