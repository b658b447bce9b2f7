package com.monkeycoder.daemon.server;

import com.monkeycoder.daemon.errors.ErrorBodies;
import com.monkeycoder.daemon.errors.ErrorStyle;
import com.monkeycoder.daemon.errors.ApiError;
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
import com.monkeycoder.daemon.tasks.TaskCatalog;
import com.monkeycoder.shared.wire.ChatMessage;
import com.monkeycoder.shared.wire.ExecuteRequest;
import com.monkeycoder.shared.wire.ExecuteResponse;
import com.monkeycoder.shared.wire.ModelConfig;
import com.monkeycoder.shared.wire.StreamDelta;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /v1/execute}: the native task API. Applies the persona, routes, and answers as JSON or as SSE
 * events {@code start}, {@code delta}..., then {@code done} (the response without its content) or {@code error}.
 */
final class ExecuteRoute implements ApiHandler {

    static final Set<String> ROLES = Set.of("system", "user", "assistant");

    private final RouteResolver resolver;
    private final Dispatcher dispatcher;
    private final TaskCatalog tasks;
    private final ErrorBodies errors;

    ExecuteRoute(RouteResolver resolver, Dispatcher dispatcher, TaskCatalog tasks, ErrorBodies errors) {
        this.resolver = resolver;
        this.dispatcher = dispatcher;
        this.tasks = tasks;
        this.errors = errors;
    }

    @Override
    public void handle(HttpCall call) {
        ExecuteRequest request = call.bodyAs(ExecuteRequest.class);
        List<ChatMessage> messages = messages(request);
        validate(request.modelConfig());
        String modelClass = tasks.modelClass(request.persona(), request.taskType());
        List<Route> candidates = resolver.candidates(request.model(), request.preferredProviders(), modelClass);
        CompletionRequest completion = new CompletionRequest(candidates.getFirst().model().id(), messages,
                request.modelConfig());
        RequestContext ctx = new RequestContext(call.requestId(), call.caller(), "execute");
        CacheDirective cache = CacheRules.directive(request.useCache(), call.header("Cache-Control"),
                request.model() != null ? "model:" + request.model()
                        : "providers:" + request.preferredProviders() + ";class:" + modelClass, completion);
        if (!request.streaming()) {
            Outcome outcome = dispatcher.complete(ctx, candidates, completion, cache);
            RouteHeader.set(call, outcome);
            call.sendJson(200, response(call, outcome, outcome.content()));
            return;
        }
        stream(call, ctx, candidates, completion, cache);
    }

    private void stream(HttpCall call, RequestContext ctx, List<Route> candidates, CompletionRequest completion,
                        CacheDirective cache) {
        SseWriter[] sse = new SseWriter[1];
        try {
            Outcome outcome = dispatcher.stream(ctx, candidates, completion, new StreamObserver() {
                @Override
                public void onStart(StreamStart start) throws IOException {
                    RouteHeader.set(call, start);
                    sse[0] = call.startSse();
                    sse[0].send("start", Map.of("request_id", call.requestId(), "provider", start.model().provider(),
                            "model", start.model().id(), "cached", start.cacheHit() == Boolean.TRUE));
                }

                @Override
                public void onText(String text) throws IOException {
                    sse[0].send("delta", new StreamDelta(text));
                }
            }, cache);
            sse[0].send("done", response(call, outcome, null));
        } catch (StreamBroken broken) {
            sendQuietly(sse[0], "error", errors.body(broken.error(), ErrorStyle.NATIVE));
        } catch (ClientGone | IOException gone) {
            // nothing more to send; the ledger already has the row
        }
    }

    private static void sendQuietly(SseWriter sse, String event, Object data) {
        try {
            sse.send(event, data);
        } catch (IOException gone) {
            // the client left while we were telling it about the failure
        }
    }

    private static ExecuteResponse response(HttpCall call, Outcome o, String content) {
        return new ExecuteResponse(content, o.model().provider(), o.model().id(), o.usage(), o.cached(),
                o.attempts(), call.requestId(), o.finishReason());
    }

    private List<ChatMessage> messages(ExecuteRequest request) {
        List<ChatMessage> given = request.messages() == null ? List.of() : request.messages();
        boolean hasPrompt = request.prompt() != null && !request.prompt().isBlank();
        if (!hasPrompt && given.isEmpty()) {
            throw ApiError.validation("prompt", "must not be empty: send a prompt or messages");
        }
        for (int i = 0; i < given.size(); i++) {
            ChatMessage m = given.get(i);
            if (m == null || m.role() == null || !ROLES.contains(m.role())) {
                throw ApiError.validation("messages[" + i + "].role", "must be one of system, user, assistant");
            }
            if (m.content() == null) {
                throw ApiError.validation("messages[" + i + "].content", "must not be null");
            }
        }
        TaskCatalog.TaskType taskType = request.taskType() == null ? null : tasks.taskType(request.taskType())
                .orElseThrow(() -> ApiError.validation("task_type", "is not a known task type: use one of "
                        + tasks.taskTypes().stream().map(TaskCatalog.TaskType::name).toList()));
        List<ChatMessage> out = new ArrayList<>();
        boolean clientSystem = given.stream().anyMatch(m -> m.role().equals("system"));
        if (request.persona() != null || taskType != null || !clientSystem) {
            String name = request.persona() == null ? TaskCatalog.DEFAULT_PERSONA : request.persona();
            TaskCatalog.Persona persona = tasks.persona(name).orElseThrow(() -> ApiError.validation("persona",
                    "is not a known persona: use one of " + tasks.personas().stream().map(TaskCatalog.Persona::name).toList()));
            out.add(ChatMessage.system(tasks.systemPrompt(persona, taskType)));
        }
        out.addAll(given);
        if (hasPrompt) {
            out.add(ChatMessage.user(request.prompt()));
        }
        return out;
    }

    static void validate(ModelConfig config) {
        if (config == null) {
            return;
        }
        if (config.temperature() != null && (config.temperature() < 0 || config.temperature() > 2)) {
            throw ApiError.validation("model_config.temperature", "must be between 0 and 2");
        }
        if (config.maxTokens() != null && config.maxTokens() < 1) {
            throw ApiError.validation("model_config.max_tokens", "must be at least 1");
        }
        if (config.topP() != null && (config.topP() <= 0 || config.topP() > 1)) {
            throw ApiError.validation("model_config.top_p", "must be greater than 0 and at most 1");
        }
    }
}
