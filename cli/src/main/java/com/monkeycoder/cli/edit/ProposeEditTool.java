package com.monkeycoder.cli.edit;

import com.monkeycoder.cli.project.ProjectRoot;
import com.monkeycoder.cli.project.Tool;
import com.monkeycoder.cli.project.ToolArguments;
import com.monkeycoder.cli.project.ToolResult;
import com.monkeycoder.shared.Json;
import com.monkeycoder.shared.wire.ToolDefinition;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code propose_edit} tool: the model hands its edits one call at a time. Each is checked at once against the
 * files and the edits accepted before it, so a search block that does not match exactly once comes back to the
 * model as an error it can correct in the same turn; nothing is written, the accepted edits make the plan the user
 * reviews.
 */
public final class ProposeEditTool implements Tool {

    public static final int MAX_EDITS = 200;

    private static final ToolDefinition DEFINITION = describe();

    private final ProjectRoot root;
    private final List<Edit> accepted = new ArrayList<>();

    public ProposeEditTool(ProjectRoot root) {
        this.root = root;
    }

    /** The edits accepted so far, in the order proposed. */
    public synchronized List<Edit> edits() {
        return List.copyOf(accepted);
    }

    @Override
    public ToolDefinition definition() {
        return DEFINITION;
    }

    @Override
    public boolean explores() {
        return false;
    }

    @Override
    public synchronized ToolResult call(ToolArguments arguments) {
        String path = arguments.string("path");
        String search = arguments.optionalString("search");
        String replace = arguments.optionalString("replace");
        String content = arguments.optionalString("content");
        Edit edit;
        if (content != null && search == null && replace == null) {
            edit = new Edit.Create(path, content);
        } else if (search != null && replace != null && content == null) {
            edit = new Edit.Replace(path, search, replace);
        } else {
            return ToolResult.error("propose_edit: give either search and replace (to change an existing file) or"
                    + " content (the whole of a new file)");
        }
        if (accepted.size() >= MAX_EDITS) {
            return ToolResult.error("propose_edit: " + MAX_EDITS + " edits is the most one answer may propose");
        }
        List<Edit> candidate = new ArrayList<>(accepted);
        candidate.add(edit);
        EditPlan plan;
        try {
            plan = EditPlan.build(root, candidate);
        } catch (EditRejected e) {
            return ToolResult.error("Edit not recorded: " + e.getMessage());
        }
        accepted.add(edit);
        EditPlan.FileChange file = plan.files().stream()
                .filter(f -> root.file(path) instanceof ProjectRoot.Location.Inside in && in.relative().equals(f.path()))
                .findFirst().orElseThrow();
        return ToolResult.ok("Edit " + accepted.size() + " recorded: " + file.path() + " (" + file.action().label()
                + ", +" + file.stats().added() + " -" + file.stats().removed() + " lines so far). Nothing is written"
                + " until the user accepts all the edits.");
    }

    private static ToolDefinition describe() {
        try {
            return new ToolDefinition("propose_edit",
                    "Propose one change to the project. To change an existing file give path, search (text copied"
                            + " exactly from the file, whole lines with their indentation, enough of them to occur"
                            + " exactly once) and replace (what replaces it). To add a new file give path and its"
                            + " whole content. Call once per change; the user reviews all of them before anything"
                            + " is written.",
                    Json.mapper().readTree("""
                            {"type":"object","properties":{
                              "path":{"type":"string","description":"The file's path relative to the project folder"},
                              "search":{"type":"string","description":"Exact text of the existing file to replace; must occur exactly once"},
                              "replace":{"type":"string","description":"The text that replaces search"},
                              "content":{"type":"string","description":"The whole content of a new file"}
                            },"required":["path"],"additionalProperties":false}"""));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
