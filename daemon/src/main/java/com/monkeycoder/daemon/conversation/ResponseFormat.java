package com.monkeycoder.daemon.conversation;

import com.fasterxml.jackson.databind.JsonNode;

/** Structured output: free text, any JSON object, or JSON matching {@code schema}. */
public record ResponseFormat(Kind kind, String name, JsonNode schema, Boolean strict) {

    public enum Kind { TEXT, JSON_OBJECT, JSON_SCHEMA }
}
