package com.monkeycoder.daemon.providers.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.monkeycoder.daemon.conversation.Answer;
import com.monkeycoder.daemon.conversation.AnswerBuilder;
import com.monkeycoder.daemon.conversation.ConversationRequest;
import com.monkeycoder.daemon.conversation.FinishReason;
import com.monkeycoder.daemon.conversation.Message;
import com.monkeycoder.daemon.conversation.Part;
import com.monkeycoder.daemon.conversation.WireFamily;
import com.monkeycoder.daemon.media.ImageFetcher;
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

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Google's Gemini API ({@code models/{model}:generateContent} and {@code :streamGenerateContent?alt=sse}), spoken
 * natively so that the gateway sees Gemini's safety blocks as such and gets its cached and thinking token counts.
 * The key travels in the {@code x-goog-api-key} header, never in the URL, so it cannot leak into access logs.
 * Gemini takes images inline only (its {@code fileData} does not fetch arbitrary URLs), so an image given by URL is
 * fetched by the gateway's {@link ImageFetcher} before anything is sent; when it may not or cannot be fetched, the
 * call fails with the fetcher's 422 and Gemini is not asked.
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
    private final Supplier<String> callIds;
    private final ImageFetcher images;

    /** With its own production {@link ImageFetcher}. */
    public GeminiAdapter(String name, String baseUrl, String apiKey, OkHttpClient http) {
        this(name, baseUrl, apiKey, http, new ImageFetcher(http));
    }

    /**
     * @param baseUrl the API host, e.g. {@code https://generativelanguage.googleapis.com} (a trailing
     *                {@code /v1beta} is tolerated)
     * @param apiKey  the operator's key, sent as {@code x-goog-api-key}
     * @param images  fetches the images given by URL, which Gemini cannot take
     */
    public GeminiAdapter(String name, String baseUrl, String apiKey, OkHttpClient http, ImageFetcher images) {
        this(name, baseUrl, apiKey, http, images, GeminiAdapter::randomCallId);
    }

    /** @param callIds ids for the tool calls Gemini sends without one (tests pass a counter) */
    GeminiAdapter(String name, String baseUrl, String apiKey, OkHttpClient http, ImageFetcher images,
                  Supplier<String> callIds) {
        this.name = name;
        this.callIds = callIds;
        this.images = images;
        String root = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        if (root.endsWith("/v1beta")) {
            root = root.substring(0, root.length() - "/v1beta".length());
        }
        this.apiRoot = HttpUrl.get(root);
        this.apiKey = apiKey;
        this.http = http;
        this.errors = new UpstreamErrors(name, apiKey);
    }

    /** {@code GET /v1beta/models}: Gemini's model list, with the key in its header as a request sends it. */
    @Override
    public boolean checkKey(java.time.Duration timeout) throws ProviderException {
        Request.Builder builder = new Request.Builder()
                .url(apiRoot.newBuilder().addPathSegment("v1beta").addPathSegment("models").build()).get()
                .header("User-Agent", "monkey-coder-gateway");
        if (apiKey != null && !apiKey.isBlank()) {
            builder.header("x-goog-api-key", apiKey);
        }
        errors.check(http, builder.build(), timeout);
        return true;
    }

    /** Unique in any conversation, since a tool result finds its call by id. */
    private static String randomCallId() {
        return "call_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
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
    public List<String> dropped(ConversationRequest request) {
        List<String> names = new ArrayList<>(ProviderAdapter.super.dropped(request));
        names.addAll(GeminiRequest.of(request).dropped());
        return names;
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
            // The whole answer is read as one chunk of a stream, so both ways give the very same parts.
            PartReader reader = new PartReader();
            AnswerBuilder answer = new AnswerBuilder();
            try {
                for (StreamEvent e : reader.read(candidate)) {
                    answer.accept(e);
                }
            } catch (AnswerBuilder.OutOfOrder e) {
                throw errors.badResponse(e.getMessage(), null);
            }
            String finish = candidate.path("finishReason").asText(null);
            if (!answer.started() && BLOCKED.contains(finish)) {
                throw errors.contentBlocked("answer", finish);
            }
            Answer parts = answer.build();
            return new Answer(parts.content(), reader.finishReason(finish), usage(body.get("usageMetadata")));
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
        ObjectNode body = GeminiRequest.of(withInlineImages(request)).body();
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

    /**
     * The request with every image of its turns that came by URL fetched and inline. Images inside tool results are
     * left alone: Gemini's functionResponse cannot carry them and they are dropped (and named) anyway. This runs
     * for each attempt, so a failover to another Gemini model asks again; the fetcher keeps what it fetched for a
     * minute, so the image itself is fetched once per request.
     */
    private ConversationRequest withInlineImages(ConversationRequest request) {
        boolean any = request.messages().stream().flatMap(m -> m.parts().stream())
                .anyMatch(p -> p instanceof Part.Image i && !i.inline());
        if (!any) {
            return request;
        }
        List<Message> messages = new ArrayList<>();
        for (Message m : request.messages()) {
            List<Part> parts = new ArrayList<>();
            for (Part p : m.parts()) {
                if (p instanceof Part.Image i && !i.inline()) {
                    Part.Image fetched = images.fetch(i.url());
                    parts.add(new Part.Image(fetched.mediaType(), fetched.data(), null, i.cacheControl()));
                } else {
                    parts.add(p);
                }
            }
            messages.add(new Message(m.role(), parts));
        }
        return request.withMessages(messages);
    }

    /**
     * Turns a candidate's parts into canonical events, chunk after chunk of one answer: thought text is thinking,
     * a {@code thoughtSignature} (on whichever part Gemini put it) closes the thinking before that part, and each
     * {@code functionCall}, which Gemini sends whole, is a complete tool call numbered in arrival order.
     */
    private final class PartReader {
        private int calls;

        List<StreamEvent> read(JsonNode candidate) {
            List<StreamEvent> events = new ArrayList<>();
            for (JsonNode part : candidate.path("content").path("parts")) {
                String signature = part.path("thoughtSignature").asText(null);
                if (part.path("thought").asBoolean(false)) {
                    addIfText(events, part, true);
                    addIfSet(events, signature);
                } else if (part.has("functionCall")) {
                    addIfSet(events, signature);
                    addCall(events, part.get("functionCall"));
                } else {
                    addIfSet(events, signature);
                    addIfText(events, part, false);
                }
            }
            return events;
        }

        private static void addIfText(List<StreamEvent> events, JsonNode part, boolean thought) {
            String text = part.path("text").asText("");
            if (!text.isEmpty()) {
                events.add(thought ? new StreamEvent.ThinkingDelta(text) : new StreamEvent.TextDelta(text));
            }
        }

        private static void addIfSet(List<StreamEvent> events, String signature) {
            if (signature != null && !signature.isEmpty()) {
                events.add(new StreamEvent.ThinkingSignature(signature));
            }
        }

        private void addCall(List<StreamEvent> events, JsonNode call) {
            int index = calls++;
            // Gemini names calls by function only; newer API versions add an id, which is kept when it comes.
            String id = call.hasNonNull("id") ? call.get("id").asText() : callIds.get();
            JsonNode args = call.path("args");
            events.add(new StreamEvent.ToolCallStart(index, id, call.path("name").asText()));
            events.add(new StreamEvent.ToolCallDelta(index, args.isObject() ? Json.write(args) : "{}"));
            events.add(new StreamEvent.ToolCallEnd(index));
        }

        /** Gemini says STOP when it calls functions; the gateway says the answer waits for tools. */
        FinishReason finishReason(String finish) {
            FinishReason reason = GeminiAdapter.finishReason(finish);
            return calls > 0 && reason == FinishReason.STOP ? FinishReason.TOOL_CALLS : reason;
        }
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
        long thoughts = count(usage, "thoughtsTokenCount");
        long completion = count(usage, "candidatesTokenCount") + thoughts;
        return new TokenCount(prompt - cached, completion, cached, 0, thoughts);
    }

    private static long count(JsonNode usage, String field) {
        return Math.max(0, usage.path(field).asLong(0));
    }

    /**
     * Reads {@code alt=sse} chunks, each a whole {@code GenerateContentResponse}. There is no end marker: the stream
     * ends after the chunk with a {@code finishReason}, and the last chunks carry the final {@code usageMetadata}.
     */
    private final class ChunkStream extends SseEventStream {
        private final PartReader parts = new PartReader();
        private TokenCount usage;
        private boolean sawAnswer;
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
            for (StreamEvent e : parts.read(candidate)) {
                sawAnswer = true;
                emit(e);
            }
            TokenCount reported = usage(chunk.get("usageMetadata"));
            if (reported != null) {
                usage = reported;
            }
            String finish = candidate.path("finishReason").asText(null);
            if (finish != null && !finished) {
                if (!sawAnswer && BLOCKED.contains(finish)) {
                    throw errors.contentBlocked("answer", finish);
                }
                finished = true;
                emit(new StreamEvent.Finished(parts.finishReason(finish)));
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
