package com.monkeycoder.daemon.server;

import com.monkeycoder.daemon.errors.ApiError;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads fields of the compatible APIs' request bodies (OpenAI, Anthropic), which arrive as JSON trees: each
 * wrong field becomes a 422 that names it.
 */
final class RequestFields {

    private RequestFields() {
    }

    static String requiredText(JsonNode body, String field, String problem) {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw ApiError.validation(field, problem);
        }
        return value.asText();
    }

    static boolean flag(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw ApiError.validation(field, "must be true or false");
        }
        return value.asBoolean();
    }

    static Double number(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber()) {
            throw ApiError.validation(field, "must be a number");
        }
        return v.asDouble();
    }

    static Integer integer(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw ApiError.validation(field, "must be a whole number");
        }
        return v.asInt();
    }

    /** A message's content: a string, or an array of text parts (both APIs use {@code {"type":"text","text"}}). */
    static String content(JsonNode content, String field) {
        if (content == null || content.isNull()) {
            throw ApiError.validation(field, "must not be null");
        }
        if (content.isTextual()) {
            return content.asText();
        }
        if (content.isArray()) {
            return textParts(content, field);
        }
        throw ApiError.validation(field, "must be a string or an array of text parts");
    }

    /** Joins text parts; any other part (images, files, tools) is something this gateway cannot pass on yet. */
    static String textParts(JsonNode parts, String field) {
        StringBuilder text = new StringBuilder();
        for (JsonNode part : parts) {
            String type = part.path("type").asText();
            if (!type.equals("text")) {
                throw ApiError.validation(field, "has a '" + type + "' part; this gateway takes text parts only");
            }
            text.append(part.path("text").asText());
        }
        return text.toString();
    }
}
