package com.monkeycoder.cli.project;

import com.monkeycoder.shared.wire.ToolDefinition;

/** A tool the CLI runs for the model: its definition to send on {@code /v1/execute}, and what a call does. */
public interface Tool {

    ToolDefinition definition();

    /** Runs one call; bad arguments and refusals are error results, never exceptions. */
    ToolResult call(ToolArguments arguments);

    /** Whether calls count against the exploring budget (reading tools do; proposing an edit does not). */
    default boolean explores() {
        return true;
    }
}
