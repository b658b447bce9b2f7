package com.monkeycoder.daemon.conversation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.monkeycoder.shared.Json;

import java.util.ArrayList;
import java.util.List;

/**
 * Parts as the gateway's own JSON: the native API's message and answer shape, and the form the response cache
 * stores answers in. Each part is an object with a {@code type}: {@code text}, {@code image}, {@code tool_call},
 * {@code tool_result}, {@code thinking}, {@code redacted_thinking} (README, "The native API").
 */
public final class PartsJson {

    private PartsJson() {
    }

    /** A part that is not valid in the native shape; {@code field} is its path relative to the parts array. */
    public static final class Invalid extends Exception {
        private final String field;

        Invalid(String field, String problem) {
            super(problem, null, false, false);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    public static ArrayNode write(List<Part> parts) {
        ArrayNode out = Json.mapper().createArrayNode();
        for (Part p : parts) {
            out.add(write(p));
        }
        return out;
    }

    public static ObjectNode write(Part part) {
        ObjectNode o = Json.mapper().createObjectNode();
        switch (part) {
            case Part.Text t -> o.put("type", "text").put("text", t.text());
            case Part.Image i -> {
                o.put("type", "image");
                if (i.inline()) {
                    o.put("media_type", i.mediaType()).put("data", i.data());
                } else {
                    o.put("url", i.url());
                }
            }
            case Part.ToolCall c -> o.put("type", "tool_call").put("id", c.id()).put("name", c.name())
                    .put("arguments", c.arguments());
            case Part.ToolResult r -> {
                o.put("type", "tool_result").put("call_id", r.callId());
                o.set("content", write(r.content()));
                if (r.isError()) {
                    o.put("is_error", true);
                }
            }
            case Part.Thinking t -> {
                o.put("type", "thinking").put("text", t.text());
                if (t.signature() != null) {
                    o.put("signature", t.signature());
                }
            }
            case Part.RedactedThinking r -> o.put("type", "redacted_thinking").put("data", r.data());
        }
        return o;
    }

    public static List<Part> read(JsonNode parts) throws Invalid {
        if (parts == null || !parts.isArray()) {
            throw new Invalid("", "must be an array of parts");
        }
        List<Part> out = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            out.add(read(parts.get(i), "[" + i + "]"));
        }
        return out;
    }

    private static Part read(JsonNode p, String at) throws Invalid {
        String type = p.path("type").asText("");
        return switch (type) {
            case "text" -> new Part.Text(requireText(p, "text", at));
            case "image" -> {
                if (p.hasNonNull("url")) {
                    yield Part.Image.byUrl(p.get("url").asText());
                }
                yield Part.Image.inline(requireText(p, "media_type", at), requireText(p, "data", at));
            }
            case "tool_call" -> new Part.ToolCall(requireText(p, "id", at), requireText(p, "name", at),
                    p.path("arguments").isTextual() ? p.get("arguments").asText() : Json.write(p.path("arguments")));
            case "tool_result" -> {
                JsonNode content = p.get("content");
                List<Part> inner = content != null && content.isTextual() ? List.of(new Part.Text(content.asText()))
                        : read(content == null ? Json.mapper().createArrayNode() : content);
                yield new Part.ToolResult(requireText(p, "call_id", at), inner, p.path("is_error").asBoolean(false), null);
            }
            case "thinking" -> new Part.Thinking(p.path("text").asText(""), p.path("signature").asText(null));
            case "redacted_thinking" -> new Part.RedactedThinking(requireText(p, "data", at));
            default -> throw new Invalid(at + ".type",
                    "must be one of text, image, tool_call, tool_result, thinking, redacted_thinking");
        };
    }

    private static String requireText(JsonNode p, String field, String at) throws Invalid {
        JsonNode v = p.get(field);
        if (v == null || !v.isTextual()) {
            throw new Invalid(at + "." + field, "must be a string");
        }
        return v.asText();
    }
}
