package com.monkeycoder.daemon.providers.gemini;

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
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A canonical request written as a Gemini {@code GenerateContentRequest} body, with the names of what it had to
 * leave out. Both come from one pass, so {@code dropped()} names exactly what the body lacks.
 */
record GeminiRequest(ObjectNode body, List<String> dropped) {

    static GeminiRequest of(ConversationRequest request) {
        Writer w = new Writer(request);
        w.write();
        return new GeminiRequest(w.body, List.copyOf(w.dropped));
    }

    private static final class Writer {
        private final ConversationRequest request;
        private final ObjectNode body = Json.mapper().createObjectNode();
        private final Set<String> dropped = new LinkedHashSet<>();
        /** Tool names by call id, from the calls seen so far: a functionResponse must name its function. */
        private final Map<String, String> callNames = new HashMap<>();

        Writer(ConversationRequest request) {
            this.request = request;
        }

        void write() {
            ArrayNode system = Json.mapper().createArrayNode();
            addSystemText(system, request.system());
            ArrayNode contents = body.putArray("contents");
            for (Message m : request.messages()) {
                if (m.role() == Role.SYSTEM) {
                    // Gemini has one system instruction and no system turns: a mid-conversation one joins it.
                    addSystemText(system, m.parts());
                } else {
                    addTurn(contents, m);
                }
            }
            if (!system.isEmpty()) {
                body.putObject("systemInstruction").set("parts", system);
            }
            tools();
            generationConfig();
            passthrough();
        }

        private void addSystemText(ArrayNode system, List<Part> parts) {
            for (Part p : parts) {
                if (p instanceof Part.Text t && !t.text().isEmpty()) {
                    system.addObject().put("text", t.text());
                }
            }
        }

        /** One turn, merged into the previous content when the same side speaks again (Gemini wants them alternating). */
        private void addTurn(ArrayNode contents, Message m) {
            String role = m.role() == Role.ASSISTANT ? "model" : "user";
            ArrayNode parts = Json.mapper().createArrayNode();
            addParts(parts, m.parts());
            if (parts.isEmpty()) {
                return; // everything in it was dropped; Gemini refuses a content without parts
            }
            JsonNode last = contents.isEmpty() ? null : contents.get(contents.size() - 1);
            if (last != null && role.equals(last.path("role").asText())) {
                ((ArrayNode) last.get("parts")).addAll(parts);
            } else {
                ObjectNode content = contents.addObject();
                content.put("role", role);
                content.set("parts", parts);
            }
        }

        private void addParts(ArrayNode out, List<Part> parts) {
            // Gemini wants a thoughtSignature back on the very part it came with; the canonical model keeps it on
            // the Thinking part before that one, so it waits here for the next part written.
            String signature = null;
            for (Part p : parts) {
                ObjectNode written = switch (p) {
                    case Part.Text t -> t.text().isEmpty() && signature == null ? null
                            : Json.mapper().createObjectNode().put("text", t.text());
                    case Part.Image i -> image(i);
                    case Part.ToolCall c -> functionCall(c);
                    case Part.ToolResult r -> functionResponse(r);
                    case Part.Thinking t -> {
                        if (t.signature() != null) {
                            signature = t.signature();
                        } else if (!t.text().isEmpty()) {
                            dropped.add("thinking"); // another provider's reasoning, which Gemini cannot take
                        }
                        yield null;
                    }
                    case Part.RedactedThinking r -> {
                        dropped.add("redacted_thinking");
                        yield null;
                    }
                };
                if (written != null) {
                    if (signature != null) {
                        written.put("thoughtSignature", signature);
                        signature = null;
                    }
                    out.add(written);
                }
            }
            if (signature != null) {
                // a signature with nothing after it in the turn: Gemini itself sends it on an empty text part
                out.addObject().put("text", "").put("thoughtSignature", signature);
            }
        }

        private ObjectNode image(Part.Image i) {
            ObjectNode part = Json.mapper().createObjectNode();
            if (i.inline()) {
                part.putObject("inlineData").put("mimeType", i.mediaType()).put("data", i.data());
            } else {
                // only when nothing is sent (dropped()): GeminiAdapter fetches URL images inline before a call
                part.putObject("fileData").put("mimeType", mimeType(i.url())).put("fileUri", i.url());
            }
            return part;
        }

        private ObjectNode functionCall(Part.ToolCall c) {
            callNames.put(c.id(), c.name());
            ObjectNode part = Json.mapper().createObjectNode();
            ObjectNode call = part.putObject("functionCall");
            call.put("name", c.name());
            call.set("args", arguments(c));
            return part;
        }

        private ObjectNode functionResponse(Part.ToolResult r) {
            ObjectNode part = Json.mapper().createObjectNode();
            ObjectNode response = part.putObject("functionResponse");
            // Gemini matches a response to its call by function name; a result whose call is not in the history
            // keeps its call id there, as the only name there is.
            response.put("name", callNames.getOrDefault(r.callId(), r.callId()));
            response.putObject("response").put(r.isError() ? "error" : "content", r.text());
            if (r.content().stream().anyMatch(Part.Image.class::isInstance)) {
                dropped.add("tool_result.image");
            }
            return part;
        }

        private static JsonNode arguments(Part.ToolCall c) {
            try {
                JsonNode args = Json.mapper().readTree(c.arguments());
                if (args != null && args.isObject()) {
                    return args;
                }
            } catch (IOException e) {
                // falls through: the codecs only let JSON objects in, so this is a bug upstream of here
            }
            throw new IllegalArgumentException("tool call " + c.id() + " has arguments that are not a JSON object");
        }

        private void tools() {
            ArrayNode tools = Json.mapper().createArrayNode();
            ArrayNode declarations = Json.mapper().createArrayNode();
            for (Tool tool : request.tools()) {
                switch (tool) {
                    case Tool.Function f -> declarations.add(declaration(f));
                    case Tool.Hosted h when h.family() == WireFamily.GEMINI -> tools.add(h.raw()); // googleSearch...
                    case Tool.Hosted h -> dropped.add(h.name()); // routing refuses the ones that are not optional
                }
            }
            if (!declarations.isEmpty()) {
                tools.insertObject(0).set("functionDeclarations", declarations);
            }
            if (!tools.isEmpty()) {
                body.set("tools", tools);
            }
            if (request.toolChoice() != null) {
                body.putObject("toolConfig").set("functionCallingConfig", functionCallingConfig(request.toolChoice()));
            }
            if (Boolean.FALSE.equals(request.parallelToolCalls())) {
                dropped.add("parallel_tool_calls"); // Gemini has no switch for it
            }
        }

        private static ObjectNode declaration(Tool.Function f) {
            ObjectNode d = Json.mapper().createObjectNode();
            d.put("name", f.name());
            if (f.description() != null) {
                d.put("description", f.description());
            }
            if (f.freeform()) {
                // a custom tool's raw text input travels as one string argument, unwrapped again by its codec
                ObjectNode params = d.putObject("parameters").put("type", "object");
                params.putObject("properties").putObject("input").put("type", "string");
                params.putArray("required").add("input");
            } else if (f.parameters() != null && !f.parameters().isEmpty()) {
                d.set("parameters", GeminiSchema.strip(f.parameters()));
            }
            return d;
        }

        private static ObjectNode functionCallingConfig(ToolChoice choice) {
            ObjectNode config = Json.mapper().createObjectNode();
            switch (choice.mode()) {
                case AUTO -> config.put("mode", "AUTO");
                case REQUIRED -> config.put("mode", "ANY");
                case NONE -> config.put("mode", "NONE");
                case NAMED -> {
                    config.put("mode", "ANY");
                    config.putArray("allowedFunctionNames").add(choice.name());
                }
            }
            return config;
        }

        private void generationConfig() {
            ObjectNode g = Json.mapper().createObjectNode();
            Sampling s = request.sampling();
            putIfSet(g, "temperature", s.temperature());
            putIfSet(g, "topP", s.topP());
            putIfSet(g, "topK", s.topK());
            putIfSet(g, "maxOutputTokens", request.maxOutputTokens());
            if (!request.stop().isEmpty()) {
                ArrayNode stops = g.putArray("stopSequences");
                request.stop().forEach(stops::add);
            }
            putIfSet(g, "seed", s.seed());
            putIfSet(g, "presencePenalty", s.presencePenalty());
            putIfSet(g, "frequencyPenalty", s.frequencyPenalty());
            responseFormat(g, request.responseFormat());
            thinking(g, request.reasoning());
            if (!g.isEmpty()) {
                body.set("generationConfig", g);
            }
        }

        private static void responseFormat(ObjectNode g, ResponseFormat format) {
            if (format == null || format.kind() == ResponseFormat.Kind.TEXT) {
                return;
            }
            g.put("responseMimeType", "application/json");
            if (format.kind() == ResponseFormat.Kind.JSON_SCHEMA && format.schema() != null) {
                g.set("responseSchema", GeminiSchema.strip(format.schema()));
            }
        }

        private void thinking(ObjectNode g, Reasoning reasoning) {
            // Turned off, it is left out: thinkingBudget 0 is refused by the models that cannot stop thinking.
            if (reasoning == null || reasoning.disabled()) {
                return;
            }
            ObjectNode t = g.putObject("thinkingConfig");
            if (reasoning.adaptive() && reasoning.budgetTokens() == null) {
                t.put("thinkingBudget", -1); // Gemini's dynamic thinking: the model sizes its own budget
            } else {
                // no output cap sent: Gemini's own cap is far above any effort's budget, so the effort decides
                int cap = request.maxOutputTokens() == null ? Integer.MAX_VALUE : request.maxOutputTokens();
                t.put("thinkingBudget", reasoning.budgetOr(cap));
            }
            t.put("includeThoughts", true);
        }

        /** Fields a Gemini client sent that the canonical model does not know (safetySettings, cachedContent...). */
        private void passthrough() {
            var p = request.passthrough();
            if (p.family() != WireFamily.GEMINI || p.fields() == null) {
                return;
            }
            p.fields().fields().forEachRemaining(e -> {
                if (!body.has(e.getKey())) {
                    body.set(e.getKey(), e.getValue());
                }
            });
        }

        private static void putIfSet(ObjectNode o, String field, Number value) {
            switch (value) {
                case null -> {
                }
                case Double d -> o.put(field, d);
                case Long l -> o.put(field, l);
                case Integer i -> o.put(field, i);
                default -> o.put(field, value.doubleValue());
            }
        }
    }

    /** An image URL's type from its extension; Gemini needs one, and JPEG is the likeliest when it does not say. */
    static String mimeType(String url) {
        String path = url.toLowerCase(Locale.ROOT);
        int cut = path.indexOf('?');
        path = cut < 0 ? path : path.substring(0, cut);
        String ext = path.substring(path.lastIndexOf('.') + 1);
        return switch (ext) {
            case "png" -> "image/png";
            case "gif" -> "image/gif";
            case "webp" -> "image/webp";
            case "heic" -> "image/heic";
            case "heif" -> "image/heif";
            default -> "image/jpeg";
        };
    }
}
