package com.monkeycoder.cli.project;

import com.fasterxml.jackson.databind.JsonNode;

/** The arguments of one tool call, read with the checks a model's JSON needs: present, and of the right type. */
public final class ToolArguments {

    /** An argument is missing or of the wrong type; the toolbox turns it into an error result for the model. */
    public static final class Invalid extends RuntimeException {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    private final String tool;
    private final JsonNode node;

    ToolArguments(String tool, JsonNode node) {
        this.tool = tool;
        this.node = node;
    }

    public String string(String name) {
        String value = optionalString(name);
        if (value == null) {
            throw new Invalid(tool + " needs the argument \"" + name + "\" (a string)");
        }
        return value;
    }

    /** The string argument, or null when it is absent or null. */
    public String optionalString(String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new Invalid(tool + ": \"" + name + "\" must be a string");
        }
        return value.asText();
    }

    /** The whole-number argument, or null when it is absent or null. */
    public Integer optionalInt(String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isTextual() && value.asText().strip().matches("\\d{1,9}")) {
            return Integer.parseInt(value.asText().strip()); // some models quote numbers
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber()) {
            throw new Invalid(tool + ": \"" + name + "\" must be a whole number");
        }
        return value.asInt();
    }

    public boolean flag(String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return false;
        }
        if (value.isTextual() && value.asText().matches("true|false")) {
            return Boolean.parseBoolean(value.asText());
        }
        if (!value.isBoolean()) {
            throw new Invalid(tool + ": \"" + name + "\" must be true or false");
        }
        return value.asBoolean();
    }
}
