package com.monkeycoder.daemon.server;

import com.monkeycoder.daemon.errors.ErrorBodies;
import com.monkeycoder.daemon.errors.ErrorStyle;
import com.monkeycoder.daemon.errors.ApiError;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.monkeycoder.daemon.cache.CacheDirective;
import com.monkeycoder.daemon.cache.CacheRules;
import com.monkeycoder.daemon.providers.CompletionRequest;
import com.monkeycoder.daemon.providers.TokenCount;
import com.monkeycoder.daemon.routing.ClientGone;
import com.monkeycoder.daemon.routing.Dispatcher;
import com.monkeycoder.daemon.routing.Outcome;
import com.monkeycoder.daemon.routing.RequestContext;
import com.monkeycoder.daemon.routing.Route;
import com.monkeycoder.daemon.routing.RouteResolver;
import com.monkeycoder.daemon.routing.StreamBroken;
import com.monkeycoder.daemon.routing.StreamObserver;
import com.monkeycoder.daemon.routing.StreamStart;
import com.monkeycoder.shared.Json;
import com.monkeycoder.shared.wire.ChatMessage;
import com.monkeycoder.shared.wire.ModelConfig;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /v1/messages}: Anthropic's Messages API, so the Anthropic SDKs work with only their base URL
 * changed. Any routed provider answers in Anthropic's JSON and event shapes; errors use Anthropic's shape.
 */
final class MessagesRoute implements ApiHandler {

    private final RouteResolver resolver;
    private final Dispatcher dispatcher;
    private final ErrorBodies errors;

    MessagesRoute(RouteResolver resolver, Dispatcher dispatcher, ErrorBodies errors) {
        this.resolver = resolver;
        this.dispatcher = dispatcher;
        this.errors = errors;
    }

    @Override
    public void handle(HttpCall call) {
        JsonNode body = call.bodyTree();
        String model = RequestFields.requiredText(body, "model",
                "must be a model name such as anthropic/claude-sonnet-4-5 (GET /v1/models lists them)");
        JsonNode maxTokens = body.get("max_tokens");
        if (maxTokens == null || !maxTokens.canConvertToInt() || !maxTokens.isIntegralNumber() || maxTokens.asInt() < 1) {
            throw ApiError.validation("max_tokens", "is required and must be a whole number of at least 1");
        }
        List<ChatMessage> messages = new ArrayList<>();
        String system = system(body.get("system"));
        if (system != null) {
            messages.add(ChatMessage.system(system));
        }
        messages.addAll(messages(body.get("messages")));
        ModelConfig config = new ModelConfig(RequestFields.number(body, "temperature"), maxTokens.asInt(),
                RequestFields.number(body, "top_p"));
        ExecuteRoute.validate(config);
        boolean stream = RequestFields.flag(body, "stream");

        List<Route> candidates = resolver.candidates(model, null, null);
        CompletionRequest request = new CompletionRequest(candidates.getFirst().model().id(), messages, config);
        RequestContext ctx = new RequestContext(call.requestId(), call.caller(), "messages");
        CacheDirective cache = CacheRules.directive(null, call.header("Cache-Control"), "model:" + model, request);
        String id = "msg_" + call.requestId().substring(4);

        if (!stream) {
            Outcome o = dispatcher.complete(ctx, candidates, request, cache);
            RouteHeader.set(call, o);
            ObjectNode out = Json.mapper().createObjectNode();
            out.put("id", id).put("type", "message").put("role", "assistant").put("model", o.model().qualifiedId());
            out.putArray("content").addObject().put("type", "text").put("text", o.content());
            out.put("stop_reason", stopReason(o.finishReason()));
            out.putNull("stop_sequence");
            usage(out.putObject("usage"), o.tokens());
            call.sendJson(200, out);
            return;
        }

        SseWriter[] sse = new SseWriter[1];
        try {
            Outcome o = dispatcher.stream(ctx, candidates, request, new StreamObserver() {
                @Override
                public void onStart(StreamStart start) throws IOException {
                    String modelName = start.model().qualifiedId();
                    RouteHeader.set(call, start);
                    sse[0] = call.startSse();
                    ObjectNode messageStart = Json.mapper().createObjectNode().put("type", "message_start");
                    ObjectNode message = messageStart.putObject("message");
                    message.put("id", id).put("type", "message").put("role", "assistant").put("model", modelName);
                    message.putArray("content");
                    message.putNull("stop_reason");
                    message.putNull("stop_sequence");
                    // Input tokens are known only at the end for most providers; message_delta carries them.
                    message.putObject("usage").put("input_tokens", 0).put("output_tokens", 0);
                    sse[0].send("message_start", messageStart);
                    ObjectNode blockStart = Json.mapper().createObjectNode().put("type", "content_block_start").put("index", 0);
                    blockStart.putObject("content_block").put("type", "text").put("text", "");
                    sse[0].send("content_block_start", blockStart);
                }

                @Override
                public void onText(String text) throws IOException {
                    ObjectNode delta = Json.mapper().createObjectNode().put("type", "content_block_delta").put("index", 0);
                    delta.putObject("delta").put("type", "text_delta").put("text", text);
                    sse[0].send("content_block_delta", delta);
                }
            }, cache);
            sse[0].send("content_block_stop", Json.mapper().createObjectNode().put("type", "content_block_stop").put("index", 0));
            ObjectNode messageDelta = Json.mapper().createObjectNode().put("type", "message_delta");
            messageDelta.putObject("delta").put("stop_reason", stopReason(o.finishReason())).putNull("stop_sequence");
            usage(messageDelta.putObject("usage"), o.tokens());
            sse[0].send("message_delta", messageDelta);
            sse[0].send("message_stop", Json.mapper().createObjectNode().put("type", "message_stop"));
        } catch (StreamBroken broken) {
            try {
                sse[0].send("error", errors.body(broken.error(), ErrorStyle.ANTHROPIC));
            } catch (IOException gone) {
                // the client left meanwhile
            }
        } catch (ClientGone | IOException gone) {
            // nothing more to send; the ledger has the row
        }
    }

    /** Anthropic counts input apart from cache reads and writes, exactly as {@link TokenCount} does. */
    private static void usage(ObjectNode node, TokenCount tokens) {
        node.put("input_tokens", tokens.promptTokens())
                .put("cache_creation_input_tokens", tokens.cacheWriteTokens())
                .put("cache_read_input_tokens", tokens.cacheReadTokens())
                .put("output_tokens", tokens.completionTokens());
    }

    /** Our finish reasons (OpenAI's words) in Anthropic's. */
    static String stopReason(String finishReason) {
        return switch (finishReason == null ? "stop" : finishReason) {
            case "stop", "end_turn" -> "end_turn";
            case "length", "max_tokens" -> "max_tokens";
            case "content_filter", "refusal" -> "refusal";
            case "tool_calls", "tool_use" -> "tool_use";
            default -> finishReason;
        };
    }

    private static String system(JsonNode system) {
        if (system == null || system.isNull()) {
            return null;
        }
        if (system.isTextual()) {
            return system.asText();
        }
        if (system.isArray()) {
            return RequestFields.textParts(system, "system");
        }
        throw ApiError.validation("system", "must be a string or an array of text blocks");
    }

    private static List<ChatMessage> messages(JsonNode messages) {
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw ApiError.validation("messages", "must be a non-empty array of {role, content}");
        }
        List<ChatMessage> out = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            String role = m.path("role").asText("");
            if (!role.equals("user") && !role.equals("assistant")) {
                throw ApiError.validation("messages[" + i + "].role", "must be user or assistant (put system text in 'system')");
            }
            out.add(new ChatMessage(role, RequestFields.content(m.get("content"), "messages[" + i + "].content")));
        }
        return out;
    }
}
