package com.monkeycoder.daemon.dialects.nativeapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.monkeycoder.daemon.conversation.ConversationRequest;
import com.monkeycoder.daemon.conversation.Message;
import com.monkeycoder.daemon.conversation.Part;
import com.monkeycoder.daemon.conversation.PartsJson;
import com.monkeycoder.daemon.conversation.Role;
import com.monkeycoder.daemon.conversation.Sampling;
import com.monkeycoder.daemon.conversation.StreamEvent;
import com.monkeycoder.daemon.conversation.Tool;
import com.monkeycoder.daemon.conversation.ToolChoice;
import com.monkeycoder.daemon.conversation.Passthrough;
import com.monkeycoder.daemon.dialects.Dialect;
import com.monkeycoder.daemon.dialects.ErrorStyle;
import com.monkeycoder.daemon.dialects.Images;
import com.monkeycoder.daemon.dialects.IngressRequest;
import com.monkeycoder.daemon.dialects.ResponseIds;
import com.monkeycoder.daemon.dialects.SamplingRules;
import com.monkeycoder.daemon.dialects.SseSink;
import com.monkeycoder.daemon.dialects.StreamEncoder;
import com.monkeycoder.daemon.dialects.ToolRules;
import com.monkeycoder.daemon.errors.ApiError;
import com.monkeycoder.daemon.history.Conversations;
import com.monkeycoder.daemon.routing.Outcome;
import com.monkeycoder.daemon.routing.StreamStart;
import com.monkeycoder.daemon.tasks.TaskCatalog;
import com.monkeycoder.shared.Json;
import com.monkeycoder.shared.wire.ExecuteRequest;
import com.monkeycoder.shared.wire.ExecuteResponse;
import com.monkeycoder.shared.wire.ModelConfig;
import com.monkeycoder.shared.wire.StreamDelta;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The native task API ({@code POST /v1/execute}): a prompt or messages (each message's content a string or an
 * array of parts), a persona and task type that pick the system prompt and the routing class, tools, and an
 * answer as JSON or as SSE events {@code start}, {@code delta}... (and {@code thinking}...), then {@code done} (the
 * response without its content; tool calls in its {@code parts}) or {@code error}. The shapes are in the README ("The native API").
 */
public final class ExecuteDialect implements Dialect {

    private static final Set<String> TREE_FIELDS = Set.of("messages", "tools", "tool_choice");

    private final TaskCatalog tasks;

    public ExecuteDialect(TaskCatalog tasks) {
        this.tasks = tasks;
    }

    @Override
    public String routeName() {
        return "execute";
    }

    @Override
    public ErrorStyle errorStyle() {
        return ErrorStyle.NATIVE;
    }

    @Override
    public IngressRequest parse(JsonNode body, Headers headers) {
        ObjectNode scalars = ((ObjectNode) body).deepCopy();
        scalars.remove(TREE_FIELDS);
        String sessionId = sessionId(scalars.get("session_id"));
        ExecuteRequest request = bind(scalars);
        List<Message> given = messages(body.get("messages"));
        ModelConfig config = request.modelConfig() == null ? ModelConfig.DEFAULTS : request.modelConfig();
        Sampling sampling = Sampling.of(config.temperature(), config.topP());
        SamplingRules.check(sampling, config.maxTokens(), "model_config.max_tokens", "model_config.temperature",
                "model_config.top_p");
        boolean hasPrompt = request.prompt() != null && !request.prompt().isBlank();
        if (!hasPrompt && given.isEmpty()) {
            throw ApiError.validation("prompt", "must not be empty: send a prompt or messages");
        }
        TaskCatalog.TaskType taskType = request.taskType() == null ? null : tasks.taskType(request.taskType())
                .orElseThrow(() -> ApiError.validation("task_type", "is not a known task type: use one of "
                        + tasks.taskTypes().stream().map(TaskCatalog.TaskType::name).toList()));
        List<Part> system = new ArrayList<>();
        boolean clientSystem = given.stream().anyMatch(m -> m.role() == Role.SYSTEM);
        if (request.persona() != null || taskType != null || !clientSystem) {
            String name = request.persona() == null ? TaskCatalog.DEFAULT_PERSONA : request.persona();
            TaskCatalog.Persona persona = tasks.persona(name).orElseThrow(() -> ApiError.validation("persona",
                    "is not a known persona: use one of " + tasks.personas().stream().map(TaskCatalog.Persona::name).toList()));
            system.add(new Part.Text(tasks.systemPrompt(persona, taskType)));
        }
        List<Message> messages = new ArrayList<>(given);
        if (hasPrompt) {
            messages.add(Message.user(request.prompt()));
        }
        ToolRules.checkTurns(messages, (m, p, f) -> "messages[" + m + "].content[" + p + "]."
                + (f.equals("tool_call_id") ? "call_id" : f));
        List<Tool> tools = tools(body.get("tools"));
        ToolChoice choice = toolChoice(body.get("tool_choice"));
        ToolRules.checkChoice(choice, tools, "tool_choice");
        ConversationRequest conversation = new ConversationRequest(request.model(), system, messages, tools, choice,
                null, null, List.of(), sampling, config.maxTokens(), null, Map.of(), Passthrough.NONE);
        String modelClass = tasks.modelClass(request.persona(), request.taskType());
        return new IngressRequest(conversation, request.model(), request.preferredProviders(), modelClass,
                request.streaming(), request.useCache(), null, sessionId);
    }

    /** The stored conversation the request names, or null; 422 naming {@code session_id} when it is malformed. */
    private static String sessionId(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual() || !Conversations.wellFormed(value.asText())) {
            throw ApiError.validation("session_id", "must be ses_ followed by 8 to 64 letters, digits, _ or -");
        }
        return value.asText();
    }

    private static ExecuteRequest bind(ObjectNode scalars) {
        try {
            return Json.mapper().treeToValue(scalars, ExecuteRequest.class);
        } catch (JsonMappingException e) {
            String path = e.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            throw ApiError.validation(path.isEmpty() ? "body" : path, "has the wrong type");
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest("the request body could not be read: " + e.getOriginalMessage());
        }
    }

    private static List<Message> messages(JsonNode messages) {
        if (messages == null || messages.isNull()) {
            return List.of();
        }
        if (!messages.isArray()) {
            throw ApiError.validation("messages", "must be an array of {role, content}");
        }
        List<Message> out = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            Role role = switch (m.path("role").asText("")) {
                case "system" -> Role.SYSTEM;
                case "user" -> Role.USER;
                case "assistant" -> Role.ASSISTANT;
                default -> throw ApiError.validation("messages[" + i + "].role", "must be one of system, user, assistant");
            };
            JsonNode content = m.get("content");
            if (content == null || content.isNull()) {
                throw ApiError.validation("messages[" + i + "].content", "must not be null");
            }
            if (content.isTextual()) {
                out.add(new Message(role, List.of(new Part.Text(content.asText()))));
                continue;
            }
            List<Part> parts;
            try {
                parts = PartsJson.read(content);
            } catch (PartsJson.Invalid e) {
                throw ApiError.validation("messages[" + i + "].content" + e.field(), e.getMessage());
            }
            check(parts, "messages[" + i + "].content");
            out.add(new Message(role, parts));
        }
        return out;
    }

    /**
     * The checks the other dialects make of their parts (README "Agents, tools, images and thinking"): images of
     * a supported type and size, tool calls with a valid name and arguments that are a JSON object. PartsJson
     * reads the gateway's own stored parts too, so a client's are checked here.
     */
    private static void check(List<Part> parts, String field) {
        for (int j = 0; j < parts.size(); j++) {
            String at = field + "[" + j + "]";
            switch (parts.get(j)) {
                case Part.Image image when image.url() != null -> Images.fromUrl(image.url(), at + ".url");
                case Part.Image image -> {
                    String type = image.mediaType() == null ? "" : image.mediaType().toLowerCase(Locale.ROOT).strip();
                    Images.inline(image.mediaType(), image.data(),
                            at + (com.monkeycoder.daemon.media.ImageRules.MEDIA_TYPES.contains(type) ? ".data" : ".media_type"));
                }
                case Part.ToolCall call -> {
                    ToolRules.checkName(call.name(), at + ".name");
                    ToolRules.checkArguments(call.arguments(), at + ".arguments");
                }
                case Part.ToolResult result -> check(result.content(), at + ".content");
                default -> {
                }
            }
        }
    }

    private static List<Tool> tools(JsonNode tools) {
        if (tools == null || tools.isNull()) {
            return List.of();
        }
        if (!tools.isArray()) {
            throw ApiError.validation("tools", "must be an array of {name, description, parameters}");
        }
        List<Tool> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < tools.size(); i++) {
            JsonNode t = tools.get(i);
            String name = t.path("name").asText(null);
            ToolRules.checkName(name, "tools[" + i + "].name");
            ToolRules.checkSchema(t.get("parameters"), "tools[" + i + "].parameters");
            if (!names.add(name)) {
                throw ApiError.validation("tools[" + i + "].name", "repeats the tool name '" + name + "'");
            }
            out.add(new Tool.Function(name, t.path("description").asText(null), t.get("parameters"), null, false, null));
        }
        return out;
    }

    private static ToolChoice toolChoice(JsonNode choice) {
        if (choice == null || choice.isNull()) {
            return null;
        }
        if (choice.isObject() && choice.hasNonNull("name")) {
            return ToolChoice.named(choice.get("name").asText());
        }
        return switch (choice.asText("")) {
            case "auto" -> ToolChoice.AUTO;
            case "required" -> ToolChoice.REQUIRED;
            case "none" -> ToolChoice.NONE;
            default -> throw ApiError.validation("tool_choice", "must be auto, required, none or {\"name\": ...}");
        };
    }

    private static ExecuteResponse response(IngressRequest request, ResponseIds ids, Outcome o, boolean withContent) {
        boolean onlyText = o.answer().content().stream().allMatch(p -> p instanceof Part.Text);
        return new ExecuteResponse(withContent ? o.content() : null, o.model().provider(), o.model().id(), o.usage(),
                o.cached(), o.attempts(), ids.requestId(), o.finishReason().wire(),
                onlyText ? null : PartsJson.write(o.answer().content()), request.sessionId());
    }

    @Override
    public Object encode(IngressRequest request, Outcome outcome, ResponseIds ids) {
        return response(request, ids, outcome, true);
    }

    @Override
    public StreamEncoder streamEncoder(IngressRequest request, ResponseIds ids, SseSink sink) {
        return new StreamEncoder() {
            @Override
            public void start(StreamStart start) throws IOException {
                sink.event("start", Map.of("request_id", ids.requestId(), "provider", start.model().provider(),
                        "model", start.model().id(), "cached", start.cacheHit() == Boolean.TRUE));
            }

            @Override
            public void event(StreamEvent event) throws IOException {
                switch (event) {
                    case StreamEvent.TextDelta d -> sink.event("delta", new StreamDelta(d.text()));
                    case StreamEvent.ThinkingDelta d -> sink.event("thinking", new StreamDelta(d.text()));
                    default -> {
                        // tool calls are sent whole in done.parts; usage and finish come with done
                    }
                }
            }

            @Override
            public void finish(Outcome outcome) throws IOException {
                sink.event("done", response(request, ids, outcome, false));
            }

            @Override
            public void fail(ApiError error, Object body) throws IOException {
                sink.event("error", body);
            }
        };
    }
}
