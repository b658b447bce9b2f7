package com.monkeycoder.daemon.server;

import com.monkeycoder.daemon.errors.ErrorBodies;
import com.monkeycoder.daemon.errors.ErrorStyle;
import com.monkeycoder.daemon.errors.ApiError;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.monkeycoder.daemon.cache.CacheDirective;
import com.monkeycoder.daemon.cache.CacheRules;
import com.monkeycoder.daemon.providers.CompletionRequest;
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
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /v1/chat/completions}: OpenAI's Chat Completions API, so the official SDKs work with only their
 * base URL changed. Any routed provider answers in OpenAI's JSON and chunk shapes; errors use OpenAI's shape.
 */
final class ChatCompletionsRoute implements ApiHandler {

    private final RouteResolver resolver;
    private final Dispatcher dispatcher;
    private final ErrorBodies errors;
    private final Clock clock;

    ChatCompletionsRoute(RouteResolver resolver, Dispatcher dispatcher, ErrorBodies errors, Clock clock) {
        this.resolver = resolver;
        this.dispatcher = dispatcher;
        this.errors = errors;
        this.clock = clock;
    }

    @Override
    public void handle(HttpCall call) {
        JsonNode body = call.bodyTree();
        String modelName = RequestFields.requiredText(body, "model",
                "must be a model name such as openai/gpt-4.1-mini (GET /v1/models lists them)");
        List<ChatMessage> messages = messages(body.get("messages"));
        ModelConfig config = config(body);
        ExecuteRoute.validate(config);
        boolean stream = RequestFields.flag(body, "stream");
        boolean includeUsage = RequestFields.flag(body.path("stream_options"), "include_usage");

        List<Route> candidates = resolver.candidates(modelName, null, null);
        CompletionRequest request = new CompletionRequest(candidates.getFirst().model().id(), messages, config);
        RequestContext ctx = new RequestContext(call.requestId(), call.caller(), "chat_completions");
        CacheDirective cache = CacheRules.directive(null, call.header("Cache-Control"), "model:" + modelName, request);
        String id = "chatcmpl-" + call.requestId().substring(4);
        long created = clock.instant().getEpochSecond();

        if (!stream) {
            Outcome o = dispatcher.complete(ctx, candidates, request, cache);
            RouteHeader.set(call, o);
            ObjectNode out = base(id, "chat.completion", created, o.model().qualifiedId());
            ObjectNode choice = out.putArray("choices").addObject();
            choice.put("index", 0);
            choice.putObject("message").put("role", "assistant").put("content", o.content()).putNull("refusal");
            choice.putNull("logprobs");
            choice.put("finish_reason", finishReason(o.finishReason()));
            usage(out.putObject("usage"), o);
            call.sendJson(200, out);
            return;
        }

        SseWriter[] sse = new SseWriter[1];
        String[] model = new String[1];
        try {
            Outcome o = dispatcher.stream(ctx, candidates, request, new StreamObserver() {
                @Override
                public void onStart(StreamStart start) throws IOException {
                    model[0] = start.model().qualifiedId();
                    RouteHeader.set(call, start);
                    sse[0] = call.startSse();
                    ObjectNode first = chunk(id, created, model[0], includeUsage);
                    first.withObject("/choices/0/delta").put("role", "assistant").put("content", "");
                    sse[0].data(Json.write(first));
                }

                @Override
                public void onText(String text) throws IOException {
                    ObjectNode next = chunk(id, created, model[0], includeUsage);
                    next.withObject("/choices/0/delta").put("content", text);
                    sse[0].data(Json.write(next));
                }
            }, cache);
            ObjectNode last = chunk(id, created, model[0], includeUsage);
            last.withObject("/choices/0").put("finish_reason", finishReason(o.finishReason()));
            sse[0].data(Json.write(last));
            if (includeUsage) {
                ObjectNode usage = base(id, "chat.completion.chunk", created, model[0]);
                usage.putArray("choices");
                usage(usage.putObject("usage"), o);
                sse[0].data(Json.write(usage));
            }
            sse[0].data("[DONE]");
        } catch (StreamBroken broken) {
            try {
                sse[0].data(Json.write(errors.body(broken.error(), ErrorStyle.OPENAI)));
            } catch (IOException gone) {
                // the client left meanwhile
            }
        } catch (ClientGone | IOException gone) {
            // nothing more to send; the ledger has the row
        }
    }

    /** Other providers' finish reasons in OpenAI's words, which its SDKs know. */
    static String finishReason(String reason) {
        return switch (reason == null ? "stop" : reason) {
            case "end_turn", "stop_sequence" -> "stop";
            case "max_tokens" -> "length";
            case "refusal", "safety" -> "content_filter";
            case "tool_use" -> "tool_calls";
            default -> reason;
        };
    }

    private static ObjectNode base(String id, String object, long created, String model) {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("id", id).put("object", object).put("created", created).put("model", model);
        node.putNull("system_fingerprint");
        return node;
    }

    private static ObjectNode chunk(String id, long created, String model, boolean includeUsage) {
        ObjectNode node = base(id, "chat.completion.chunk", created, model);
        ObjectNode choice = node.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("delta");
        choice.putNull("logprobs");
        choice.putNull("finish_reason");
        if (includeUsage) {
            node.putNull("usage"); // as OpenAI does: null on every chunk but the last
        }
        return node;
    }

    private static void usage(ObjectNode node, Outcome o) {
        node.put("prompt_tokens", o.promptTokens())
                .put("completion_tokens", o.completionTokens())
                .put("total_tokens", o.promptTokens() + o.completionTokens());
        // As OpenAI reports prompt caching: a subset of prompt_tokens.
        node.putObject("prompt_tokens_details").put("cached_tokens", o.tokens().cacheReadTokens());
    }

    private static List<ChatMessage> messages(JsonNode messages) {
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw ApiError.validation("messages", "must be a non-empty array of {role, content}");
        }
        List<ChatMessage> out = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            String role = m.path("role").asText("");
            // "developer" is OpenAI's newer name for the system role.
            if (role.equals("developer")) {
                role = "system";
            }
            if (!ExecuteRoute.ROLES.contains(role)) {
                throw ApiError.validation("messages[" + i + "].role", "must be one of system, developer, user, assistant");
            }
            out.add(new ChatMessage(role, RequestFields.content(m.get("content"), "messages[" + i + "].content")));
        }
        return out;
    }

    private static ModelConfig config(JsonNode body) {
        Integer maxTokens = RequestFields.integer(body, "max_completion_tokens");
        if (maxTokens == null) {
            maxTokens = RequestFields.integer(body, "max_tokens");
        }
        return new ModelConfig(RequestFields.number(body, "temperature"), maxTokens, RequestFields.number(body, "top_p"));
    }

}
