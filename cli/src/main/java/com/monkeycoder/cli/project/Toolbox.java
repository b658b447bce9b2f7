package com.monkeycoder.cli.project;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.shared.Json;
import com.monkeycoder.shared.wire.ToolDefinition;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tools of one run and the one place their calls go through: the call is matched to its tool by name, its
 * arguments are parsed, the exploring budget is counted and applied to the result. Whatever goes wrong (an unknown
 * tool, arguments that are not JSON, a spent budget) comes back as an error result for the model.
 */
public final class Toolbox {

    private final Map<String, Tool> tools = new LinkedHashMap<>();
    private final ToolBudget budget;

    public Toolbox(List<Tool> tools, ToolBudget budget) {
        for (Tool tool : tools) {
            if (this.tools.putIfAbsent(tool.definition().name(), tool) != null) {
                throw new IllegalArgumentException("two tools are named " + tool.definition().name());
            }
        }
        this.budget = budget;
    }

    /** The definitions to send as {@code tools} on {@code /v1/execute}. */
    public List<ToolDefinition> definitions() {
        return tools.values().stream().map(Tool::definition).toList();
    }

    public ToolBudget budget() {
        return budget;
    }

    public ToolResult call(ToolCall call) {
        Tool tool = call.name() == null ? null : tools.get(call.name());
        if (tool == null) {
            return ToolResult.error("There is no tool named '" + call.name() + "'. The tools are: "
                    + String.join(", ", tools.keySet()) + ".");
        }
        JsonNode arguments;
        try {
            String text = call.arguments() == null || call.arguments().isBlank() ? "{}" : call.arguments();
            arguments = Json.mapper().readTree(text);
        } catch (IOException e) {
            return ToolResult.error(call.name() + ": the arguments are not valid JSON");
        }
        if (arguments == null || !arguments.isObject()) {
            return ToolResult.error(call.name() + ": the arguments must be a JSON object");
        }
        if (tool.explores()) {
            Optional<String> refused = budget.startCall();
            if (refused.isPresent()) {
                return ToolResult.error(refused.get());
            }
        }
        ToolResult result;
        try {
            result = tool.call(new ToolArguments(call.name(), arguments));
        } catch (ToolArguments.Invalid e) {
            return ToolResult.error(e.getMessage());
        }
        return tool.explores() ? budget.charge(result) : result;
    }
}
