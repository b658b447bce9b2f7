package com.monkeycoder.daemon.providers.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.monkeycoder.shared.Json;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * JSON Schema cut down to the OpenAPI subset Gemini's {@code Schema} takes: Gemini refuses the whole request over
 * one key it does not know ({@code $schema}, {@code additionalProperties}, {@code strict}...), so every other key is
 * left out, at every depth.
 */
final class GeminiSchema {

    /** Keys of Gemini's Schema object that carry no nested schema. */
    private static final Set<String> KEPT = Set.of("type", "format", "title", "description", "nullable", "enum",
            "required", "minimum", "maximum", "minItems", "maxItems", "minLength", "maxLength", "pattern",
            "minProperties", "maxProperties", "propertyOrdering", "example", "default");

    private GeminiSchema() {
    }

    static JsonNode strip(JsonNode schema) {
        if (!schema.isObject()) {
            return schema;
        }
        ObjectNode out = Json.mapper().createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = schema.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            JsonNode value = e.getValue();
            switch (key) {
                case "type" -> type(out, value);
                case "properties" -> out.set(key, properties(value));
                case "items" -> out.set(key, strip(value));
                case "anyOf" -> out.set(key, each(value));
                default -> {
                    if (KEPT.contains(key)) {
                        out.set(key, value);
                    }
                }
            }
        }
        return out;
    }

    /** JSON Schema's {@code "type": ["string", "null"]} is Gemini's {@code "type": "string", "nullable": true}. */
    private static void type(ObjectNode out, JsonNode type) {
        if (!type.isArray()) {
            out.set("type", type);
            return;
        }
        for (JsonNode t : type) {
            if ("null".equals(t.asText())) {
                out.put("nullable", true);
            } else if (!out.has("type")) {
                out.set("type", t);
            }
        }
    }

    /** Property names are the caller's own and all stay; each property's schema is stripped. */
    private static ObjectNode properties(JsonNode properties) {
        ObjectNode out = Json.mapper().createObjectNode();
        properties.fields().forEachRemaining(e -> out.set(e.getKey(), strip(e.getValue())));
        return out;
    }

    private static ArrayNode each(JsonNode schemas) {
        ArrayNode out = Json.mapper().createArrayNode();
        schemas.forEach(s -> out.add(strip(s)));
        return out;
    }
}
