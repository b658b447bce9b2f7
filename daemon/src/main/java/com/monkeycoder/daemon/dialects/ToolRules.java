package com.monkeycoder.daemon.dialects;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.daemon.conversation.Message;
import com.monkeycoder.daemon.conversation.Part;
import com.monkeycoder.daemon.conversation.Tool;
import com.monkeycoder.daemon.conversation.ToolChoice;
import com.monkeycoder.daemon.errors.ApiError;
import com.monkeycoder.shared.Json;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checks every dialect makes of tools and tool turns before anything reaches a provider: names every provider
 * accepts, schemas that are JSON objects, arguments that are JSON objects, call ids used once, results that answer
 * an earlier call, and a tool choice that names an offered tool. Each failure names the dialect's own field.
 */
public final class ToolRules {

    /** The tool names OpenAI, Anthropic and Gemini all accept. */
    public static final Pattern NAME = Pattern.compile("^[a-zA-Z0-9_-]{1,64}$");

    private ToolRules() {
    }

    public static void checkName(String name, String field) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw ApiError.validation(field, "must be 1 to 64 letters, digits, '_' or '-'");
        }
    }

    public static void checkSchema(JsonNode schema, String field) {
        if (schema != null && !schema.isNull() && !schema.isObject()) {
            throw ApiError.validation(field, "must be a JSON Schema object");
        }
        if (schema != null && schema.has("type") && !schema.path("type").asText().equals("object")) {
            throw ApiError.validation(field + ".type", "must be \"object\": tool parameters are an object");
        }
    }

    /** Arguments as a client sent them: JSON object text. */
    public static void checkArguments(String arguments, String field) {
        if (arguments == null || arguments.isEmpty()) {
            return;
        }
        try {
            if (!Json.mapper().readTree(arguments).isObject()) {
                throw ApiError.validation(field, "must be a JSON object");
            }
        } catch (IOException e) {
            throw ApiError.validation(field, "is not valid JSON");
        }
    }

    /** Every call id is used once, every result answers an earlier call. {@code where} names a message's field. */
    public static void checkTurns(List<Message> messages, MessageField where) {
        Set<String> calls = new HashSet<>();
        for (int i = 0; i < messages.size(); i++) {
            List<Part> parts = messages.get(i).parts();
            for (int j = 0; j < parts.size(); j++) {
                switch (parts.get(j)) {
                    case Part.ToolCall c -> {
                        if (c.id() == null || c.id().isEmpty()) {
                            throw ApiError.validation(where.of(i, j, "id"), "must name the tool call");
                        }
                        if (!calls.add(c.id())) {
                            throw ApiError.validation(where.of(i, j, "id"), "reuses the tool call id '" + c.id() + "'");
                        }
                    }
                    case Part.ToolResult r -> {
                        if (!calls.contains(r.callId())) {
                            throw ApiError.validation(where.of(i, j, "tool_call_id"), "'" + r.callId()
                                    + "' answers no earlier tool call");
                        }
                    }
                    default -> {
                    }
                }
            }
        }
    }

    /** A named tool choice must name a tool that is offered. */
    public static void checkChoice(ToolChoice choice, List<Tool> tools, String field) {
        if (choice == null || choice.mode() != ToolChoice.Mode.NAMED) {
            if (choice != null && choice.mode() == ToolChoice.Mode.REQUIRED && tools.isEmpty()) {
                throw ApiError.validation(field, "requires a tool call, but no tools are offered");
            }
            return;
        }
        for (Tool t : tools) {
            if (t.name().equals(choice.name())) {
                return;
            }
        }
        throw ApiError.validation(field, "names the tool '" + choice.name() + "', which is not offered");
    }

    /** How a dialect names the field of part {@code part} of message {@code message}. */
    @FunctionalInterface
    public interface MessageField {
        String of(int message, int part, String field);
    }
}
