package com.monkeycoder.daemon.dialects;

import com.monkeycoder.daemon.errors.ApiError;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads fields of the compatible APIs' request bodies (OpenAI, Anthropic), which arrive as JSON trees: each
 * wrong field becomes a 422 that names it.
 */
public final class JsonFields {

    private JsonFields() {
    }

    public static String requiredText(JsonNode body, String field, String problem) {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw ApiError.validation(field, problem);
        }
        return value.asText();
    }

    public static boolean flag(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw ApiError.validation(field, "must be true or false");
        }
        return value.asBoolean();
    }

    public static Double number(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber()) {
            throw ApiError.validation(field, "must be a number");
        }
        return v.asDouble();
    }

    public static Integer integer(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw ApiError.validation(field, "must be a whole number");
        }
        return v.asInt();
    }

    /** A list of strings, or a single string taken as a list of one; null when absent. */
    public static java.util.List<String> strings(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isTextual()) {
            return java.util.List.of(v.asText());
        }
        if (!v.isArray()) {
            throw ApiError.validation(field, "must be a string or an array of strings");
        }
        java.util.List<String> out = new java.util.ArrayList<>();
        for (JsonNode item : v) {
            if (!item.isTextual()) {
                throw ApiError.validation(field, "must be an array of strings");
            }
            out.add(item.asText());
        }
        return out;
    }

    /** A string field that may be absent; wrong types are refused. */
    public static String text(JsonNode body, String field, String path) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw ApiError.validation(path, "must be a string");
        }
        return v.asText();
    }
}
