package com.monkeycoder.daemon.providers.openai;

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
 * The OpenAI Chat Completions wire format, spoken by OpenAI itself and by Groq, xAI, Perplexity, Moonshot,
 * OpenRouter and Ollama. One instance per provider, all sharing one OkHttp connection pool.
 */
public final class OpenAiCompatibleAdapter implements ProviderAdapter {

    private static final MediaType JSON = MediaType.get("application/json");

    private final String name;
    private final String baseUrl;
    private final String apiKey;
    private final OkHttpClient http;
    private final UpstreamErrors errors;

    /**
     * @param baseUrl the API root including its version path, e.g. {@code https://api.openai.com/v1}
     * @param apiKey  the operator's key, or null for servers that take none (Ollama)
     */
    public OpenAiCompatibleAdapter(String name, String baseUrl, String apiKey, OkHttpClient http) {
        this.name = name;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
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
        return WireFamily.OPENAI_CHAT;
    }

    @Override
    public Answer complete(ConversationRequest request) throws ProviderException {
        Call call = http.newCall(httpRequest(request, false));
        try (Response response = errors.execute(call)) {
            JsonNode body = errors.readJson(response.body());
            JsonNode choice = body.path("choices").path(0);
            if (choice.isMissingNode()) {
                throw errors.badResponse("no choices in the answer", null);
            }
            String content = choice.path("message").path("content").asText("");
            String finish = choice.path("finish_reason").asText(null);
            return Answer.text(content, finishReason(finish), usage(body.get("usage")));
        }
    }

    @Override
    public EventStream stream(ConversationRequest request) throws ProviderException {
        Call call = http.newCall(httpRequest(request, true));
        Response response = errors.execute(call);
        return new ChunkStream(call, response);
    }

    private Request httpRequest(ConversationRequest request, boolean stream) {
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("model", request.model());
        ArrayNode messages = body.putArray("messages");
        if (!request.system().isEmpty()) {
            messages.addObject().put("role", "system").put("content", request.systemText());
        }
        for (Message m : request.messages()) {
            messages.addObject().put("role", m.role().name().toLowerCase()).put("content", m.text());
        }
        var sampling = request.sampling();
        if (sampling.temperature() != null) {
            body.put("temperature", sampling.temperature());
        }
        if (sampling.topP() != null) {
            body.put("top_p", sampling.topP());
        }
        if (request.maxOutputTokens() != null) {
            // OpenAI deprecated max_tokens (its reasoning models refuse it); the other providers only know max_tokens.
            body.put(name.equals("openai") ? "max_completion_tokens" : "max_tokens", request.maxOutputTokens());
        }
        if (stream) {
            body.put("stream", true);
            // Without this the stream carries no usage, and the ledger would have to guess.
            body.putObject("stream_options").put("include_usage", true);
        }
        Request.Builder builder = new Request.Builder()
                .url(baseUrl + "/chat/completions")
                .post(RequestBody.create(Json.writeBytes(body), JSON))
                .header("Accept", stream ? "text/event-stream" : "application/json")
                .header("User-Agent", "monkey-coder-gateway")
                .header("X-Title", "Monkey Coder");
        if (apiKey != null && !apiKey.isBlank()) {
            builder.header("Authorization", "Bearer " + apiKey);
        }
        return builder.build();
    }

    /**
     * OpenAI's {@code prompt_tokens} includes the tokens served from its prompt cache
     * ({@code prompt_tokens_details.cached_tokens}), which are billed at the cheaper cached-input price.
     */
    static TokenCount usage(JsonNode usage) {
        if (usage == null || usage.isNull() || !usage.has("prompt_tokens")) {
            return null;
        }
        long prompt = usage.path("prompt_tokens").asLong();
        long cached = Math.min(prompt, Math.max(0, usage.path("prompt_tokens_details").path("cached_tokens").asLong(0)));
        return new TokenCount(prompt - cached, usage.path("completion_tokens").asLong(), cached, 0);
    }

    static FinishReason finishReason(String reason) {
        return switch (reason == null ? "stop" : reason) {
            case "length" -> FinishReason.LENGTH;
            case "tool_calls", "function_call" -> FinishReason.TOOL_CALLS;
            case "content_filter" -> FinishReason.CONTENT_FILTER;
            default -> FinishReason.STOP;
        };
    }

    /** Reads {@code chat.completion.chunk} events until {@code data: [DONE]}. */
    private final class ChunkStream extends SseEventStream {
        private boolean finished;

        ChunkStream(Call call, Response response) {
            super(OpenAiCompatibleAdapter.this.name, OpenAiCompatibleAdapter.this.errors, call, response);
        }

        @Override
        protected void handle(SseEvent event) throws ProviderException {
            if (event.data().equals("[DONE]")) {
                end();
                return;
            }
            JsonNode chunk = json(event);
            if (chunk.hasNonNull("error")) {
                throw errors.streamError(chunk.get("error"));
            }
            JsonNode choice = chunk.path("choices").path(0);
            String text = choice.path("delta").path("content").asText("");
            if (!text.isEmpty()) {
                emit(new StreamEvent.TextDelta(text));
            }
            String finish = choice.path("finish_reason").asText(null);
            if (finish != null) {
                finished = true;
                emit(new StreamEvent.Finished(finishReason(finish)));
            }
            TokenCount usage = usage(chunk.get("usage"));
            if (usage != null) {
                emit(new StreamEvent.UsageReported(usage));
            }
        }

        @Override
        protected boolean complete() {
            return finished;
        }
    }
}
