package com.monkeycoder.daemon.providers.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.monkeycoder.daemon.conversation.ConversationRequest;
import com.monkeycoder.daemon.conversation.Message;
import com.monkeycoder.daemon.conversation.Part;
import com.monkeycoder.daemon.conversation.Reasoning;
import com.monkeycoder.daemon.conversation.ResponseFormat;
import com.monkeycoder.daemon.conversation.Role;
import com.monkeycoder.daemon.conversation.Sampling;
import com.monkeycoder.daemon.conversation.Tool;
import com.monkeycoder.daemon.conversation.ToolChoice;
import com.monkeycoder.daemon.conversation.WireFamily;
import com.monkeycoder.shared.Json;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A canonical request written as a Messages API body, and the names of what it had to leave out. Built once for
 * the call and once for {@code dropped()}, so both always agree.
 */
record AnthropicRequest(ObjectNode body, List<String> dropped) {

    /** Anthropic's smallest thinking budget: a budget below it is refused with 400. */
    static final int MIN_THINKING_BUDGET = 1024;

    /** The one-string schema a freeform (custom) tool becomes; its call's arguments are {@code {"input": "..."}}. */
    private static final String FREEFORM_SCHEMA =
            "{\"type\":\"object\",\"properties\":{\"input\":{\"type\":\"string\"}},\"required\":[\"input\"]}";

    static AnthropicRequest of(ConversationRequest request, boolean stream) {
        return new Writer(request).write(stream);
    }

    /** Whether the client spoke Anthropic's dialect, so its extra fields and headers are Anthropic's own. */
    static boolean sameFamily(ConversationRequest request) {
        return request.passthrough().family() == WireFamily.ANTHROPIC;
    }

    /** Writes one body; collects the names of what it leaves out on the way. */
    private static final class Writer {
        private final ConversationRequest request;
        private final ObjectNode body = Json.mapper().createObjectNode();
        private final Set<String> dropped = new LinkedHashSet<>();

        Writer(ConversationRequest request) {
            this.request = request;
        }

        AnthropicRequest write(boolean stream) {
            int maxTokens = request.maxOutputTokens() != null ? request.maxOutputTokens()
                    : AnthropicAdapter.DEFAULT_MAX_TOKENS;
            body.put("model", request.model());
            body.put("max_tokens", maxTokens);
            JsonNode system = system(request.system());
            if (system != null) {
                body.set("system", system);
            }
            body.set("messages", messages());
            tools();
            stopAndSampling();
            metadata();
            reasoning(maxTokens);
            samplingThinkingAllows();
            if (request.responseFormat() != null && request.responseFormat().kind() != ResponseFormat.Kind.TEXT) {
                dropped.add("response_format"); // no JSON mode on the Messages API as this adapter speaks it
            }
            if (stream) {
                body.put("stream", true);
            }
            passthrough();
            return new AnthropicRequest(body, List.copyOf(dropped));
        }

        /**
         * The system prompt as text blocks, each keeping its {@code cache_control}; one plain part stays a string,
         * the shape most clients send.
         */
        private JsonNode system(List<Part> parts) {
            ArrayNode blocks = Json.mapper().createArrayNode();
            for (Part p : parts) {
                if (p instanceof Part.Text t && !t.text().isEmpty()) {
                    blocks.add(text(t.text(), t.cacheControl()));
                } else if (!(p instanceof Part.Text)) {
                    dropped.add("system." + kind(p)); // Anthropic's system prompt takes text blocks only
                }
            }
            return compact(blocks);
        }

        /**
         * The turns, strictly alternating as Anthropic requires: consecutive turns of one role are merged. A
         * mid-conversation system turn stays a system turn for a client that sent it to Anthropic that way (Claude
         * Code); from any other client it becomes user text that says it is a system instruction.
         */
        private ArrayNode messages() {
            ArrayNode out = Json.mapper().createArrayNode();
            String lastRole = null;
            ArrayNode lastBlocks = null;
            for (Message m : request.messages()) {
                String role = wireRole(m.role());
                ArrayNode blocks = m.role() == Role.SYSTEM && !sameFamily(request) ? foldedSystem(m) : blocks(m.parts());
                if (blocks.isEmpty()) {
                    continue; // Anthropic refuses a turn without content (all its parts were dropped)
                }
                if (role.equals(lastRole)) {
                    lastBlocks.addAll(blocks);
                } else {
                    lastBlocks = blocks;
                    lastRole = role;
                    out.addObject().put("role", role).set("content", blocks);
                }
            }
            for (JsonNode message : out) {
                ((ObjectNode) message).set("content", compact((ArrayNode) message.get("content")));
            }
            return out;
        }

        private String wireRole(Role role) {
            return switch (role) {
                case ASSISTANT -> "assistant";
                case USER -> "user";
                case SYSTEM -> sameFamily(request) ? "system" : "user";
            };
        }

        private ArrayNode foldedSystem(Message m) {
            ArrayNode blocks = Json.mapper().createArrayNode();
            if (!m.text().isEmpty()) {
                blocks.add(text("System: " + m.text(), null));
            }
            return blocks;
        }

        private ArrayNode blocks(List<Part> parts) {
            ArrayNode blocks = Json.mapper().createArrayNode();
            for (Part p : parts) {
                ObjectNode block = block(p);
                if (block != null) {
                    blocks.add(block);
                }
            }
            return blocks;
        }

        /** One part as a content block; null when Anthropic cannot take it. */
        private ObjectNode block(Part part) {
            return switch (part) {
                case Part.Text t -> t.text().isEmpty() ? null : text(t.text(), t.cacheControl()); // empty text is a 400
                case Part.Image i -> image(i);
                case Part.ToolCall c -> {
                    ObjectNode b = Json.mapper().createObjectNode().put("type", "tool_use").put("id", c.id())
                            .put("name", c.name());
                    b.set("input", arguments(c.arguments()));
                    yield withCacheControl(b, c.cacheControl());
                }
                case Part.ToolResult r -> toolResult(r);
                case Part.Thinking t -> thinking(t);
                case Part.RedactedThinking r ->
                        Json.mapper().createObjectNode().put("type", "redacted_thinking").put("data", r.data());
            };
        }

        private static ObjectNode text(String text, JsonNode cacheControl) {
            return withCacheControl(Json.mapper().createObjectNode().put("type", "text").put("text", text), cacheControl);
        }

        private static ObjectNode image(Part.Image i) {
            ObjectNode source = Json.mapper().createObjectNode();
            if (i.inline()) {
                source.put("type", "base64").put("media_type", i.mediaType()).put("data", i.data());
            } else {
                source.put("type", "url").put("url", i.url());
            }
            ObjectNode b = Json.mapper().createObjectNode().put("type", "image");
            b.set("source", source);
            return withCacheControl(b, i.cacheControl());
        }

        private ObjectNode toolResult(Part.ToolResult r) {
            ObjectNode b = Json.mapper().createObjectNode().put("type", "tool_result").put("tool_use_id", r.callId());
            ArrayNode content = Json.mapper().createArrayNode();
            for (Part p : r.content()) {
                if (p instanceof Part.Text || p instanceof Part.Image) {
                    ObjectNode inner = block(p);
                    if (inner != null) {
                        content.add(inner);
                    }
                } else {
                    dropped.add("tool_result." + kind(p)); // a tool result holds text and images only
                }
            }
            if (!content.isEmpty()) {
                b.set("content", content);
            }
            if (r.isError()) {
                b.put("is_error", true);
            }
            return withCacheControl(b, r.cacheControl());
        }

        /**
         * Thinking goes back with its signature byte for byte; Anthropic verifies it, so thinking without one
         * (another provider's reasoning) would be refused and is left out.
         */
        private ObjectNode thinking(Part.Thinking t) {
            if (t.signature() == null || t.signature().isEmpty()) {
                dropped.add("thinking");
                return null;
            }
            return Json.mapper().createObjectNode().put("type", "thinking").put("thinking", t.text())
                    .put("signature", t.signature());
        }

        /** Anthropic takes a tool call's input as a JSON object, the canonical model keeps it as JSON text. */
        private static JsonNode arguments(String arguments) {
            try {
                JsonNode input = Json.mapper().readTree(arguments);
                if (input != null && input.isObject()) {
                    return input;
                }
            } catch (IOException e) {
                // not JSON: an object is all Anthropic takes, so the call goes back without arguments
            }
            return Json.mapper().createObjectNode();
        }

        private void tools() {
            ArrayNode tools = Json.mapper().createArrayNode();
            for (Tool t : request.tools()) {
                switch (t) {
                    case Tool.Function f -> tools.add(function(f));
                    case Tool.Hosted h when h.family() == WireFamily.ANTHROPIC -> tools.add(h.raw().deepCopy());
                    // Capabilities refused the request already when such a tool was not optional.
                    case Tool.Hosted h -> dropped.add(h.name());
                }
            }
            if (!tools.isEmpty()) {
                body.set("tools", tools);
            }
            JsonNode choice = toolChoice(request.toolChoice(), request.parallelToolCalls());
            if (choice != null && !tools.isEmpty()) {
                body.set("tool_choice", choice);
            }
        }

        private static ObjectNode function(Tool.Function f) {
            ObjectNode tool = Json.mapper().createObjectNode().put("name", f.name());
            if (f.description() != null) {
                tool.put("description", f.description());
            }
            JsonNode schema = f.freeform() ? freeformSchema()
                    : f.parameters() != null ? f.parameters() : Json.mapper().createObjectNode().put("type", "object");
            tool.set("input_schema", schema);
            return withCacheControl(tool, f.cacheControl());
        }

        private static JsonNode freeformSchema() {
            try {
                return Json.mapper().readTree(FREEFORM_SCHEMA);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Parallel calls are switched off on the choice itself, so "no parallel calls" alone means auto. */
        private static JsonNode toolChoice(ToolChoice choice, Boolean parallel) {
            boolean noParallel = Boolean.FALSE.equals(parallel);
            if (choice == null && !noParallel) {
                return null;
            }
            ToolChoice.Mode mode = choice == null ? ToolChoice.Mode.AUTO : choice.mode();
            ObjectNode out = Json.mapper().createObjectNode();
            switch (mode) {
                case AUTO -> out.put("type", "auto");
                case REQUIRED -> out.put("type", "any");
                case NONE -> out.put("type", "none");
                case NAMED -> out.put("type", "tool").put("name", choice.name());
            }
            if (noParallel && mode != ToolChoice.Mode.NONE) { // "none" takes no other field
                out.put("disable_parallel_tool_use", true);
            }
            return out;
        }

        private void stopAndSampling() {
            if (!request.stop().isEmpty()) {
                ArrayNode stops = body.putArray("stop_sequences");
                request.stop().forEach(stops::add);
            }
            Sampling s = request.sampling();
            if (s.temperature() != null) {
                body.put("temperature", s.temperature());
            }
            if (s.topP() != null) {
                body.put("top_p", s.topP());
            }
            if (s.topK() != null) {
                body.put("top_k", s.topK());
            }
            // The Messages API has no seed or penalties.
            if (s.seed() != null) {
                dropped.add("seed");
            }
            if (s.presencePenalty() != null) {
                dropped.add("presence_penalty");
            }
            if (s.frequencyPenalty() != null) {
                dropped.add("frequency_penalty");
            }
        }

        /** Anthropic's metadata takes one field, {@code user_id}; any other key is refused upstream. */
        private void metadata() {
            for (Map.Entry<String, String> e : request.metadata().entrySet()) {
                if (e.getKey().equals("user") || e.getKey().equals("user_id")) {
                    body.putObject("metadata").put("user_id", e.getValue());
                } else {
                    dropped.add("metadata." + e.getKey());
                }
            }
        }

        /**
         * Thinking in Anthropic's terms. A budget must stay under {@code max_tokens} and at or above 1024: one that
         * does not fit is lowered, and dropped when even the minimum does not fit. An effort word alone (from an
         * OpenAI client) becomes a budget the same way.
         */
        private void reasoning(int maxTokens) {
            Reasoning r = request.reasoning();
            if (r == null || r.disabled()) {
                return;
            }
            ToolChoice choice = request.toolChoice();
            if (choice != null && (choice.mode() == ToolChoice.Mode.REQUIRED || choice.mode() == ToolChoice.Mode.NAMED)
                    && body.has("tools")) {
                // Anthropic refuses thinking with a forced tool choice (400); the tool call is what the client needs.
                dropped.add("thinking");
                return;
            }
            if (r.adaptive()) {
                body.putObject("thinking").put("type", "adaptive");
                // An Anthropic client's output_config (effort included) arrives whole with the passthrough fields.
                if (r.effort() != null && !sameFamily(request)) {
                    body.putObject("output_config").put("effort", r.effort());
                }
                return;
            }
            if (r.budgetTokens() != null) {
                int budget = Math.min(r.budgetTokens(), maxTokens - 1);
                enableThinking(budget, "thinking");
            } else if (r.effort() != null) {
                int budget = r.budgetOr(maxTokens);
                enableThinking(budget < maxTokens ? budget : -1, "reasoning_effort");
            }
        }

        /** With thinking on, Anthropic takes no temperature but 1 and no top_k: they are left out and named. */
        private void samplingThinkingAllows() {
            if (!body.has("thinking")) {
                return;
            }
            if (body.has("temperature") && body.get("temperature").asDouble() != 1.0) {
                body.remove("temperature");
                dropped.add("temperature");
            }
            if (body.remove("top_k") != null) {
                dropped.add("top_k");
            }
        }

        private void enableThinking(int budget, String nameWhenDropped) {
            if (budget < MIN_THINKING_BUDGET) {
                dropped.add(nameWhenDropped);
                return;
            }
            body.putObject("thinking").put("type", "enabled").put("budget_tokens", budget);
        }

        /**
         * An Anthropic client's own fields the canonical model does not carry (context_management, output_config,
         * service_tier, mcp_servers...) go upstream as they came, unless the body already says it otherwise.
         * Fields from another family's client mean nothing here: the default {@code dropped()} names them.
         */
        private void passthrough() {
            if (sameFamily(request)) {
                ObjectNode fields = request.passthrough().fields();
                if (fields != null) {
                    fields.properties().forEach(e -> {
                        if (!body.has(e.getKey())) {
                            body.set(e.getKey(), e.getValue().deepCopy());
                        }
                    });
                }
            } else {
                dropped.addAll(request.passthrough().fieldNames());
            }
        }

        /** A single plain text block as a string, the shape most clients send; anything else stays blocks. */
        private static JsonNode compact(ArrayNode blocks) {
            if (blocks.isEmpty()) {
                return null;
            }
            JsonNode only = blocks.get(0);
            if (blocks.size() == 1 && "text".equals(only.path("type").asText()) && !only.has("cache_control")) {
                return only.get("text");
            }
            return blocks;
        }

        private static ObjectNode withCacheControl(ObjectNode block, JsonNode cacheControl) {
            if (cacheControl != null && !cacheControl.isNull()) {
                block.set("cache_control", cacheControl.deepCopy());
            }
            return block;
        }

        private static String kind(Part p) {
            return switch (p) {
                case Part.Text t -> "text";
                case Part.Image i -> "image";
                case Part.ToolCall c -> "tool_call";
                case Part.ToolResult r -> "tool_result";
                case Part.Thinking t -> "thinking";
                case Part.RedactedThinking r -> "redacted_thinking";
            };
        }
    }
}
