package com.monkeycoder.cli.project;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.monkeycoder.shared.Json;

import java.nio.charset.StandardCharsets;

/**
 * What a tool answers the model. A refusal (a path outside the project, a binary file, a spent budget) is a result
 * with {@code isError} set, never an exception, so the model reads why and the run goes on.
 *
 * @param bytesRead the bytes of project content this result hands the model (0 for an error)
 */
public record ToolResult(String text, boolean isError, long bytesRead) {

    public static ToolResult ok(String text) {
        return new ToolResult(text, false, text.getBytes(StandardCharsets.UTF_8).length);
    }

    public static ToolResult error(String text) {
        return new ToolResult(text, true, 0);
    }

    /** The {@code tool_result} part of the native API that answers the call {@code callId}. */
    public ObjectNode toPart(String callId) {
        ObjectNode part = Json.mapper().createObjectNode().put("type", "tool_result").put("call_id", callId)
                .put("content", text);
        if (isError) {
            part.put("is_error", true);
        }
        return part;
    }
}
