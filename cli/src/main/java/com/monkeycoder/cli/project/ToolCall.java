package com.monkeycoder.cli.project;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.shared.Json;

/**
 * A tool call of the model's answer.
 *
 * @param arguments the arguments as the JSON text the model wrote
 */
public record ToolCall(String id, String name, String arguments) {

    /** From a {@code tool_call} part of the native API's answer ({@code parts} of the response). */
    public static ToolCall fromPart(JsonNode part) {
        JsonNode arguments = part.path("arguments");
        return new ToolCall(part.path("id").asText(null), part.path("name").asText(null),
                arguments.isTextual() ? arguments.asText() : arguments.isMissingNode() ? "{}" : Json.write(arguments));
    }
}
