package com.monkeycoder.daemon.providers.openai;

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
import java.util.Map;


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
            String finish = choice.path("finish_reason").asText(null);
            return new Answer(parts(choice.path("message")), finishReason(finish), usage(body.get("usage")));
        }
    }

    @Override
    public EventStream stream(ConversationRequest request) throws ProviderException {
        Call call = http.newCall(httpRequest(request, true));
        Response response = errors.execute(call);
        return new ChunkStream(call, response);
    }

    /** {@code GET /models}, which every OpenAI-compatible API (Groq, xAI, OpenRouter, Ollama...) answers. */
    @Override
    public boolean checkKey(java.time.Duration timeout) throws ProviderException {
        Request.Builder builder = new Request.Builder().url(baseUrl + "/models").get()
                .header("Accept", "application/json").header("User-Agent", "monkey-coder-gateway");
        if (apiKey != null && !apiKey.isBlank()) {
            builder.header("Authorization", "Bearer " + apiKey);
        }
        errors.check(http, builder.build(), timeout);
        return true;
    }

    /** Passthrough fields of another family (the default), and what Chat Completions cannot carry. */
    @Override
    public List<String> dropped(ConversationRequest request) {
        List<String> dropped = new ArrayList<>(ProviderAdapter.super.dropped(request));
        dropped.addAll(ChatCompletionsBody.dropped(request));
        return dropped;
    }

    private Request httpRequest(ConversationRequest request, boolean stream) {
        ObjectNode body = ChatCompletionsBody.write(request, name, stream);
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
     * A whole answer's message: reasoning first (xAI, Groq, DeepSeek and Moonshot write it as
     * {@code reasoning_content}, OpenRouter and Ollama as {@code reasoning}), then the text, then the tool calls,
     * their arguments kept as the model wrote them.
     */
    static List<Part> parts(JsonNode message) {
        List<Part> parts = new ArrayList<>();
        String reasoning = reasoningText(message);
        if (!reasoning.isEmpty()) {
            parts.add(new Part.Thinking(reasoning, null));
        }
        String content = message.path("content").asText("");
        if (!content.isEmpty()) {
            parts.add(new Part.Text(content));
        }
        for (JsonNode call : message.path("tool_calls")) {
            JsonNode function = call.path("function");
            parts.add(new Part.ToolCall(call.path("id").asText(""), function.path("name").asText(""),
                    function.path("arguments").asText("")));
        }
        return parts;
    }

    /** A message's or a delta's reasoning text, under either name providers use; empty when none. */
    private static String reasoningText(JsonNode node) {
        JsonNode reasoning = node.hasNonNull("reasoning_content") ? node.get("reasoning_content") : node.path("reasoning");
        return reasoning.isTextual() ? reasoning.asText() : "";
    }

    /**
     * OpenAI's {@code prompt_tokens} includes the tokens served from its prompt cache
     * ({@code prompt_tokens_details.cached_tokens}), which are billed at the cheaper cached-input price.
     * {@code completion_tokens} already includes the reasoning tokens, which are reported apart as well.
     */
    static TokenCount usage(JsonNode usage) {
        if (usage == null || usage.isNull() || !usage.has("prompt_tokens")) {
            return null;
        }
        long prompt = usage.path("prompt_tokens").asLong();
        long cached = Math.min(prompt, Math.max(0, usage.path("prompt_tokens_details").path("cached_tokens").asLong(0)));
        long completion = usage.path("completion_tokens").asLong();
        long reasoning = Math.min(completion,
                Math.max(0, usage.path("completion_tokens_details").path("reasoning_tokens").asLong(0)));
        return new TokenCount(prompt - cached, completion, cached, 0, reasoning);
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
        private final ToolCalls toolCalls = new ToolCalls();
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
            delta(choice.path("delta"));
            String finish = choice.path("finish_reason").asText(null);
            if (finish != null) {
                finished = true;
                toolCalls.endAll().forEach(this::emit);
                emit(new StreamEvent.Finished(finishReason(finish)));
            }
            TokenCount usage = usage(chunk.get("usage"));
            if (usage != null) {
                emit(new StreamEvent.UsageReported(usage));
            }
        }

        private void delta(JsonNode delta) throws ProviderException {
            String reasoning = reasoningText(delta);
            if (!reasoning.isEmpty()) {
                emit(new StreamEvent.ThinkingDelta(reasoning));
            }
            String text = delta.path("content").asText("");
            if (!text.isEmpty()) {
                emit(new StreamEvent.TextDelta(text));
            }
            JsonNode calls = delta.path("tool_calls");
            for (int i = 0; i < calls.size(); i++) {
                for (StreamEvent e : toolCalls.accept(calls.get(i), i)) {
                    emit(e);
                }
            }
        }

        @Override
        protected boolean complete() {
            return finished;
        }
    }

    /**
     * Renumbers a stream's tool calls into the canonical order and brackets each with its start and end.
     * OpenAI streams one call after the other (the first piece of a call carries its {@code id} and
     * {@code function.name}, later pieces only {@code index} and argument text), so a call is complete when the
     * next one starts or the answer finishes. A piece for a call never started, or for one already complete,
     * is a malformed stream: its arguments could only be guessed.
     */
    private final class ToolCalls {
        private final Map<Integer, Open> byUpstreamIndex = new HashMap<>();
        private final List<Open> open = new ArrayList<>();
        private int started;

        private record Open(int index, String id) {
        }

        /** The events for one item of {@code delta.tool_calls}; {@code position} stands in for a missing index. */
        List<StreamEvent> accept(JsonNode item, int position) throws ProviderException {
            int upstream = item.path("index").asInt(position);
            String id = item.path("id").asText("");
            String arguments = item.path("function").path("arguments").asText("");
            Open call = byUpstreamIndex.get(upstream);
            List<StreamEvent> events = new ArrayList<>();
            // A new id under a known index is a new call too: some servers (Ollama) send whole calls, all at index 0.
            if (!id.isEmpty() && (call == null || !call.id().equals(id))) {
                String name = item.path("function").path("name").asText("");
                if (name.isEmpty()) {
                    throw errors.badResponse("tool call " + id + " starts without a function name", null);
                }
                events.addAll(endAll());
                call = new Open(started++, id);
                byUpstreamIndex.put(upstream, call);
                open.add(call);
                events.add(new StreamEvent.ToolCallStart(call.index(), id, name));
            } else if (call == null || !open.contains(call)) {
                throw errors.badResponse("arguments for tool call " + upstream + ", which is not open", null);
            }
            if (!arguments.isEmpty()) {
                events.add(new StreamEvent.ToolCallDelta(call.index(), arguments));
            }
            return events;
        }

        /** Ends every open call, in the order they started. */
        List<StreamEvent> endAll() {
            List<StreamEvent> events = new ArrayList<>();
            for (Open call : open) {
                events.add(new StreamEvent.ToolCallEnd(call.index()));
            }
            open.clear();
            return events;
        }
    }
}
