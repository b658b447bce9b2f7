package com.monkeycoder.daemon.dialects.anthropic;

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
import com.monkeycoder.daemon.conversation.Role;
import com.monkeycoder.daemon.conversation.Sampling;
import com.monkeycoder.daemon.conversation.StreamEvent;
import com.monkeycoder.daemon.conversation.TokenCount;
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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Anthropic's Messages API ({@code POST /v1/messages}, any query string): tools, tool_use and tool_result
 * blocks, images, thinking and redacted thinking (signatures kept byte for byte), system blocks with
 * {@code cache_control}, and the event stream Anthropic's SDKs and Claude Code expect, with {@code ping}s while
 * the upstream is silent. Unknown body fields and the {@code anthropic-beta} / {@code anthropic-version} headers
 * go to an Anthropic upstream as they came.
 */
public final class MessagesDialect implements Dialect {

    /** The smallest thinking budget Anthropic accepts. */
    public static final int MIN_THINKING_BUDGET = 1024;
    private static final Set<String> KNOWN = Set.of("model", "max_tokens", "system", "messages", "tools",
            "tool_choice", "thinking", "stop_sequences", "temperature", "top_p", "top_k", "metadata", "stream");
    private static final List<String> FORWARDED_HEADERS = List.of("anthropic-beta", "anthropic-version");
    /**
     * Fields an Anthropic upstream gets as they came (Claude Code sends them); others (service_tier, container,
     * mcp_servers...) change the price or reach outside the conversation, and are withheld and named.
     */
    private static final Set<String> FORWARDED_FIELDS = Set.of("context_management", "output_config");
    /** Betas that change the price per token (the 1M-token context bills input twice): never forwarded. */
    private static final List<String> PRICED_BETAS = List.of("context-1m-");

    private final boolean requireMaxTokens;

    /** @param requireMaxTokens false for {@code count_tokens}, which takes a request without {@code max_tokens} */
    public MessagesDialect(boolean requireMaxTokens) {
        this.requireMaxTokens = requireMaxTokens;
    }

    @Override
    public String routeName() {
        return "messages";
    }

    @Override
    public ErrorStyle errorStyle() {
        return ErrorStyle.ANTHROPIC;
    }

    @Override
    public IngressRequest parse(JsonNode body, Headers headers) {
        String model = JsonFields.requiredText(body, "model",
                "must be a model name such as anthropic/claude-sonnet-4-5 (GET /v1/models lists them)");
        Integer max = JsonFields.integer(body, "max_tokens");
        if (requireMaxTokens && (max == null || max < 1)) {
            throw ApiError.validation("max_tokens", "is required and must be a whole number of at least 1");
        }
        List<Part> system = system(body.get("system"));
        List<Message> messages = messages(body.get("messages"));
        ToolRules.checkTurns(messages, (m, p, f) -> "messages[" + m + "].content[" + p + "]."
                + (f.equals("tool_call_id") ? "tool_use_id" : f));
        List<Tool> tools = tools(body.get("tools"));
        JsonNode choiceNode = body.get("tool_choice");
        ToolChoice choice = toolChoice(choiceNode);
        ToolRules.checkChoice(choice, tools, "tool_choice");
        Boolean parallel = choiceNode != null && choiceNode.has("disable_parallel_tool_use")
                ? !choiceNode.get("disable_parallel_tool_use").asBoolean() : null;
        Sampling sampling = new Sampling(JsonFields.number(body, "temperature"), JsonFields.number(body, "top_p"),
                JsonFields.integer(body, "top_k"), null, null, null);
        SamplingRules.check(sampling, max, "max_tokens", "temperature", "top_p");
        Reasoning reasoning = thinking(body.get("thinking"), body.path("output_config").path("effort").asText(null), max);
        Map<String, String> metadata = new LinkedHashMap<>();
        JsonNode meta = body.get("metadata");
        if (meta != null && meta.hasNonNull("user_id")) {
            metadata.put("user", meta.get("user_id").asText());
        }
        Map<String, String> forwarded = new LinkedHashMap<>();
        List<String> withheldHeaders = new ArrayList<>();
        for (String h : FORWARDED_HEADERS) {
            String value = headers.get(h);
            if (value != null && h.equals("anthropic-beta")) {
                value = betas(value, withheldHeaders);
            }
            if (value != null && !value.isEmpty()) {
                forwarded.put(h, value);
            }
        }
        ConversationRequest conversation = new ConversationRequest(model, system, messages, tools, choice, parallel,
                null, JsonFields.strings(body, "stop_sequences"), sampling, max, reasoning, metadata,
                UnknownFields.passthrough(WireFamily.ANTHROPIC, body, KNOWN, FORWARDED_FIELDS, forwarded, withheldHeaders));
        return new IngressRequest(conversation, model, List.of(), null, JsonFields.flag(body, "stream"), null, null);
    }


    /** The beta list without the betas that change the price; each one left out is named. */
    private static String betas(String header, List<String> withheld) {
        List<String> kept = new ArrayList<>();
        for (String beta : header.split(",")) {
            String b = beta.strip();
            if (b.isEmpty()) {
                continue;
            }
            if (PRICED_BETAS.stream().anyMatch(b::startsWith)) {
                withheld.add("anthropic-beta: " + b);
            } else {
                kept.add(b);
            }
        }
        return String.join(",", kept);
    }

    private static Reasoning thinking(JsonNode thinking, String effort, Integer max) {
        if (thinking == null || thinking.isNull()) {
            return effort == null ? null : new Reasoning(null, effort, true, false);
        }
        return switch (thinking.path("type").asText("")) {
            case "enabled" -> {
                JsonNode budget = thinking.get("budget_tokens");
                if (budget == null || !budget.canConvertToInt() || budget.asInt() < MIN_THINKING_BUDGET) {
                    throw ApiError.validation("thinking.budget_tokens", "must be at least " + MIN_THINKING_BUDGET);
                }
                if (max != null && budget.asInt() >= max) {
                    throw ApiError.validation("thinking.budget_tokens", "must be less than max_tokens");
                }
                yield new Reasoning(budget.asInt(), effort, false, false);
            }
            case "adaptive" -> new Reasoning(null, effort, true, false);
            case "disabled" -> new Reasoning(null, null, false, true);
            default -> throw ApiError.validation("thinking.type", "must be enabled, adaptive or disabled");
        };
    }

    private static List<Part> system(JsonNode system) {
        if (system == null || system.isNull()) {
            return List.of();
        }
        if (system.isTextual()) {
            return List.of(new Part.Text(system.asText()));
        }
        if (!system.isArray()) {
            throw ApiError.validation("system", "must be a string or an array of text blocks");
        }
        List<Part> parts = new ArrayList<>();
        for (int i = 0; i < system.size(); i++) {
            JsonNode b = system.get(i);
            if (!"text".equals(b.path("type").asText())) {
                throw ApiError.validation("system[" + i + "].type", "must be text");
            }
            parts.add(new Part.Text(b.path("text").asText(""), b.get("cache_control")));
        }
        return parts;
    }

    private static List<Message> messages(JsonNode messages) {
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw ApiError.validation("messages", "must be a non-empty array of {role, content}");
        }
        List<Message> out = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            Role role = switch (m.path("role").asText("")) {
                case "user" -> Role.USER;
                case "assistant" -> Role.ASSISTANT;
                case "system" -> Role.SYSTEM; // Claude Code sends one in the middle of a conversation
                default -> throw ApiError.validation("messages[" + i + "].role", "must be user or assistant");
            };
            out.add(new Message(role, blocks(m.get("content"), "messages[" + i + "].content", role)));
        }
        return out;
    }

    private static List<Part> blocks(JsonNode content, String field, Role role) {
        if (content == null || content.isNull()) {
            throw ApiError.validation(field, "must not be null");
        }
        if (content.isTextual()) {
            return List.of(new Part.Text(content.asText()));
        }
        if (!content.isArray()) {
            throw ApiError.validation(field, "must be a string or an array of content blocks");
        }
        List<Part> parts = new ArrayList<>();
        for (int i = 0; i < content.size(); i++) {
            parts.add(block(content.get(i), field + "[" + i + "]", role));
        }
        return parts;
    }

    private static Part block(JsonNode b, String at, Role role) {
        String type = b.path("type").asText("");
        JsonNode cache = b.get("cache_control");
        return switch (type) {
            case "text" -> new Part.Text(b.path("text").asText(""), cache);
            case "image" -> image(b.path("source"), at + ".source", cache);
            case "tool_use" -> {
                if (role != Role.ASSISTANT) {
                    throw ApiError.validation(at + ".type", "tool_use blocks belong to assistant turns");
                }
                String name = b.path("name").asText(null);
                ToolRules.checkName(name, at + ".name");
                JsonNode input = b.get("input");
                if (input != null && !input.isObject()) {
                    throw ApiError.validation(at + ".input", "must be a JSON object");
                }
                yield new Part.ToolCall(b.path("id").asText(null), name, input == null ? "{}" : Json.write(input), cache);
            }
            case "tool_result" -> {
                String id = b.path("tool_use_id").asText(null);
                if (id == null) {
                    throw ApiError.validation(at + ".tool_use_id", "must name the tool_use block it answers");
                }
                JsonNode c = b.get("content");
                List<Part> inner = c == null || c.isNull() ? List.of()
                        : c.isTextual() ? List.of(new Part.Text(c.asText())) : resultBlocks(c, at + ".content");
                yield new Part.ToolResult(id, inner, b.path("is_error").asBoolean(false), cache);
            }
            case "thinking" -> new Part.Thinking(b.path("thinking").asText(""), b.path("signature").asText(null));
            case "redacted_thinking" -> new Part.RedactedThinking(b.path("data").asText(""));
            default -> throw ApiError.validation(at + ".type", "'" + type + "' blocks are not supported by this gateway;"
                    + " use text, image, tool_use, tool_result, thinking or redacted_thinking");
        };
    }

    private static List<Part> resultBlocks(JsonNode c, String at) {
        if (!c.isArray()) {
            throw ApiError.validation(at, "must be a string or an array of text and image blocks");
        }
        List<Part> parts = new ArrayList<>();
        for (int i = 0; i < c.size(); i++) {
            JsonNode b = c.get(i);
            switch (b.path("type").asText("")) {
                case "text" -> parts.add(new Part.Text(b.path("text").asText(""), b.get("cache_control")));
                case "image" -> parts.add(image(b.path("source"), at + "[" + i + "].source", b.get("cache_control")));
                default -> throw ApiError.validation(at + "[" + i + "].type", "must be text or image");
            }
        }
        return parts;
    }

    private static Part.Image image(JsonNode source, String at, JsonNode cache) {
        Part.Image image = switch (source.path("type").asText("")) {
            case "base64" -> Images.inline(source.path("media_type").asText(null), source.path("data").asText(null), at);
            case "url" -> Images.fromUrl(source.path("url").asText(null), at + ".url");
            default -> throw ApiError.validation(at + ".type", "must be base64 or url");
        };
        return new Part.Image(image.mediaType(), image.data(), image.url(), cache);
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
            String type = t.path("type").asText("custom");
            String name = t.path("name").asText(null);
            Tool tool;
            if (type.equals("custom")) {
                ToolRules.checkName(name, at + ".name");
                JsonNode schema = t.get("input_schema");
                if (schema == null || !schema.isObject()) {
                    throw ApiError.validation(at + ".input_schema", "is required and must be a JSON Schema object");
                }
                ToolRules.checkSchema(schema, at + ".input_schema");
                tool = new Tool.Function(name, t.path("description").asText(null), schema, null, false,
                        t.get("cache_control"));
            } else {
                // Anthropic's server and client tools (web_search_..., bash_..., text_editor_...): Anthropic only.
                tool = new Tool.Hosted(name == null ? type : name, type, WireFamily.ANTHROPIC, (ObjectNode) t, false);
            }
            if (!names.add(tool.name())) {
                throw ApiError.validation(at + ".name", "repeats the tool name '" + tool.name() + "'");
            }
            out.add(tool);
        }
        return out;
    }

    private static ToolChoice toolChoice(JsonNode choice) {
        if (choice == null || choice.isNull()) {
            return null;
        }
        return switch (choice.path("type").asText("")) {
            case "auto" -> ToolChoice.AUTO;
            case "any" -> ToolChoice.REQUIRED;
            case "none" -> ToolChoice.NONE;
            case "tool" -> {
                String name = choice.path("name").asText(null);
                if (name == null) {
                    throw ApiError.validation("tool_choice.name", "must name a tool");
                }
                yield ToolChoice.named(name);
            }
            default -> throw ApiError.validation("tool_choice.type", "must be auto, any, tool or none");
        };
    }

    // ---- answers ----

    static String stopReason(FinishReason reason) {
        return switch (reason) {
            case LENGTH -> "max_tokens";
            case TOOL_CALLS -> "tool_use";
            case CONTENT_FILTER -> "refusal";
            case STOP, ERROR -> "end_turn";
        };
    }

    @Override
    public Object encode(IngressRequest request, Outcome o, ResponseIds ids) {
        ObjectNode out = Json.mapper().createObjectNode();
        out.put("id", "msg_" + ids.suffix()).put("type", "message").put("role", "assistant")
                .put("model", o.model().qualifiedId());
        ArrayNode content = out.putArray("content");
        for (Part p : o.answer().content()) {
            switch (p) {
                case Part.Text t -> content.addObject().put("type", "text").put("text", t.text());
                case Part.Thinking t -> content.addObject().put("type", "thinking").put("thinking", t.text())
                        .put("signature", t.signature() == null ? "" : t.signature());
                case Part.RedactedThinking r -> content.addObject().put("type", "redacted_thinking").put("data", r.data());
                case Part.ToolCall c -> {
                    ObjectNode block = content.addObject().put("type", "tool_use").put("id", c.id()).put("name", c.name());
                    block.set("input", input(c.arguments()));
                }
                default -> {
                }
            }
        }
        out.put("stop_reason", stopReason(o.finishReason()));
        out.putNull("stop_sequence");
        usage(out.putObject("usage"), o.tokens());
        return out;
    }

    private static JsonNode input(String arguments) {
        try {
            JsonNode node = Json.mapper().readTree(arguments);
            return node != null && node.isObject() ? node : Json.mapper().createObjectNode();
        } catch (IOException e) {
            return Json.mapper().createObjectNode();
        }
    }

    /** Anthropic counts input apart from cache reads and writes, exactly as {@link TokenCount} does. */
    private static void usage(ObjectNode node, TokenCount tokens) {
        node.put("input_tokens", tokens.promptTokens())
                .put("cache_creation_input_tokens", tokens.cacheWriteTokens())
                .put("cache_read_input_tokens", tokens.cacheReadTokens())
                .put("output_tokens", tokens.completionTokens());
    }

    @Override
    public StreamEncoder streamEncoder(IngressRequest request, ResponseIds ids, SseSink sink) {
        return new StreamEncoder() {
            private int index = -1;
            private String open; // the type of the block in progress, null when none
            private int openCall = -1;

            private void startBlock(ObjectNode block) throws IOException {
                stopBlock();
                index++;
                open = block.path("type").asText();
                ObjectNode e = Json.mapper().createObjectNode().put("type", "content_block_start").put("index", index);
                e.set("content_block", block);
                sink.event("content_block_start", e);
            }

            private void stopBlock() throws IOException {
                if (open != null) {
                    sink.event("content_block_stop",
                            Json.mapper().createObjectNode().put("type", "content_block_stop").put("index", index));
                    open = null;
                    openCall = -1;
                }
            }

            private void delta(ObjectNode delta) throws IOException {
                ObjectNode e = Json.mapper().createObjectNode().put("type", "content_block_delta").put("index", index);
                e.set("delta", delta);
                sink.event("content_block_delta", e);
            }

            @Override
            public void start(StreamStart start) throws IOException {
                ObjectNode messageStart = Json.mapper().createObjectNode().put("type", "message_start");
                ObjectNode message = messageStart.putObject("message");
                message.put("id", "msg_" + ids.suffix()).put("type", "message").put("role", "assistant")
                        .put("model", start.model().qualifiedId());
                message.putArray("content");
                message.putNull("stop_reason");
                message.putNull("stop_sequence");
                // Input tokens are known only at the end for most providers; message_delta carries them.
                message.putObject("usage").put("input_tokens", 0).put("output_tokens", 0);
                sink.event("message_start", messageStart);
            }

            @Override
            public void event(StreamEvent event) throws IOException {
                switch (event) {
                    case StreamEvent.TextDelta d -> {
                        if (!"text".equals(open)) {
                            startBlock(Json.mapper().createObjectNode().put("type", "text").put("text", ""));
                        }
                        // The commonest event by far: written as text, the same bytes as delta() of the tree.
                        StringBuilder json = new StringBuilder(d.text().length() + 96)
                                .append("{\"type\":\"content_block_delta\",\"index\":").append(index)
                                .append(",\"delta\":{\"type\":\"text_delta\",\"text\":");
                        JsonText.quote(json, d.text()).append("}}");
                        sink.event("content_block_delta", json.toString());
                    }
                    case StreamEvent.ThinkingDelta d -> {
                        if (!"thinking".equals(open)) {
                            startBlock(Json.mapper().createObjectNode().put("type", "thinking").put("thinking", "")
                                    .put("signature", ""));
                        }
                        delta(Json.mapper().createObjectNode().put("type", "thinking_delta").put("thinking", d.text()));
                    }
                    case StreamEvent.ThinkingSignature s -> {
                        if (!"thinking".equals(open)) {
                            startBlock(Json.mapper().createObjectNode().put("type", "thinking").put("thinking", "")
                                    .put("signature", ""));
                        }
                        delta(Json.mapper().createObjectNode().put("type", "signature_delta").put("signature", s.signature()));
                        stopBlock(); // a signature closes its thinking block
                    }
                    case StreamEvent.RedactedThinking r -> {
                        startBlock(Json.mapper().createObjectNode().put("type", "redacted_thinking").put("data", r.data()));
                        stopBlock();
                    }
                    case StreamEvent.ToolCallStart s -> {
                        ObjectNode block = Json.mapper().createObjectNode().put("type", "tool_use").put("id", s.id())
                                .put("name", s.name());
                        block.putObject("input");
                        startBlock(block);
                        openCall = s.index();
                    }
                    case StreamEvent.ToolCallDelta d -> {
                        if (openCall == d.index() && !d.arguments().isEmpty()) {
                            delta(Json.mapper().createObjectNode().put("type", "input_json_delta")
                                    .put("partial_json", d.arguments()));
                        }
                    }
                    case StreamEvent.ToolCallEnd e -> {
                        if (openCall == e.index()) {
                            stopBlock();
                        }
                    }
                    default -> {
                        // usage and finish come with finish()
                    }
                }
            }

            @Override
            public void finish(Outcome o) throws IOException {
                stopBlock();
                ObjectNode messageDelta = Json.mapper().createObjectNode().put("type", "message_delta");
                messageDelta.putObject("delta").put("stop_reason", stopReason(o.finishReason())).putNull("stop_sequence");
                usage(messageDelta.putObject("usage"), o.tokens());
                sink.event("message_delta", messageDelta);
                sink.event("message_stop", Json.mapper().createObjectNode().put("type", "message_stop"));
            }

            @Override
            public void fail(ApiError error, Object body) throws IOException {
                sink.event("error", body);
            }

            @Override
            public void ping() throws IOException {
                sink.event("ping", Json.mapper().createObjectNode().put("type", "ping"));
            }
        };
    }
}
