package com.monkeycoder.daemon.providers.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.monkeycoder.daemon.conversation.Answer;
import com.monkeycoder.daemon.conversation.ConversationRequest;
import com.monkeycoder.daemon.conversation.FinishReason;
import com.monkeycoder.daemon.conversation.Message;
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
import okhttp3.ResponseBody;


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
            StringBuilder text = new StringBuilder();
            for (JsonNode block : content) {
                if ("text".equals(block.path("type").asText())) {
                    text.append(block.path("text").asText(""));
                }
            }
            return Answer.text(text.toString(), finishReason(message.path("stop_reason").asText(null)),
                    usage(message.path("usage"), null));
        }
    }

    @Override
    public EventStream stream(ConversationRequest request) throws ProviderException {
        Call call = http.newCall(httpRequest(request, true));
        Response response = errors.execute(call);
        // An error event at the very start (overloaded) then still fails the call before the client sees a byte.
        return SseEventStream.primed(new MessageStream(call, response));
    }

    private Request httpRequest(ConversationRequest request, boolean stream) {
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("model", request.model());
        var config = request.sampling();
        body.put("max_tokens", request.maxOutputTokens() != null ? request.maxOutputTokens() : DEFAULT_MAX_TOKENS);
        StringBuilder system = new StringBuilder(request.systemText());
        ArrayNode messages = Json.mapper().createArrayNode();
        for (Message m : request.messages()) {
            if (m.role() == com.monkeycoder.daemon.conversation.Role.SYSTEM) {
                system.append(system.isEmpty() ? "" : "\n\n").append(m.text());
            } else {
                messages.addObject().put("role", m.role() == com.monkeycoder.daemon.conversation.Role.ASSISTANT ? "assistant" : "user")
                        .put("content", m.text());
            }
        }
        if (!system.isEmpty()) {
            body.put("system", system.toString());
        }
        body.set("messages", messages);
        if (config.temperature() != null) {
            body.put("temperature", config.temperature());
        }
        if (config.topP() != null) {
            body.put("top_p", config.topP());
        }
        if (stream) {
            body.put("stream", true);
        }
        Request.Builder builder = new Request.Builder()
                .url(messagesUrl)
                .post(RequestBody.create(Json.writeBytes(body), JSON))
                .header("anthropic-version", API_VERSION)
                .header("Accept", stream ? "text/event-stream" : "application/json")
                .header("User-Agent", "monkey-coder-gateway");
        if (apiKey != null && !apiKey.isBlank()) {
            builder.header("x-api-key", apiKey);
        }
        return builder.build();
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

        MessageStream(Call call, Response response) {
            super(AnthropicAdapter.this.name, AnthropicAdapter.this.errors, call, response);
        }

        @Override
        protected void handle(SseEvent event) throws ProviderException {
            JsonNode data = json(event);
            String type = data.path("type").asText(event.event());
            switch (type) {
                case "message_start" -> usage = usage(data.path("message").path("usage"), usage);
                case "content_block_delta" -> {
                    JsonNode delta = data.path("delta");
                    // Thinking and tool-input deltas are not part of the answer's text.
                    if ("text_delta".equals(delta.path("type").asText())) {
                        String text = delta.path("text").asText("");
                        if (!text.isEmpty()) {
                            emit(new StreamEvent.TextDelta(text));
                        }
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
                    // ping, content_block_start/stop, and event types Anthropic may add later
                }
            }
        }

        /** Anthropic always closes with message_stop: a connection that ends before it was cut. */
        @Override
        protected boolean complete() {
            return false;
        }
    }
}
