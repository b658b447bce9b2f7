package com.monkeycoder.daemon.providers.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.monkeycoder.daemon.conversation.ConversationRequest;
import com.monkeycoder.daemon.conversation.Message;
import com.monkeycoder.daemon.conversation.Part;
import com.monkeycoder.daemon.conversation.Reasoning;
import com.monkeycoder.daemon.conversation.ResponseFormat;
import com.monkeycoder.daemon.conversation.Sampling;
import com.monkeycoder.daemon.conversation.Tool;
import com.monkeycoder.daemon.conversation.ToolChoice;
import com.monkeycoder.daemon.conversation.WireFamily;
import com.monkeycoder.shared.Json;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Writes a canonical request as an OpenAI Chat Completions body ({@code POST /chat/completions}), and says what of
 * it the format cannot carry. https://platform.openai.com/docs/api-reference/chat/create
 */
final class ChatCompletionsBody {

    /** The schema a freeform (custom) tool gets: its raw text travels as the one string argument {@code input}. */
    private static ObjectNode freeformSchema() {
        ObjectNode schema = Json.mapper().createObjectNode().put("type", "object");
        schema.putObject("properties").putObject("input").put("type", "string");
        schema.putArray("required").add("input");
        return schema;
    }

    private ChatCompletionsBody() {
    }

    /** The body for {@code provider} (its name decides the output cap's field). */
    static ObjectNode write(ConversationRequest request, String provider, boolean stream) {
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("model", request.model());
        body.set("messages", messages(request));
        tools(request, body);
        if (request.responseFormat() != null) {
            body.set("response_format", responseFormat(request.responseFormat()));
        }
        if (!request.stop().isEmpty()) {
            ArrayNode stop = body.putArray("stop");
            request.stop().forEach(stop::add);
        }
        sampling(request.sampling(), body);
        if (request.maxOutputTokens() != null) {
            // OpenAI deprecated max_tokens (its reasoning models refuse it); the other providers only know max_tokens.
            body.put(provider.equals("openai") ? "max_completion_tokens" : "max_tokens", request.maxOutputTokens());
        }
        String effort = effort(request.reasoning());
        if (effort != null) {
            body.put("reasoning_effort", effort);
        }
        String user = request.metadata().get("user");
        if (user != null) {
            body.put("user", user);
        }
        if (stream) {
            body.put("stream", true);
            // Without this the stream carries no usage, and the ledger would have to guess.
            body.putObject("stream_options").put("include_usage", true);
        }
        passthrough(request, body);
        return body;
    }

    /**
     * What of the request this format cannot carry, beyond the passthrough fields of another family (which the
     * adapter's default names): {@code top_k}, thinking to send back, hosted tools of other APIs.
     */
    static List<String> dropped(ConversationRequest request) {
        List<String> dropped = new ArrayList<>();
        if (request.sampling().topK() != null) {
            dropped.add("top_k");
        }
        // Chat Completions takes no reasoning back; only worth saying when the client is asking for reasoning.
        if (request.reasoning() != null && request.messages().stream().anyMatch(
                m -> m.has(Part.Thinking.class) || m.has(Part.RedactedThinking.class))) {
            dropped.add("thinking");
        }
        for (Tool tool : request.tools()) {
            if (tool instanceof Tool.Hosted h && h.family() != WireFamily.OPENAI_CHAT) {
                dropped.add(h.name());
            }
        }
        return dropped;
    }

    // --- messages ------------------------------------------------------------------------------------------

    private static ArrayNode messages(ConversationRequest request) {
        ArrayNode out = Json.mapper().createArrayNode();
        if (!request.system().isEmpty()) {
            out.addObject().put("role", "system").put("content", request.systemText());
        }
        for (Message m : request.messages()) {
            switch (m.role()) {
                case SYSTEM -> out.addObject().put("role", "system").put("content", m.text());
                case USER -> user(m, out);
                case ASSISTANT -> out.add(assistant(m));
            }
        }
        return out;
    }

    /**
     * A user turn: its tool results first, each as its own {@code tool} message (they must follow the assistant
     * turn that made the calls), then the rest as one {@code user} message. A {@code tool} message takes text
     * only, so images a tool returned join that user message.
     */
    private static void user(Message m, ArrayNode out) {
        List<Part> rest = new ArrayList<>();
        List<Part> toolImages = new ArrayList<>();
        for (Part p : m.parts()) {
            if (p instanceof Part.ToolResult r) {
                out.addObject().put("role", "tool").put("tool_call_id", r.callId()).put("content", r.text());
                r.content().stream().filter(Part.Image.class::isInstance).forEach(toolImages::add);
            } else {
                rest.add(p);
            }
        }
        rest.addAll(toolImages);
        if (!rest.isEmpty()) {
            out.addObject().put("role", "user").set("content", userContent(rest));
        }
    }

    /** One text part as a plain string (the common case, as clients send it); otherwise an array of parts. */
    private static JsonNode userContent(List<Part> parts) {
        if (parts.size() == 1 && parts.getFirst() instanceof Part.Text t) {
            return Json.mapper().getNodeFactory().textNode(t.text());
        }
        ArrayNode content = Json.mapper().createArrayNode();
        for (Part p : parts) {
            switch (p) {
                case Part.Text t -> content.addObject().put("type", "text").put("text", t.text());
                case Part.Image i -> content.addObject().put("type", "image_url")
                        .putObject("image_url").put("url", imageUrl(i));
                default -> {
                    // thinking and tool calls are never a user's; nothing to send
                }
            }
        }
        return content;
    }

    private static String imageUrl(Part.Image image) {
        return image.inline() ? "data:" + image.mediaType() + ";base64," + image.data() : image.url();
    }

    /** Text as {@code content} (null when the turn only calls tools, as OpenAI writes it), calls as {@code tool_calls}. */
    private static ObjectNode assistant(Message m) {
        ObjectNode out = Json.mapper().createObjectNode().put("role", "assistant");
        ArrayNode calls = Json.mapper().createArrayNode();
        for (Part p : m.parts()) {
            if (p instanceof Part.ToolCall c) {
                ObjectNode call = calls.addObject().put("id", c.id()).put("type", "function");
                call.putObject("function").put("name", c.name()).put("arguments", c.arguments());
            }
        }
        boolean hasText = m.has(Part.Text.class);
        if (hasText || calls.isEmpty()) {
            out.put("content", m.text());
        } else {
            out.putNull("content");
        }
        if (!calls.isEmpty()) {
            out.set("tool_calls", calls);
        }
        return out;
    }

    // --- tools ---------------------------------------------------------------------------------------------

    /**
     * {@code tools}, {@code tool_choice} and {@code parallel_tool_calls}; the last two only along with tools, since
     * OpenAI refuses them alone (which happens when every tool offered was another API's hosted one).
     */
    private static void tools(ConversationRequest request, ObjectNode body) {
        ArrayNode tools = Json.mapper().createArrayNode();
        for (Tool tool : request.tools()) {
            switch (tool) {
                case Tool.Function f -> tools.add(function(f));
                case Tool.Hosted h when h.family() == WireFamily.OPENAI_CHAT -> tools.add(h.raw());
                case Tool.Hosted h -> {
                    // another API's tool: named by dropped(); a required one was refused before routing
                }
            }
        }
        if (tools.isEmpty()) {
            return;
        }
        body.set("tools", tools);
        if (request.toolChoice() != null) {
            body.set("tool_choice", toolChoice(request.toolChoice()));
        }
        if (request.parallelToolCalls() != null) {
            body.put("parallel_tool_calls", request.parallelToolCalls());
        }
    }

    private static ObjectNode function(Tool.Function f) {
        ObjectNode tool = Json.mapper().createObjectNode().put("type", "function");
        ObjectNode function = tool.putObject("function").put("name", f.name());
        if (f.description() != null) {
            function.put("description", f.description());
        }
        if (f.freeform()) {
            function.set("parameters", freeformSchema());
        } else if (f.parameters() != null) {
            function.set("parameters", f.parameters());
        }
        if (f.strict() != null) {
            function.put("strict", f.strict());
        }
        return tool;
    }

    private static JsonNode toolChoice(ToolChoice choice) {
        var nodes = Json.mapper().getNodeFactory();
        return switch (choice.mode()) {
            case AUTO -> nodes.textNode("auto");
            case NONE -> nodes.textNode("none");
            case REQUIRED -> nodes.textNode("required");
            case NAMED -> {
                ObjectNode named = nodes.objectNode().put("type", "function");
                named.putObject("function").put("name", choice.name());
                yield named;
            }
        };
    }

    // --- output and sampling -------------------------------------------------------------------------------

    private static ObjectNode responseFormat(ResponseFormat format) {
        ObjectNode out = Json.mapper().createObjectNode();
        switch (format.kind()) {
            case TEXT -> out.put("type", "text");
            case JSON_OBJECT -> out.put("type", "json_object");
            case JSON_SCHEMA -> {
                out.put("type", "json_schema");
                // OpenAI requires a name; a client of a dialect without one gets a neutral one.
                ObjectNode schema = out.putObject("json_schema").put("name", format.name() == null ? "response" : format.name());
                if (format.schema() != null) {
                    schema.set("schema", format.schema());
                }
                if (format.strict() != null) {
                    schema.put("strict", format.strict());
                }
            }
        }
        return out;
    }

    private static void sampling(Sampling s, ObjectNode body) {
        if (s.temperature() != null) {
            body.put("temperature", s.temperature());
        }
        if (s.topP() != null) {
            body.put("top_p", s.topP());
        }
        if (s.seed() != null) {
            body.put("seed", s.seed());
        }
        if (s.presencePenalty() != null) {
            body.put("presence_penalty", s.presencePenalty());
        }
        if (s.frequencyPenalty() != null) {
            body.put("frequency_penalty", s.frequencyPenalty());
        }
    }

    /**
     * {@code reasoning_effort}: the effort word as given, or a token budget sized into a word on the same scale
     * {@link Reasoning#budgetOr} uses the other way round. Nothing for adaptive or disabled thinking: the model's
     * default is the closest this format has.
     */
    static String effort(Reasoning reasoning) {
        if (reasoning == null || reasoning.disabled()) {
            return null;
        }
        if (reasoning.effort() != null) {
            return reasoning.effort();
        }
        if (reasoning.budgetTokens() == null) {
            return null;
        }
        int budget = reasoning.budgetTokens();
        return budget <= 2048 ? "low" : budget <= 8192 ? "medium" : "high";
    }

    /**
     * A client that spoke Chat Completions keeps what the canonical model does not know ({@code logprobs},
     * {@code logit_bias}, {@code service_tier}...): copied as sent, never over a field the gateway set itself.
     */
    private static void passthrough(ConversationRequest request, ObjectNode body) {
        ObjectNode fields = request.passthrough().fields();
        if (request.passthrough().family() != WireFamily.OPENAI_CHAT || fields == null) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = fields.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!body.has(field.getKey())) {
                body.set(field.getKey(), field.getValue());
            }
        }
    }
}
