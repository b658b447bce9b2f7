package com.monkeycoder.shared.wire;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One tool offered to the model in the {@code tools} array of {@code POST /v1/execute}: its name (letters, digits,
 * {@code _} and {@code -}, at most 64), what it does, and its parameters as a JSON Schema object.
 */
public record ToolDefinition(String name, String description, JsonNode parameters) {
}
