package com.monkeycoder.daemon.dialects.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.monkeycoder.daemon.dialects.JsonText;
import com.monkeycoder.daemon.conversation.ConversationRequest;
import com.monkeycoder.daemon.conversation.FinishReason;
import com.monkeycoder.daemon.conversation.Message;
import com.monkeycoder.daemon.conversation.Part;
import com.monkeycoder.daemon.conversation.Passthrough;
import com.monkeycoder.daemon.conversation.Reasoning;
import com.monkeycoder.daemon.conversation.ResponseFormat;
import com.monkeycoder.daemon.conversation.Role;
import com.monkeycoder.daemon.conversation.Sampling;
import com.monkeycoder.daemon.conversation.StreamEvent;
import com.monkeycoder.daemon.conversation.Tool;
import com.monkeycoder.daemon.conversation.ToolChoice;
import com.monkeycoder.daemon.conversation.WireFamily;
import com.monkeycoder.daemon.dialects.Dialect;
import com.monkeycoder.daemon.dialects.ErrorStyle;
import com.monkeycoder.daemon.dialects.Images;
import com.monkeycoder.daemon.dialects.IngressRequest;
import com.monkeycoder.daemon.dialects.JsonFields;
import com.monkeycoder.daemon.dialects.ResponseIds;
import com.monkeycoder.daemon.dialects.SamplingRules;
import com.monkeycoder.daemon.dialects.SseSink;
import com.monkeycoder.daemon.dialects.StreamEncoder;
import com.monkeycoder.daemon.dialects.ToolRules;
import com.monkeycoder.daemon.dialects.UnknownFields;
import com.monkeycoder.daemon.errors.ApiError;
import com.monkeycoder.daemon.routing.Outcome;
import com.monkeycoder.daemon.routing.StreamStart;
import com.monkeycoder.shared.Json;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * OpenAI's Chat Completions ({@code POST /v1/chat/completions}): tools and tool turns, images, JSON output,
 * stop sequences and sampling, and streamed {@code tool_calls} deltas exactly as OpenAI sends them. Fields the
 * gateway does not model ({@code logprobs}, {@code logit_bias}, ...) go to an OpenAI-format provider as they came,
 * and are named in {@code X-Monkey-Dropped} when another provider answers.
 */
public final class ChatCompletionsDialect implements Dialect {

    /** Fields this codec reads; the rest of a body is passed through. */
    private static final Set<String> KNOWN = Set.of("model", "messages", "tools", "tool_choice", "parallel_tool_calls",
            "response_format", "stop", "seed", "presence_penalty", "frequency_penalty", "temperature", "top_p", "n",
            "max_tokens", "max_completion_tokens", "reasoning_effort", "user", "metadata", "stream", "stream_options");

    /**
     * Fields an OpenAI-format provider gets as they came; others (service_tier, audio, web_search_options,
     * modalities...) change the price or reach outside the conversation, and are withheld and named.
     */
    private static final Set<String> FORWARDED = Set.of("logprobs", "top_logprobs", "logit_bias", "prediction",
            "verbosity", "prompt_cache_key", "safety_identifier");

    /** What encoding needs to remember of the request. */
    record Options(boolean includeUsage, Set<String> freeformTools) {
    }

    @Override
    public String routeName() {
        return "chat_completions";
    }

    @Override
    public ErrorStyle errorStyle() {
        return ErrorStyle.OPENAI;
    }

    @Override
    public IngressRequest parse(JsonNode body, Headers headers) {
        String model = JsonFields.requiredText(body, "model",
                "must be a model name such as openai/gpt-4.1-mini (GET /v1/models lists them)");
        List<Part> system = new ArrayList<>();
        List<List<String>> origins = new ArrayList<>();
        List<Message> messages = messages(body.get("messages"), system, origins);
        List<Tool> tools = tools(body.get("tools"));
        Set<String> freeform = new HashSet<>();
        for (Tool t : tools) {
            if (t instanceof Tool.Function f && f.freeform()) {
                freeform.add(f.name());
            }
        }
        ToolChoice choice = toolChoice(body.get("tool_choice"));
        ToolRules.checkChoice(choice, tools, "tool_choice");
        ToolRules.checkTurns(messages, (m, p, f) -> origins.get(m).get(p) + "." + f);
        Integer n = JsonFields.integer(body, "n");
        if (n != null && n != 1) {
            throw ApiError.validation("n", "must be 1: the gateway returns one choice per request");
        }
        Integer max = JsonFields.integer(body, "max_completion_tokens");
        String maxField = "max_completion_tokens";
        if (max == null) {
            max = JsonFields.integer(body, "max_tokens");
            maxField = "max_tokens";
        }
        Sampling sampling = new Sampling(JsonFields.number(body, "temperature"), JsonFields.number(body, "top_p"), null,
                body.hasNonNull("seed") ? JsonFields.integer(body, "seed").longValue() : null,
                JsonFields.number(body, "presence_penalty"), JsonFields.number(body, "frequency_penalty"));
        SamplingRules.check(sampling, max, maxField, "temperature", "top_p");
        String effort = JsonFields.text(body, "reasoning_effort", "reasoning_effort");
        Map<String, String> metadata = new LinkedHashMap<>();
        JsonNode meta = body.get("metadata");
        if (meta != null && meta.isObject()) {
            meta.fields().forEachRemaining(e -> metadata.put(e.getKey(), e.getValue().asText()));
        }
        String user = JsonFields.text(body, "user", "user");
        if (user != null) {
            metadata.put("user", user);
        }
        Boolean parallel = body.hasNonNull("parallel_tool_calls") ? JsonFields.flag(body, "parallel_tool_calls") : null;
        ConversationRequest conversation = new ConversationRequest(model, system, messages, tools, choice, parallel,
                responseFormat(body.get("response_format")), JsonFields.strings(body, "stop"), sampling, max,
                effort == null ? null : Reasoning.effort(effort), metadata,
                UnknownFields.passthrough(WireFamily.OPENAI_CHAT, body, KNOWN, FORWARDED, Map.of(), List.of()));
        boolean stream = JsonFields.flag(body, "stream");
        boolean includeUsage = JsonFields.flag(body.path("stream_options"), "include_usage");
        return new IngressRequest(conversation, model, List.of(), null, stream, null,
                new Options(includeUsage, freeform));
    }


    /**
     * The messages in canonical form; {@code origins} gets, for each part of each canonical message, where it came
     * from in the body ({@code messages[4]}, {@code messages[2].tool_calls[1]}): leading system messages leave the
     * list and tool messages fold into one turn, so canonical indices are not the client's.
     */
    private static List<Message> messages(JsonNode messages, List<Part> system, List<List<String>> origins) {
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw ApiError.validation("messages", "must be a non-empty array of {role, content}");
        }
        List<Message> out = new ArrayList<>();
        List<Part> toolResults = null;
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            String at = "messages[" + i + "]";
            String role = m.path("role").asText("");
            if (!role.equals("tool") && toolResults != null) {
                out.add(new Message(Role.USER, toolResults));
                toolResults = null;
            }
            switch (role) {
                case "system", "developer" -> {
                    List<Part> parts = textParts(m.get("content"), at + ".content");
                    if (out.isEmpty()) {
                        system.addAll(parts);
                    } else {
                        out.add(new Message(Role.SYSTEM, parts));
                        origins.add(java.util.Collections.nCopies(parts.size(), at));
                    }
                }
                case "user" -> {
                    Message user = new Message(Role.USER, userParts(m.get("content"), at + ".content"));
                    out.add(user);
                    origins.add(java.util.Collections.nCopies(user.parts().size(), at));
                }
                case "assistant" -> {
                    Message assistant = assistant(m, at);
                    out.add(assistant);
                    int calls = m.path("tool_calls").size();
                    int texts = assistant.parts().size() - calls;
                    List<String> from = new ArrayList<>(java.util.Collections.nCopies(texts, at));
                    for (int j = 0; j < calls; j++) {
                        from.add(at + ".tool_calls[" + j + "]");
                    }
                    origins.add(from);
                }
                case "tool" -> {
                    String id = m.path("tool_call_id").asText("");
                    if (!m.path("tool_call_id").isTextual() || id.isBlank()) {
                        throw ApiError.validation(at + ".tool_call_id", "must name the tool call it answers");
                    }
                    if (toolResults == null) {
                        toolResults = new ArrayList<>();
                        origins.add(new ArrayList<>());
                    }
                    toolResults.add(new Part.ToolResult(id, userParts(m.get("content"), at + ".content"), false, null));
                    origins.getLast().add(at);
                }
                default -> throw ApiError.validation(at + ".role",
                        "must be one of system, developer, user, assistant, tool");
            }
        }
        if (toolResults != null) {
            out.add(new Message(Role.USER, toolResults));
        }
        return out;
    }

    private static Message assistant(JsonNode m, String at) {
        List<Part> parts = new ArrayList<>();
        JsonNode content = m.get("content");
        if (content != null && !content.isNull()) {
            parts.addAll(textParts(content, at + ".content"));
        }
        JsonNode calls = m.get("tool_calls");
        if (calls != null && !calls.isNull()) {
            if (!calls.isArray()) {
                throw ApiError.validation(at + ".tool_calls", "must be an array");
            }
            for (int j = 0; j < calls.size(); j++) {
                JsonNode c = calls.get(j);
                String field = at + ".tool_calls[" + j + "]";
                String type = c.path("type").asText("function");
                if (type.equals("custom")) {
                    String input = c.path("custom").path("input").asText("");
                    ObjectNode wrapped = Json.mapper().createObjectNode().put("input", input);
                    parts.add(new Part.ToolCall(c.path("id").asText(null), c.path("custom").path("name").asText(),
                            Json.write(wrapped)));
                    continue;
                }
                JsonNode fn = c.path("function");
                String name = fn.path("name").asText(null);
                ToolRules.checkName(name, field + ".function.name");
                String args = fn.path("arguments").isTextual() ? fn.path("arguments").asText() : "{}";
                ToolRules.checkArguments(args, field + ".function.arguments");
                parts.add(new Part.ToolCall(c.path("id").asText(null), name, args));
            }
        }
        return new Message(Role.ASSISTANT, parts);
    }

    private static List<Part> textParts(JsonNode content, String field) {
        if (content == null || content.isNull()) {
            throw ApiError.validation(field, "must not be null");
        }
        if (content.isTextual()) {
            return List.of(new Part.Text(content.asText()));
        }
        if (!content.isArray()) {
            throw ApiError.validation(field, "must be a string or an array of content parts");
        }
        List<Part> parts = new ArrayList<>();
        for (int i = 0; i < content.size(); i++) {
            JsonNode p = content.get(i);
            String type = p.path("type").asText("");
            if (type.equals("text") || type.equals("refusal")) {
                parts.add(new Part.Text(p.path(type.equals("text") ? "text" : "refusal").asText("")));
            } else {
                throw ApiError.validation(field + "[" + i + "].type", "must be text here (got '" + type + "')");
            }
        }
        return parts;
    }

    private static List<Part> userParts(JsonNode content, String field) {
        if (content == null || content.isNull()) {
            throw ApiError.validation(field, "must not be null");
        }
        if (content.isTextual()) {
            return List.of(new Part.Text(content.asText()));
        }
        if (!content.isArray()) {
            throw ApiError.validation(field, "must be a string or an array of content parts");
        }
        List<Part> parts = new ArrayList<>();
        for (int i = 0; i < content.size(); i++) {
            JsonNode p = content.get(i);
            String type = p.path("type").asText("");
            String at = field + "[" + i + "]";
            switch (type) {
                case "text" -> parts.add(new Part.Text(p.path("text").asText("")));
                case "image_url" -> {
                    JsonNode url = p.path("image_url");
                    parts.add(Images.fromUrl(url.isTextual() ? url.asText() : url.path("url").asText(null),
                            at + ".image_url.url"));
                }
                default -> throw ApiError.validation(at + ".type", "'" + type
                        + "' is not supported by this gateway; use text or image_url parts");
            }
        }
        return parts;
    }

    private static List<Tool> tools(JsonNode tools) {
        if (tools == null || tools.isNull()) {
            return List.of();
        }
        if (!tools.isArray()) {
            throw ApiError.validation("tools", "must be an array");
        }
        List<Tool> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < tools.size(); i++) {
            JsonNode t = tools.get(i);
            String at = "tools[" + i + "]";
            String type = t.path("type").asText("");
            Tool tool;
            if (type.equals("function")) {
                JsonNode fn = t.path("function");
                String name = fn.path("name").asText(null);
                ToolRules.checkName(name, at + ".function.name");
                ToolRules.checkSchema(fn.get("parameters"), at + ".function.parameters");
                tool = new Tool.Function(name, fn.path("description").asText(null), fn.get("parameters"),
                        fn.hasNonNull("strict") ? fn.get("strict").asBoolean() : null, false, null);
            } else if (type.equals("custom")) {
                JsonNode custom = t.path("custom");
                String name = custom.path("name").asText(null);
                ToolRules.checkName(name, at + ".custom.name");
                tool = new Tool.Function(name, custom.path("description").asText(null), null, null, true, null);
            } else if (!type.isEmpty()) {
                tool = new Tool.Hosted(type, type, WireFamily.OPENAI_CHAT, (ObjectNode) t, false);
            } else {
                throw ApiError.validation(at + ".type", "must be function or custom");
            }
            if (!names.add(tool.name())) {
                throw ApiError.validation(at, "repeats the tool name '" + tool.name() + "'");
            }
            out.add(tool);
        }
        return out;
    }

    private static ToolChoice toolChoice(JsonNode choice) {
        if (choice == null || choice.isNull()) {
            return null;
        }
        if (choice.isTextual()) {
            return switch (choice.asText()) {
                case "auto" -> ToolChoice.AUTO;
                case "none" -> ToolChoice.NONE;
                case "required" -> ToolChoice.REQUIRED;
                default -> throw ApiError.validation("tool_choice", "must be auto, none, required or a named function");
            };
        }
        String name = choice.path("function").path("name").asText(choice.path("custom").path("name").asText(null));
        if (name == null) {
            throw ApiError.validation("tool_choice.function.name", "must name a tool");
        }
        return ToolChoice.named(name);
    }

    private static ResponseFormat responseFormat(JsonNode format) {
        if (format == null || format.isNull()) {
            return null;
        }
        return switch (format.path("type").asText("")) {
            case "text" -> new ResponseFormat(ResponseFormat.Kind.TEXT, null, null, null);
            case "json_object" -> new ResponseFormat(ResponseFormat.Kind.JSON_OBJECT, null, null, null);
            case "json_schema" -> {
                JsonNode s = format.path("json_schema");
                ToolRules.checkSchema(s.get("schema"), "response_format.json_schema.schema");
                yield new ResponseFormat(ResponseFormat.Kind.JSON_SCHEMA, s.path("name").asText("response"),
                        s.get("schema"), s.hasNonNull("strict") ? s.get("strict").asBoolean() : null);
            }
            default -> throw ApiError.validation("response_format.type", "must be text, json_object or json_schema");
        };
    }

    // ---- answers ----

    static String finishReason(FinishReason reason) {
        return switch (reason) {
            case LENGTH -> "length";
            case TOOL_CALLS -> "tool_calls";
            case CONTENT_FILTER -> "content_filter";
            case STOP, ERROR -> "stop";
        };
    }

    @Override
    public Object encode(IngressRequest request, Outcome o, ResponseIds ids) {
        Options options = (Options) request.options();
        ObjectNode out = base(ids, "chat.completion", o.model().qualifiedId());
        ObjectNode choice = out.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message").put("role", "assistant");
        String text = o.answer().text();
        List<Part.ToolCall> calls = o.answer().toolCalls();
        if (text.isEmpty() && !calls.isEmpty()) {
            message.putNull("content");
        } else {
            message.put("content", text);
        }
        message.putNull("refusal");
        if (!calls.isEmpty()) {
            ArrayNode array = message.putArray("tool_calls");
            for (Part.ToolCall c : calls) {
                array.add(toolCall(c, options));
            }
        }
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason(o.finishReason()));
        usage(out.putObject("usage"), o);
        return out;
    }

    private static ObjectNode toolCall(Part.ToolCall c, Options options) {
        ObjectNode call = Json.mapper().createObjectNode().put("id", c.id());
        if (options.freeformTools().contains(c.name())) {
            call.put("type", "custom");
            call.putObject("custom").put("name", c.name()).put("input", freeformInput(c.arguments()));
        } else {
            call.put("type", "function");
            call.putObject("function").put("name", c.name()).put("arguments", c.arguments());
        }
        return call;
    }

    static String freeformInput(String arguments) {
        try {
            JsonNode node = Json.mapper().readTree(arguments);
            return node.path("input").isTextual() ? node.get("input").asText() : arguments;
        } catch (IOException e) {
            return arguments;
        }
    }

    private static ObjectNode base(ResponseIds ids, String object, String model) {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("id", "chatcmpl-" + ids.suffix()).put("object", object).put("created", ids.createdEpochSeconds())
                .put("model", model);
        node.putNull("system_fingerprint");
        return node;
    }

    private static void usage(ObjectNode node, Outcome o) {
        node.put("prompt_tokens", o.promptTokens())
                .put("completion_tokens", o.completionTokens())
                .put("total_tokens", o.promptTokens() + o.completionTokens());
        // As OpenAI reports prompt caching and reasoning: subsets of prompt_tokens and completion_tokens.
        node.putObject("prompt_tokens_details").put("cached_tokens", o.tokens().cacheReadTokens());
        node.putObject("completion_tokens_details").put("reasoning_tokens", o.tokens().reasoningTokens());
    }

    @Override
    public StreamEncoder streamEncoder(IngressRequest request, ResponseIds ids, SseSink sink) {
        Options options = (Options) request.options();
        return new StreamEncoder() {
            private String model;
            private final Map<Integer, String> freeformCalls = new HashMap<>();

            private ObjectNode chunk() {
                ObjectNode node = base(ids, "chat.completion.chunk", model);
                ObjectNode choice = node.putArray("choices").addObject();
                choice.put("index", 0);
                choice.putObject("delta");
                choice.putNull("logprobs");
                choice.putNull("finish_reason");
                if (options.includeUsage()) {
                    node.putNull("usage"); // as OpenAI does: null on every chunk but the last
                }
                return node;
            }

            private ObjectNode delta(ObjectNode chunk) {
                return (ObjectNode) chunk.get("choices").get(0).get("delta");
            }

            /** A text chunk before and after its quoted content, in the order of chunk()'s fields. */
            private String textPrefix;
            private final String textSuffix = "},\"logprobs\":null,\"finish_reason\":null}]"
                    + (options.includeUsage() ? ",\"usage\":null}" : "}");

            @Override
            public void start(StreamStart start) throws IOException {
                model = start.model().qualifiedId();
                textPrefix = "{\"id\":" + JsonText.quoted("chatcmpl-" + ids.suffix())
                        + ",\"object\":\"chat.completion.chunk\",\"created\":" + ids.createdEpochSeconds()
                        + ",\"model\":" + JsonText.quoted(model)
                        + ",\"system_fingerprint\":null,\"choices\":[{\"index\":0,\"delta\":{\"content\":";
                ObjectNode first = chunk();
                delta(first).put("role", "assistant").put("content", "");
                sink.event(null, first);
            }

            @Override
            public void event(StreamEvent event) throws IOException {
                switch (event) {
                    case StreamEvent.TextDelta d -> {
                        // The commonest event by far: written as text, the same bytes as chunk() with its content.
                        StringBuilder json = new StringBuilder(textPrefix.length() + d.text().length() + 64)
                                .append(textPrefix);
                        JsonText.quote(json, d.text()).append(textSuffix);
                        sink.event(null, json.toString());
                    }
                    case StreamEvent.ToolCallStart s -> {
                        ObjectNode next = chunk();
                        ObjectNode call = delta(next).putArray("tool_calls").addObject();
                        call.put("index", s.index()).put("id", s.id());
                        if (options.freeformTools().contains(s.name())) {
                            // A custom tool's input is raw text: it is sent whole when the call ends.
                            freeformCalls.put(s.index(), "");
                            call.put("type", "custom");
                            call.putObject("custom").put("name", s.name()).put("input", "");
                        } else {
                            call.put("type", "function");
                            call.putObject("function").put("name", s.name()).put("arguments", "");
                        }
                        sink.event(null, next);
                    }
                    case StreamEvent.ToolCallDelta d -> {
                        if (freeformCalls.containsKey(d.index())) {
                            freeformCalls.merge(d.index(), d.arguments(), String::concat);
                            return;
                        }
                        ObjectNode next = chunk();
                        delta(next).putArray("tool_calls").addObject().put("index", d.index())
                                .putObject("function").put("arguments", d.arguments());
                        sink.event(null, next);
                    }
                    case StreamEvent.ToolCallEnd e -> {
                        String args = freeformCalls.remove(e.index());
                        if (args != null) {
                            ObjectNode next = chunk();
                            delta(next).putArray("tool_calls").addObject().put("index", e.index())
                                    .putObject("custom").put("input", freeformInput(args));
                            sink.event(null, next);
                        }
                    }
                    default -> {
                        // thinking has no place in Chat Completions; usage and finish come with finish()
                    }
                }
            }

            @Override
            public void finish(Outcome o) throws IOException {
                ObjectNode last = chunk();
                ((ObjectNode) last.get("choices").get(0)).put("finish_reason", finishReason(o.finishReason()));
                sink.event(null, last);
                if (options.includeUsage()) {
                    ObjectNode usage = base(ids, "chat.completion.chunk", model);
                    usage.putArray("choices");
                    usage(usage.putObject("usage"), o);
                    sink.event(null, usage);
                }
                sink.raw("[DONE]");
            }

            @Override
            public void fail(ApiError error, Object body) throws IOException {
                sink.event(null, body);
            }
        };
    }
}
