package com.monkeycoder.daemon.providers.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.monkeycoder.daemon.conversation.Answer;
import com.monkeycoder.daemon.conversation.ConversationRequest;
import com.monkeycoder.daemon.conversation.FinishReason;
import com.monkeycoder.daemon.conversation.Part;
import com.monkeycoder.daemon.conversation.WireFamily;
import com.monkeycoder.daemon.providers.EventStream;
import com.monkeycoder.daemon.providers.ProviderAdapter;
import com.monkeycoder.daemon.providers.ProviderException;
import com.monkeycoder.daemon.providers.SseEventStream;
import com.monkeycoder.daemon.conversation.StreamEvent;
import com.monkeycoder.daemon.conversation.TokenCount;
import com.monkeycoder.daemon.providers.UpstreamErrors;
import com.monkeycoder.shared.Json;
import com.monkeycoder.shared.sse.SseEvent;
import okhttp3.Call;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Anthropic's Messages API ({@code POST /v1/messages}), spoken natively so that the gateway gets what the
 * OpenAI-compatible layer loses: the separate system prompt, the required {@code max_tokens}, and prompt-cache
 * token counts for exact billing.
 */
public final class AnthropicAdapter implements ProviderAdapter {

    /** The API version this adapter speaks; Anthropic keeps each version's wire format stable. */
    public static final String API_VERSION = "2023-06-01";
    /** Anthropic refuses a request without {@code max_tokens}; this is sent when the client set none. */
    public static final int DEFAULT_MAX_TOKENS = 4096;

    private static final MediaType JSON = MediaType.get("application/json");
    private static final Set<String> NOT_FORWARDED = Set.of("x-api-key", "authorization", "content-type",
            "content-length", "host", "accept", "accept-encoding", "connection", "transfer-encoding");

    private final String name;
    private final String messagesUrl;
    private final String apiKey;
    private final OkHttpClient http;
    private final UpstreamErrors errors;

    /**
     * @param baseUrl the API host, e.g. {@code https://api.anthropic.com}, as {@code ANTHROPIC_BASE_URL} holds it
     *                for Anthropic's own SDKs (a trailing {@code /v1} is tolerated)
     * @param apiKey  the operator's key, sent as {@code x-api-key}
     */
    public AnthropicAdapter(String name, String baseUrl, String apiKey, OkHttpClient http) {
        this.name = name;
        String root = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.messagesUrl = (root.endsWith("/v1") ? root : root + "/v1") + "/messages";
        this.apiKey = apiKey;
        this.http = http;
        this.errors = new UpstreamErrors(name, apiKey);
    }

    @Override
    public String name() {
        return name;
    }

    /** {@code GET /v1/models}: Anthropic's model list, with the key as a request sends it. */
    @Override
    public boolean checkKey(java.time.Duration timeout) throws ProviderException {
        Request.Builder builder = new Request.Builder()
                .url(messagesUrl.substring(0, messagesUrl.length() - "/messages".length()) + "/models").get()
                .header("anthropic-version", API_VERSION).header("User-Agent", "monkey-coder-gateway");
        if (apiKey != null && !apiKey.isBlank()) {
            builder.header("x-api-key", apiKey);
        }
        errors.check(http, builder.build(), timeout);
        return true;
    }

    @Override
    public WireFamily family() {
        return WireFamily.ANTHROPIC;
    }

    @Override
    public Answer complete(ConversationRequest request) throws ProviderException {
        Call call = http.newCall(httpRequest(request, false));
        try (Response response = errors.execute(call)) {
            JsonNode message = errors.readJson(response.body());
            JsonNode content = message.path("content");
            if (!content.isArray()) {
                throw errors.badResponse("no content in the answer", null);
            }
            return new Answer(parts(content), finishReason(message.path("stop_reason").asText(null)),
                    usage(message.path("usage"), null));
        }
    }

    /**
     * A whole answer's content blocks as parts, in order. Server tool blocks (server_tool_use, web search results...)
     * are Anthropic's own bookkeeping of tools it ran itself: no client runs them, so they are not parts.
     */
    private static List<Part> parts(JsonNode content) {
        List<Part> parts = new ArrayList<>();
        for (JsonNode block : content) {
            switch (block.path("type").asText()) {
                case "text" -> parts.add(new Part.Text(block.path("text").asText("")));
                case "thinking" -> parts.add(new Part.Thinking(block.path("thinking").asText(""),
                        block.path("signature").asText(null)));
                case "redacted_thinking" -> parts.add(new Part.RedactedThinking(block.path("data").asText("")));
                case "tool_use" -> parts.add(new Part.ToolCall(block.path("id").asText(), block.path("name").asText(),
                        Json.write(block.path("input"))));
                default -> {
                    // server_tool_use, *_tool_result and block types Anthropic may add later
                }
            }
        }
        return parts;
    }

    @Override
    public EventStream stream(ConversationRequest request) throws ProviderException {
        Call call = http.newCall(httpRequest(request, true));
        Response response = errors.execute(call);
        // An error event at the very start (overloaded) then still fails the call before the client sees a byte.
        return SseEventStream.primed(new MessageStream(call, response));
    }

    @Override
    public List<String> dropped(ConversationRequest request) {
        return AnthropicRequest.of(request, false).dropped();
    }

    /** Anthropic's own count ({@code POST /v1/messages/count_tokens}): the same body without the output cap. */
    @Override
    public java.util.OptionalLong countTokens(ConversationRequest request) throws ProviderException {
        ObjectNode body = AnthropicRequest.of(request, false).body();
        body.remove(List.of("max_tokens", "stream", "stop_sequences", "temperature", "top_p", "top_k", "metadata",
                "service_tier"));
        Call call = http.newCall(builder(request, body, messagesUrl + "/count_tokens", false).build());
        try (Response response = errors.execute(call)) {
            JsonNode counted = errors.readJson(response.body()).get("input_tokens");
            if (counted == null || !counted.canConvertToLong()) {
                throw errors.badResponse("no input_tokens in the count", null);
            }
            return java.util.OptionalLong.of(counted.asLong());
        }
    }

    private Request httpRequest(ConversationRequest request, boolean stream) {
        return builder(request, AnthropicRequest.of(request, stream).body(), messagesUrl, stream).build();
    }

    private Request.Builder builder(ConversationRequest request, ObjectNode body, String url, boolean stream) {
        Request.Builder builder = new Request.Builder()
                .url(url)
                .post(RequestBody.create(Json.writeBytes(body), JSON))
                .header("anthropic-version", API_VERSION)
                .header("Accept", stream ? "text/event-stream" : "application/json")
                .header("User-Agent", "monkey-coder-gateway");
        if (AnthropicRequest.sameFamily(request)) {
            forwardHeaders(request.passthrough().headers(), builder);
        }
        if (apiKey != null && !apiKey.isBlank()) {
            builder.header("x-api-key", apiKey);
        }
        return builder;
    }

    /**
     * An Anthropic client's own headers (anthropic-beta, and anthropic-version in place of ours) go upstream as
     * they came; never those that carry credentials or frame the body, which are the gateway's.
     */
    private static void forwardHeaders(Map<String, String> headers, Request.Builder builder) {
        for (Map.Entry<String, String> h : headers.entrySet()) {
            if (!NOT_FORWARDED.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                builder.header(h.getKey(), h.getValue());
            }
        }
    }

    /** Anthropic's stop reasons in the gateway's words; reasons without an equivalent pass through. */
    static FinishReason finishReason(String stopReason) {
        if (stopReason == null) {
            return null;
        }
        return switch (stopReason) {
            case "max_tokens", "model_context_window_exceeded" -> FinishReason.LENGTH;
            case "tool_use" -> FinishReason.TOOL_CALLS;
            case "refusal" -> FinishReason.CONTENT_FILTER;
            default -> FinishReason.STOP;
        };
    }

    /**
     * Token counts from a {@code usage} object. A stream reports input counts in {@code message_start} and the
     * final output count in {@code message_delta}, so {@code earlier} fills in what the latter leaves out.
     */
    static TokenCount usage(JsonNode usage, TokenCount earlier) {
        if (usage == null || !usage.isObject()) {
            return earlier;
        }
        if (!usage.has("input_tokens") && !usage.has("output_tokens") && earlier == null) {
            return null;
        }
        TokenCount base = earlier == null ? new TokenCount(0, 0) : earlier;
        return new TokenCount(
                count(usage, "input_tokens", base.promptTokens()),
                count(usage, "output_tokens", base.completionTokens()),
                count(usage, "cache_read_input_tokens", base.cacheReadTokens()),
                count(usage, "cache_creation_input_tokens", base.cacheWriteTokens()));
    }

    private static long count(JsonNode usage, String field, long otherwise) {
        JsonNode value = usage.get(field);
        return value != null && value.canConvertToLong() ? Math.max(0, value.asLong()) : otherwise;
    }

    /**
     * Reads the Messages stream: {@code message_start}, per content block {@code content_block_start},
     * {@code content_block_delta}s and {@code content_block_stop}, then {@code message_delta} (stop reason, output
     * tokens) and {@code message_stop}; {@code ping}s anywhere and an {@code error} event when the call fails.
     */
    private final class MessageStream extends SseEventStream {
        private TokenCount usage;
        /** Content blocks started so far, by Anthropic's block index. */
        private final Map<Integer, Block> blocks = new HashMap<>();
        /** Tool calls are numbered in start order, not by Anthropic's block index (text and thinking count there). */
        private int nextTool;

        /** A content block in progress: its type and, for a tool_use block, its tool call's number. */
        private record Block(String type, int tool) {
        }

        MessageStream(Call call, Response response) {
            super(AnthropicAdapter.this.name, AnthropicAdapter.this.errors, call, response);
        }

        @Override
        protected void handle(SseEvent event) throws ProviderException {
            JsonNode data = json(event);
            String type = data.path("type").asText(event.event());
            switch (type) {
                case "message_start" -> usage = usage(data.path("message").path("usage"), usage);
                case "content_block_start" -> blockStart(data.path("index").asInt(-1), data.path("content_block"));
                case "content_block_delta" -> blockDelta(started(data), data.path("delta"));
                case "content_block_stop" -> {
                    Block block = started(data);
                    if ("tool_use".equals(block.type())) {
                        emit(new StreamEvent.ToolCallEnd(block.tool()));
                    }
                }
                case "message_delta" -> {
                    String stop = data.path("delta").path("stop_reason").asText(null);
                    if (stop != null) {
                        emit(new StreamEvent.Finished(finishReason(stop)));
                    }
                    usage = usage(data.path("usage"), usage);
                    if (usage != null) {
                        emit(new StreamEvent.UsageReported(usage));
                    }
                }
                case "message_stop" -> end();
                case "error" -> throw errors.streamError(data.path("error"));
                default -> {
                    // ping, and event types Anthropic may add later
                }
            }
        }

        private void blockStart(int index, JsonNode block) throws ProviderException {
            if (index < 0 || blocks.containsKey(index)) {
                throw errors.badResponse("content block " + index + " started twice or without an index", null);
            }
            String type = block.path("type").asText();
            int tool = -1;
            switch (type) {
                case "tool_use" -> {
                    tool = nextTool++;
                    emit(new StreamEvent.ToolCallStart(tool, block.path("id").asText(), block.path("name").asText()));
                }
                // Redacted thinking arrives whole in its start event; it has no deltas.
                case "redacted_thinking" -> emit(new StreamEvent.RedactedThinking(block.path("data").asText("")));
                default -> {
                    // text and thinking come in deltas; server tool blocks are not the client's business
                }
            }
            blocks.put(index, new Block(type, tool));
        }

        private void blockDelta(Block block, JsonNode delta) {
            switch (delta.path("type").asText()) {
                case "text_delta" -> emitUnlessEmpty(delta.path("text").asText(""), StreamEvent.TextDelta::new);
                case "thinking_delta" ->
                        emitUnlessEmpty(delta.path("thinking").asText(""), StreamEvent.ThinkingDelta::new);
                case "signature_delta" ->
                        emitUnlessEmpty(delta.path("signature").asText(""), StreamEvent.ThinkingSignature::new);
                case "input_json_delta" -> {
                    // A server_tool_use block streams its input too; only the client's own tool calls are events.
                    if ("tool_use".equals(block.type())) {
                        int tool = block.tool();
                        emitUnlessEmpty(delta.path("partial_json").asText(""),
                                piece -> new StreamEvent.ToolCallDelta(tool, piece));
                    }
                }
                default -> {
                    // citations_delta, and delta types Anthropic may add later
                }
            }
        }

        private void emitUnlessEmpty(String piece, java.util.function.Function<String, StreamEvent> event) {
            if (!piece.isEmpty()) {
                emit(event.apply(piece));
            }
        }

        /** The block a delta or stop event is for; one that never started means the stream is malformed. */
        private Block started(JsonNode data) throws ProviderException {
            int index = data.path("index").asInt(-1);
            Block block = blocks.get(index);
            if (block == null) {
                throw errors.badResponse("an event for content block " + index + ", which never started", null);
            }
            return block;
        }

        /** Anthropic always closes with message_stop: a connection that ends before it was cut. */
        @Override
        protected boolean complete() {
            return false;
        }
    }
}
