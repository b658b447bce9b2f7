package com.monkeycoder.daemon.dialects.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.monkeycoder.daemon.conversation.ConversationRequest;
import com.monkeycoder.daemon.conversation.FinishReason;
import com.monkeycoder.daemon.conversation.Message;
import com.monkeycoder.daemon.conversation.Part;
import com.monkeycoder.daemon.conversation.Passthrough;
import com.monkeycoder.daemon.conversation.Reasoning;
import com.monkeycoder.daemon.conversation.ResponseFormat;
import com.monkeycoder.daemon.conversation.Role;
import com.monkeycoder.daemon.conversation.Sampling;
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
import com.monkeycoder.shared.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * OpenAI's Responses API ({@code POST /v1/responses}), stateless: the client sends the whole conversation as
 * {@code input} items every turn (as Codex CLI does with {@code store:false}); {@code store:true} and
 * {@code previous_response_id} are refused because the gateway keeps no responses to refer back to. Codex's
 * tool shapes are taken: functions, custom (freeform) tools, {@code namespace} groups (flattened to
 * {@code <namespace>__<name>} functions) and hosted tools such as {@code web_search}. Fields the gateway does not
 * model ({@code include}, {@code prompt_cache_key}, {@code client_metadata}...) go to a Responses provider as
 * they came and are named as dropped elsewhere. See agent-check/NOTES.md for what Codex sends and needs.
 */
public final class ResponsesDialect implements Dialect {

    /** Fields this codec reads; the rest of a body is passed through. */
    private static final Set<String> KNOWN = Set.of("model", "instructions", "input", "tools", "tool_choice",
            "parallel_tool_calls", "reasoning", "text", "max_output_tokens", "temperature", "top_p", "metadata",
            "user", "store", "previous_response_id", "stream");
    /** Request fields the response object echoes, as OpenAI's does. */
    private static final List<String> ECHOED = List.of("instructions", "max_output_tokens", "parallel_tool_calls",
            "reasoning", "temperature", "text", "tool_choice", "top_p", "user", "metadata");
    private static final String STATELESS = "this gateway is stateless and stores no responses: send store:false"
            + " and the full conversation as input on every turn";

    /**
     * What encoding needs to remember of the request: the custom (freeform) tools by name, the namespaced tools by
     * their flattened name, and the request fields the response object echoes.
     */
    record Options(Set<String> customTools, Map<String, NamespacedName> namespaced, ObjectNode echo) {
    }

    /** A function offered inside a {@code namespace} tool, known to the model as its flattened name. */
    record NamespacedName(String namespace, String name) {
    }

    @Override
    public String routeName() {
        return "responses";
    }

    @Override
    public ErrorStyle errorStyle() {
        return ErrorStyle.OPENAI;
    }

    // ---- requests ----

    @Override
    public IngressRequest parse(JsonNode body, Headers headers) {
        refuseStateful(body);
        String model = JsonFields.requiredText(body, "model",
                "must be a model name such as openai/gpt-4.1-mini (GET /v1/models lists them)");
        Set<String> custom = new HashSet<>();
        Map<String, NamespacedName> namespaced = new LinkedHashMap<>();
        List<Tool> tools = tools(body.get("tools"), custom, namespaced);

        List<Part> system = new ArrayList<>();
        String instructions = JsonFields.text(body, "instructions", "instructions");
        if (instructions != null && !instructions.isEmpty()) {
            system.add(new Part.Text(instructions));
        }
        InputReader input = new InputReader(system, namespaced);
        input.read(body.get("input"));
        ToolRules.checkTurns(input.messages, input::field);

        ToolChoice choice = toolChoice(body.get("tool_choice"), namespaced);
        ToolRules.checkChoice(choice, tools, "tool_choice");
        Integer max = JsonFields.integer(body, "max_output_tokens");
        Sampling sampling = Sampling.of(JsonFields.number(body, "temperature"), JsonFields.number(body, "top_p"));
        SamplingRules.check(sampling, max, "max_output_tokens", "temperature", "top_p");
        Boolean parallel = body.hasNonNull("parallel_tool_calls") ? JsonFields.flag(body, "parallel_tool_calls") : null;

        ConversationRequest conversation = new ConversationRequest(model, system, input.messages, tools, choice,
                parallel, responseFormat(body.path("text").get("format")), List.of(), sampling, max,
                reasoning(body.get("reasoning")), metadata(body),
                UnknownFields.passthrough(WireFamily.OPENAI_RESPONSES, body, KNOWN, Set.of(), Map.of(), List.of()));
        return new IngressRequest(conversation, model, List.of(), null, JsonFields.flag(body, "stream"), null,
                new Options(Set.copyOf(custom), Map.copyOf(namespaced), echo(body)));
    }

    /**
     * Only an explicit {@code store:true} is refused: OpenAI's default is to store, but clients that leave
     * {@code store} out never refer back to a stored response unless they send {@code previous_response_id}.
     */
    private static void refuseStateful(JsonNode body) {
        if (body.path("store").asBoolean(false)) {
            throw ApiError.badRequest("store: " + STATELESS, Map.of("field", "store"));
        }
        for (String field : List.of("previous_response_id", "conversation")) {
            if (body.hasNonNull(field)) {
                throw ApiError.badRequest(field + ": " + STATELESS, Map.of("field", field));
            }
        }
    }


    private static ObjectNode echo(JsonNode body) {
        ObjectNode echo = Json.mapper().createObjectNode();
        for (String field : ECHOED) {
            if (body.has(field)) {
                echo.set(field, body.get(field));
            }
        }
        return echo;
    }

    private static Map<String, String> metadata(JsonNode body) {
        Map<String, String> metadata = new LinkedHashMap<>();
        JsonNode meta = body.get("metadata");
        if (meta != null && !meta.isNull()) {
            if (!meta.isObject()) {
                throw ApiError.validation("metadata", "must be an object of strings");
            }
            meta.fields().forEachRemaining(e -> metadata.put(e.getKey(), e.getValue().asText()));
        }
        String user = JsonFields.text(body, "user", "user");
        if (user != null) {
            metadata.put("user", user);
        }
        return metadata;
    }

    /** {@code reasoning.effort}; the summary wish has no canonical counterpart (Codex sends only it). */
    private static Reasoning reasoning(JsonNode reasoning) {
        if (reasoning == null || reasoning.isNull()) {
            return null;
        }
        if (!reasoning.isObject()) {
            throw ApiError.validation("reasoning", "must be an object {effort, summary}");
        }
        String effort = JsonFields.text(reasoning, "effort", "reasoning.effort");
        return effort == null ? null : Reasoning.effort(effort);
    }

    private static ResponseFormat responseFormat(JsonNode format) {
        if (format == null || format.isNull()) {
            return null;
        }
        return switch (format.path("type").asText("")) {
            case "text" -> new ResponseFormat(ResponseFormat.Kind.TEXT, null, null, null);
            case "json_object" -> new ResponseFormat(ResponseFormat.Kind.JSON_OBJECT, null, null, null);
            case "json_schema" -> {
                ToolRules.checkSchema(format.get("schema"), "text.format.schema");
                yield new ResponseFormat(ResponseFormat.Kind.JSON_SCHEMA, format.path("name").asText("response"),
                        format.get("schema"), format.hasNonNull("strict") ? format.get("strict").asBoolean() : null);
            }
            default -> throw ApiError.validation("text.format.type", "must be text, json_object or json_schema");
        };
    }

    // ---- tools ----

    private static List<Tool> tools(JsonNode tools, Set<String> custom, Map<String, NamespacedName> namespaced) {
        if (tools == null || tools.isNull()) {
            return List.of();
        }
        if (!tools.isArray()) {
            throw ApiError.validation("tools", "must be an array");
        }
        List<Tool> out = new ArrayList<>();
        for (int i = 0; i < tools.size(); i++) {
            JsonNode t = tools.get(i);
            String at = "tools[" + i + "]";
            String type = t.path("type").asText("");
            switch (type) {
                case "function", "custom" -> out.add(function(t, at, null, custom));
                case "namespace" -> out.addAll(namespace(t, at, custom, namespaced));
                case "" -> throw ApiError.validation(at + ".type", "must name the tool's type (function, custom, ...)");
                // Hosted tools run at OpenAI: kept for a Responses provider. Only web search is safe to drop
                // elsewhere (the model answers from what it knows); the others would change what the client gets.
                default -> out.add(new Tool.Hosted(type, type, WireFamily.OPENAI_RESPONSES, (ObjectNode) t,
                        type.startsWith("web_search")));
            }
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < out.size(); i++) {
            if (!names.add(out.get(i).name())) {
                throw ApiError.validation("tools", "repeats the tool name '" + out.get(i).name() + "'");
            }
        }
        return out;
    }

    /** A function or custom tool; {@code name} overrides the tool's own (a namespaced tool's flattened name). */
    private static Tool.Function function(JsonNode t, String at, String name, Set<String> custom) {
        String own = t.path("name").asText(null);
        ToolRules.checkName(own, at + ".name");
        String modelName = name == null ? own : name;
        if (t.path("type").asText().equals("custom")) {
            custom.add(modelName);
            return new Tool.Function(modelName, t.path("description").asText(null), null, null, true, null);
        }
        ToolRules.checkSchema(t.get("parameters"), at + ".parameters");
        return new Tool.Function(modelName, t.path("description").asText(null), t.get("parameters"),
                t.hasNonNull("strict") ? t.get("strict").asBoolean() : null, false, null);
    }

    /**
     * A {@code namespace} groups functions (Codex's {@code multi_agent_v1}); no other provider knows it, so each
     * inner function is offered as {@code <namespace>__<name>}, remembered to tell the calls apart.
     */
    private static List<Tool> namespace(JsonNode t, String at, Set<String> custom,
                                        Map<String, NamespacedName> namespaced) {
        String ns = t.path("name").asText(null);
        ToolRules.checkName(ns, at + ".name");
        JsonNode inner = t.get("tools");
        if (inner == null || !inner.isArray()) {
            throw ApiError.validation(at + ".tools", "must be an array of function tools");
        }
        List<Tool> out = new ArrayList<>();
        for (int j = 0; j < inner.size(); j++) {
            JsonNode fn = inner.get(j);
            String field = at + ".tools[" + j + "]";
            String type = fn.path("type").asText("function");
            if (!type.equals("function") && !type.equals("custom")) {
                throw ApiError.validation(field + ".type", "must be function or custom inside a namespace");
            }
            String name = fn.path("name").asText(null);
            ToolRules.checkName(name, field + ".name");
            String flat = flatName(ns, name);
            namespaced.put(flat, new NamespacedName(ns, name));
            out.add(function(fn, field, flat, custom));
        }
        return out;
    }

    /** {@code ns__name}, shortened with a checksum when it would pass the 64 characters every provider allows. */
    static String flatName(String namespace, String name) {
        String flat = namespace + "__" + name;
        if (flat.length() <= 64) {
            return flat;
        }
        CRC32 crc = new CRC32();
        crc.update(flat.getBytes(StandardCharsets.UTF_8));
        String sum = String.format("%08x", crc.getValue());
        return flat.substring(0, 64 - sum.length() - 1) + "_" + sum;
    }

    private static ToolChoice toolChoice(JsonNode choice, Map<String, NamespacedName> namespaced) {
        if (choice == null || choice.isNull()) {
            return null;
        }
        if (choice.isTextual()) {
            return switch (choice.asText()) {
                case "auto" -> ToolChoice.AUTO;
                case "none" -> ToolChoice.NONE;
                case "required" -> ToolChoice.REQUIRED;
                default -> throw ApiError.validation("tool_choice", "must be auto, none, required or a named tool");
            };
        }
        String type = choice.path("type").asText("");
        return switch (type) {
            case "function", "custom" -> {
                String name = choice.path("name").asText(null);
                if (name == null) {
                    throw ApiError.validation("tool_choice.name", "must name a tool");
                }
                String ns = choice.path("namespace").asText(null);
                yield ToolChoice.named(ns == null ? name : flatName(ns, name));
            }
            case "" -> throw ApiError.validation("tool_choice.type", "must be function, custom or a hosted tool type");
            default -> ToolChoice.named(type); // a hosted tool, offered under its type
        };
    }

    // ---- input items ----

    /**
     * Turns {@code input} items into messages: assistant items (messages, calls, reasoning) that follow each other
     * become one assistant turn, tool outputs that follow each other one user turn, as the canonical model and
     * every other provider want them. Remembers which item each part came from, to name it in errors.
     */
    private static final class InputReader {
        final List<Part> system;
        final Map<String, NamespacedName> namespaced;
        final List<Message> messages = new ArrayList<>();
        final List<List<Integer>> origins = new ArrayList<>();
        private Role pendingRole;
        private boolean pendingResults;
        private List<Part> pending;
        private List<Integer> pendingOrigins;

        InputReader(List<Part> system, Map<String, NamespacedName> namespaced) {
            this.system = system;
            this.namespaced = namespaced;
        }

        String field(int message, int part, String field) {
            String item = "input[" + origins.get(message).get(part) + "]";
            return item + "." + (field.equals("id") || field.equals("tool_call_id") ? "call_id" : field);
        }

        void read(JsonNode input) {
            if (input == null || input.isNull() || (input.isArray() && input.isEmpty())) {
                throw ApiError.validation("input", "must be a string or a non-empty array of input items");
            }
            if (input.isTextual()) {
                add(Role.USER, false, new Part.Text(input.asText()), 0);
            } else if (input.isArray()) {
                for (int i = 0; i < input.size(); i++) {
                    item(input.get(i), i);
                }
            } else {
                throw ApiError.validation("input", "must be a string or an array of input items");
            }
            flush();
        }

        private void item(JsonNode item, int i) {
            String at = "input[" + i + "]";
            if (!item.isObject()) {
                throw ApiError.validation(at, "must be an object");
            }
            String type = item.path("type").asText("message");
            switch (type) {
                case "message" -> message(item, at, i);
                case "function_call" -> {
                    String name = item.path("name").asText(null);
                    ToolRules.checkName(name, at + ".name");
                    String ns = item.path("namespace").asText(null);
                    String args = item.path("arguments").isTextual() ? item.get("arguments").asText() : "{}";
                    ToolRules.checkArguments(args, at + ".arguments");
                    add(Role.ASSISTANT, false, new Part.ToolCall(callId(item, at), ns == null ? name : flatName(ns, name),
                            args), i);
                }
                case "custom_tool_call" -> {
                    String name = item.path("name").asText(null);
                    ToolRules.checkName(name, at + ".name");
                    ObjectNode wrapped = Json.mapper().createObjectNode().put("input", item.path("input").asText(""));
                    add(Role.ASSISTANT, false, new Part.ToolCall(callId(item, at), name, Json.write(wrapped)), i);
                }
                case "function_call_output", "custom_tool_call_output" -> add(Role.USER, true,
                        new Part.ToolResult(callId(item, at), output(item.get("output"), at + ".output"), false, null), i);
                case "reasoning" -> add(Role.ASSISTANT, false, reasoningPart(item), i);
                default -> throw ApiError.validation(at + ".type", "'" + type + "' is not supported by this gateway;"
                        + " use message, function_call, function_call_output, custom_tool_call,"
                        + " custom_tool_call_output or reasoning");
            }
        }

        private static String callId(JsonNode item, String at) {
            String id = item.path("call_id").asText("");
            if (id.isEmpty()) {
                throw ApiError.validation(at + ".call_id", "must name the tool call");
            }
            return id;
        }

        /** Encrypted reasoning goes back as it came; with a summary, the summary stays visible beside it. */
        private static Part reasoningPart(JsonNode item) {
            StringBuilder summary = new StringBuilder();
            for (JsonNode s : item.path("summary")) {
                summary.append(summary.isEmpty() ? "" : "\n\n").append(s.path("text").asText(""));
            }
            String encrypted = item.path("encrypted_content").asText(null);
            if (encrypted != null && summary.isEmpty()) {
                return new Part.RedactedThinking(encrypted);
            }
            return new Part.Thinking(summary.toString(), encrypted);
        }

        private void message(JsonNode item, String at, int i) {
            String role = item.path("role").asText("");
            List<Part> parts = content(item.get("content"), at + ".content");
            switch (role) {
                case "system", "developer" -> {
                    if (messages.isEmpty() && pending == null) {
                        system.addAll(parts); // leading instructions, as the canonical model keeps them
                    } else {
                        flush();
                        addMessage(Role.SYSTEM, parts, i);
                    }
                }
                case "user" -> {
                    flush();
                    addMessage(Role.USER, parts, i);
                }
                case "assistant" -> {
                    for (Part p : parts) {
                        add(Role.ASSISTANT, false, p, i);
                    }
                }
                default -> throw ApiError.validation(at + ".role", "must be one of user, assistant, system, developer");
            }
        }

        private List<Part> content(JsonNode content, String field) {
            if (content == null || content.isNull()) {
                throw ApiError.validation(field, "must be a string or an array of content parts");
            }
            if (content.isTextual()) {
                return List.of(new Part.Text(content.asText()));
            }
            if (!content.isArray()) {
                throw ApiError.validation(field, "must be a string or an array of content parts");
            }
            List<Part> parts = new ArrayList<>();
            for (int j = 0; j < content.size(); j++) {
                parts.add(contentPart(content.get(j), field + "[" + j + "]"));
            }
            return parts;
        }

        private static Part contentPart(JsonNode p, String at) {
            String type = p.path("type").asText("");
            return switch (type) {
                case "input_text", "output_text" -> new Part.Text(p.path("text").asText(""));
                case "refusal" -> new Part.Text(p.path("refusal").asText(""));
                case "input_image" -> {
                    if (p.hasNonNull("file_id") && !p.hasNonNull("image_url")) {
                        throw ApiError.validation(at + ".file_id", "cannot be resolved by this stateless gateway;"
                                + " send the image as image_url (a data: or https URL)");
                    }
                    yield Images.fromUrl(p.path("image_url").asText(null), at + ".image_url");
                }
                default -> throw ApiError.validation(at + ".type", "'" + type + "' is not supported by this gateway;"
                        + " use input_text, output_text, input_image or refusal");
            };
        }

        /** A tool's output: a string, or content parts (text and images). */
        private List<Part> output(JsonNode output, String field) {
            if (output != null && output.isTextual()) {
                return List.of(new Part.Text(output.asText()));
            }
            return content(output, field);
        }

        /** One part of a turn that merges with the turn before when it is of the same kind. */
        private void add(Role role, boolean results, Part part, int origin) {
            if (pending == null || pendingRole != role || pendingResults != results) {
                flush();
                pending = new ArrayList<>();
                pendingOrigins = new ArrayList<>();
                pendingRole = role;
                pendingResults = results;
            }
            pending.add(part);
            pendingOrigins.add(origin);
        }

        private void addMessage(Role role, List<Part> parts, int origin) {
            messages.add(new Message(role, parts));
            origins.add(parts.stream().map(p -> origin).toList());
        }

        private void flush() {
            if (pending != null) {
                messages.add(new Message(pendingRole, pending));
                origins.add(pendingOrigins);
                pending = null;
            }
        }
    }

    // ---- answers ----

    @Override
    public Object encode(IngressRequest request, Outcome o, ResponseIds ids) {
        Options options = (Options) request.options();
        ResponseObject response = new ResponseObject(ids, o.model().qualifiedId(), options);
        OutputItems items = new OutputItems(ids, options);
        for (Part p : o.answer().content()) {
            switch (p) {
                case Part.Text t -> response.output().add(items.message(t.text()));
                case Part.Thinking t -> response.output().add(items.reasoning(t.text(), t.signature()));
                case Part.RedactedThinking r -> response.output().add(items.reasoning("", r.data()));
                case Part.ToolCall c -> response.output().add(items.call(c.id(), c.name(), c.arguments()));
                default -> {
                    // images and tool results are never part of an answer
                }
            }
        }
        return response.finished(o);
    }

    @Override
    public StreamEncoder streamEncoder(IngressRequest request, ResponseIds ids, SseSink sink) {
        return new ResponsesStreamEncoder((Options) request.options(), ids, sink);
    }

    /** A response object, as OpenAI writes it in the whole answer and in the stream's lifecycle events. */
    static final class ResponseObject {
        private final ObjectNode node;

        ResponseObject(ResponseIds ids, String model, Options options) {
            node = Json.mapper().createObjectNode();
            node.put("id", "resp_" + ids.suffix()).put("object", "response")
                    .put("created_at", ids.createdEpochSeconds()).put("status", "in_progress");
            node.put("background", false);
            node.putNull("error");
            node.putNull("incomplete_details");
            echoOrNull("instructions", options);
            echoOrNull("max_output_tokens", options);
            node.put("model", model);
            node.putArray("output");
            node.put("parallel_tool_calls", options.echo().path("parallel_tool_calls").asBoolean(true));
            node.putNull("previous_response_id");
            node.set("reasoning", options.echo().has("reasoning") ? options.echo().get("reasoning").deepCopy()
                    : Json.mapper().createObjectNode().putNull("effort"));
            node.put("store", false);
            echoOrNull("temperature", options);
            node.set("text", options.echo().has("text") ? options.echo().get("text").deepCopy()
                    : Json.mapper().createObjectNode().set("format",
                    Json.mapper().createObjectNode().put("type", "text")));
            node.set("tool_choice", options.echo().has("tool_choice") ? options.echo().get("tool_choice").deepCopy()
                    : Json.mapper().getNodeFactory().textNode("auto"));
            // The tools are not echoed: Codex's are tens of kilobytes and no client reads them back.
            node.putArray("tools");
            echoOrNull("top_p", options);
            node.put("truncation", "disabled");
            node.putNull("usage");
            echoOrNull("user", options);
            node.set("metadata", options.echo().path("metadata").isObject() ? options.echo().get("metadata").deepCopy()
                    : Json.mapper().createObjectNode());
        }

        private void echoOrNull(String field, Options options) {
            JsonNode v = options.echo().get(field);
            node.set(field, v == null ? Json.mapper().getNodeFactory().nullNode() : v.deepCopy());
        }

        ArrayNode output() {
            return (ArrayNode) node.get("output");
        }

        /** The response in progress (created, in_progress events). */
        ObjectNode inProgress() {
            return node.deepCopy();
        }

        /** The response once the answer is complete: its status by why it ended, and its usage. */
        ObjectNode finished(Outcome o) {
            ObjectNode done = node.deepCopy();
            String incomplete = incompleteReason(o.finishReason());
            done.put("status", incomplete == null ? "completed" : "incomplete");
            if (incomplete != null) {
                done.putObject("incomplete_details").put("reason", incomplete);
            }
            ObjectNode usage = done.putObject("usage");
            // As OpenAI counts: cached tokens are a subset of input_tokens, reasoning tokens of output_tokens.
            usage.put("input_tokens", o.promptTokens());
            usage.putObject("input_tokens_details").put("cached_tokens", o.tokens().cacheReadTokens());
            usage.put("output_tokens", o.completionTokens());
            usage.putObject("output_tokens_details").put("reasoning_tokens", o.tokens().reasoningTokens());
            usage.put("total_tokens", o.promptTokens() + o.completionTokens());
            return done;
        }

        /** The response of a broken answer, with OpenAI's error object built from the error body. */
        ObjectNode failed(Object errorBody) {
            ObjectNode failed = node.deepCopy();
            failed.put("status", "failed");
            JsonNode error = Json.mapper().valueToTree(errorBody).path("error");
            failed.putObject("error").put("code", error.path("code").asText("server_error"))
                    .put("message", error.path("message").asText("the answer broke off"));
            return failed;
        }

        static String incompleteReason(FinishReason reason) {
            return switch (reason) {
                case LENGTH -> "max_output_tokens";
                case CONTENT_FILTER -> "content_filter";
                case STOP, TOOL_CALLS, ERROR -> null;
            };
        }
    }

    /** Output items and their ids ({@code msg_}, {@code rs_}, {@code fc_}, {@code ctc_} + the request's suffix + n). */
    static final class OutputItems {
        private final ResponseIds ids;
        private final Options options;
        private int next;

        OutputItems(ResponseIds ids, Options options) {
            this.ids = ids;
            this.options = options;
        }

        String newId(String prefix) {
            return prefix + ids.suffix() + "_" + next++;
        }

        ObjectNode message(String text) {
            return messageItem(newId("msg_"), "completed", text);
        }

        ObjectNode reasoning(String summary, String encrypted) {
            return reasoningItem(newId("rs_"), summary, encrypted);
        }

        ObjectNode call(String callId, String name, String arguments) {
            return callItem(newId(isCustom(name) ? "ctc_" : "fc_"), "completed", callId, name, arguments);
        }

        boolean isCustom(String name) {
            return options.customTools().contains(name);
        }

        static ObjectNode messageItem(String id, String status, String text) {
            ObjectNode item = Json.mapper().createObjectNode().put("id", id).put("type", "message")
                    .put("status", status).put("role", "assistant");
            ArrayNode content = item.putArray("content");
            if (text != null) {
                content.add(outputText(text));
            }
            return item;
        }

        static ObjectNode outputText(String text) {
            ObjectNode part = Json.mapper().createObjectNode().put("type", "output_text").put("text", text);
            part.putArray("annotations");
            return part;
        }

        static ObjectNode reasoningItem(String id, String summary, String encrypted) {
            ObjectNode item = Json.mapper().createObjectNode().put("id", id).put("type", "reasoning");
            ArrayNode parts = item.putArray("summary");
            if (summary != null && !summary.isEmpty()) {
                parts.addObject().put("type", "summary_text").put("text", summary);
            }
            if (encrypted != null) {
                item.put("encrypted_content", encrypted);
            }
            return item;
        }

        /**
         * A call as Codex acts on it. A namespaced function goes back under its flattened name, the name it was
         * offered as: Codex 0.171's NOTES do not say it wants {@code namespace} on the item, and the flattened name
         * is what a later turn's history carries back (which {@code parse} reads either way).
         */
        ObjectNode callItem(String id, String status, String callId, String name, String arguments) {
            ObjectNode item = Json.mapper().createObjectNode().put("id", id);
            if (isCustom(name)) {
                item.put("type", "custom_tool_call").put("status", status).put("call_id", callId).put("name", name)
                        .put("input", arguments == null ? "" : customInput(arguments));
            } else {
                item.put("type", "function_call").put("status", status).put("call_id", callId).put("name", name)
                        .put("arguments", arguments == null ? "" : arguments);
            }
            return item;
        }

        /** A custom tool's raw input, unwrapped from the canonical {@code {"input": ...}}. */
        static String customInput(String arguments) {
            try {
                JsonNode node = Json.mapper().readTree(arguments);
                return node != null && node.path("input").isTextual() ? node.get("input").asText() : arguments;
            } catch (IOException e) {
                return arguments;
            }
        }
    }
}
