package com.monkeycoder.daemon.providers.gemini;

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
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

import java.util.Locale;
import java.util.Set;

/**
 * Google's Gemini API ({@code models/{model}:generateContent} and {@code :streamGenerateContent?alt=sse}), spoken
 * natively so that the gateway sees Gemini's safety blocks as such and gets its cached and thinking token counts.
 * The key travels in the {@code x-goog-api-key} header, never in the URL, so it cannot leak into access logs.
 */
public final class GeminiAdapter implements ProviderAdapter {

    /** Finish reasons meaning a filter stopped the answer rather than the model. */
    private static final Set<String> BLOCKED = Set.of(
            "SAFETY", "RECITATION", "PROHIBITED_CONTENT", "BLOCKLIST", "SPII", "IMAGE_SAFETY");
    private static final MediaType JSON = MediaType.get("application/json");

    private final String name;
    private final HttpUrl apiRoot;
    private final String apiKey;
    private final OkHttpClient http;
    private final UpstreamErrors errors;

    /**
     * @param baseUrl the API host, e.g. {@code https://generativelanguage.googleapis.com} (a trailing
     *                {@code /v1beta} is tolerated)
     * @param apiKey  the operator's key, sent as {@code x-goog-api-key}
     */
    public GeminiAdapter(String name, String baseUrl, String apiKey, OkHttpClient http) {
        this.name = name;
        String root = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        if (root.endsWith("/v1beta")) {
            root = root.substring(0, root.length() - "/v1beta".length());
        }
        this.apiRoot = HttpUrl.get(root);
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
        return WireFamily.GEMINI;
    }

    @Override
    public Answer complete(ConversationRequest request) throws ProviderException {
        Call call = http.newCall(httpRequest(request, false));
        try (Response response = errors.execute(call)) {
            JsonNode body = errors.readJson(response.body());
            JsonNode candidate = body.path("candidates").path(0);
            if (candidate.isMissingNode()) {
                String blockReason = body.path("promptFeedback").path("blockReason").asText(null);
                if (blockReason != null) {
                    throw errors.contentBlocked("prompt", blockReason);
                }
                throw errors.badResponse("no candidates in the answer", null);
            }
            String text = text(candidate);
            String finish = candidate.path("finishReason").asText(null);
            if (text.isEmpty() && BLOCKED.contains(finish)) {
                throw errors.contentBlocked("answer", finish);
            }
            return Answer.text(text, finishReason(finish), usage(body.get("usageMetadata")));
        }
    }

    @Override
    public EventStream stream(ConversationRequest request) throws ProviderException {
        Call call = http.newCall(httpRequest(request, true));
        Response response = errors.execute(call);
        // A blocked prompt is the first chunk of a 200: reading it here still fails the call cleanly.
        return SseEventStream.primed(new ChunkStream(call, response));
    }

    private Request httpRequest(ConversationRequest request, boolean stream) {
        ObjectNode body = Json.mapper().createObjectNode();
        StringBuilder system = new StringBuilder(request.systemText());
        ArrayNode contents = body.putArray("contents");
        for (Message m : request.messages()) {
            if (m.role() == com.monkeycoder.daemon.conversation.Role.SYSTEM) {
                system.append(system.isEmpty() ? "" : "\n\n").append(m.text());
            } else {
                ObjectNode content = contents.addObject();
                content.put("role", m.role() == com.monkeycoder.daemon.conversation.Role.ASSISTANT ? "model" : "user");
                content.putArray("parts").addObject().put("text", m.text());
            }
        }
        if (!system.isEmpty()) {
            body.putObject("systemInstruction").putArray("parts").addObject().put("text", system.toString());
        }
        var config = request.sampling();
        ObjectNode generation = Json.mapper().createObjectNode();
        if (config.temperature() != null) {
            generation.put("temperature", config.temperature());
        }
        if (config.topP() != null) {
            generation.put("topP", config.topP());
        }
        if (request.maxOutputTokens() != null) {
            generation.put("maxOutputTokens", request.maxOutputTokens());
        }
        if (!generation.isEmpty()) {
            body.set("generationConfig", generation);
        }
        String model = request.model().startsWith("models/") ? request.model().substring(7) : request.model();
        HttpUrl.Builder url = apiRoot.newBuilder()
                .addPathSegment("v1beta")
                .addPathSegment("models")
                .addPathSegment(model + (stream ? ":streamGenerateContent" : ":generateContent"));
        if (stream) {
            url.addQueryParameter("alt", "sse");
        }
        Request.Builder builder = new Request.Builder()
                .url(url.build())
                .post(RequestBody.create(Json.writeBytes(body), JSON))
                .header("Accept", stream ? "text/event-stream" : "application/json")
                .header("User-Agent", "monkey-coder-gateway");
        if (apiKey != null && !apiKey.isBlank()) {
            builder.header("x-goog-api-key", apiKey);
        }
        return builder.build();
    }

    /** The answer's text in a candidate: its parts' text, leaving out thought summaries. */
    static String text(JsonNode candidate) {
        StringBuilder text = new StringBuilder();
        for (JsonNode part : candidate.path("content").path("parts")) {
            if (!part.path("thought").asBoolean(false)) {
                text.append(part.path("text").asText(""));
            }
        }
        return text.toString();
    }

    /** Gemini's finish reasons in the gateway's words. */
    static FinishReason finishReason(String finishReason) {
        if (finishReason == null) {
            return null;
        }
        if (BLOCKED.contains(finishReason)) {
            return FinishReason.CONTENT_FILTER;
        }
        return switch (finishReason) {
            case "MAX_TOKENS" -> FinishReason.LENGTH;
            case "MALFORMED_FUNCTION_CALL", "OTHER" -> FinishReason.ERROR;
            default -> FinishReason.STOP;
        };
    }

    /**
     * Token counts from {@code usageMetadata}. Gemini's {@code promptTokenCount} includes the cached tokens, so
     * they are taken out of it; thinking tokens are billed as output, so they join the completion.
     */
    static TokenCount usage(JsonNode usage) {
        if (usage == null || !usage.has("promptTokenCount")) {
            return null;
        }
        long prompt = count(usage, "promptTokenCount") + count(usage, "toolUsePromptTokenCount");
        long cached = Math.min(count(usage, "cachedContentTokenCount"), prompt);
        long completion = count(usage, "candidatesTokenCount") + count(usage, "thoughtsTokenCount");
        return new TokenCount(prompt - cached, completion, cached, 0);
    }

    private static long count(JsonNode usage, String field) {
        return Math.max(0, usage.path(field).asLong(0));
    }

    /**
     * Reads {@code alt=sse} chunks, each a whole {@code GenerateContentResponse}. There is no end marker: the stream
     * ends after the chunk with a {@code finishReason}, and the last chunks carry the final {@code usageMetadata}.
     */
    private final class ChunkStream extends SseEventStream {
        private TokenCount usage;
        private boolean sawText;
        private boolean finished;

        ChunkStream(Call call, Response response) {
            super(GeminiAdapter.this.name, GeminiAdapter.this.errors, call, response);
        }

        @Override
        protected void handle(SseEvent event) throws ProviderException {
            JsonNode chunk = json(event);
            if (chunk.hasNonNull("error")) {
                throw errors.streamError(chunk.get("error"));
            }
            JsonNode candidate = chunk.path("candidates").path(0);
            if (candidate.isMissingNode()) {
                String blockReason = chunk.path("promptFeedback").path("blockReason").asText(null);
                if (blockReason != null) {
                    throw errors.contentBlocked("prompt", blockReason);
                }
            }
            String text = text(candidate);
            if (!text.isEmpty()) {
                sawText = true;
                emit(new StreamEvent.TextDelta(text));
            }
            TokenCount reported = usage(chunk.get("usageMetadata"));
            if (reported != null) {
                usage = reported;
            }
            String finish = candidate.path("finishReason").asText(null);
            if (finish != null && !finished) {
                if (!sawText && BLOCKED.contains(finish)) {
                    throw errors.contentBlocked("answer", finish);
                }
                finished = true;
                emit(new StreamEvent.Finished(finishReason(finish)));
                if (usage != null) {
                    emit(new StreamEvent.UsageReported(usage));
                }
            } else if (finished && reported != null) {
                emit(new StreamEvent.UsageReported(reported));
            }
        }

        /** Gemini has no end marker: the stream is whole once a finish reason came. */
        @Override
        protected boolean complete() {
            return finished;
        }
    }
}
