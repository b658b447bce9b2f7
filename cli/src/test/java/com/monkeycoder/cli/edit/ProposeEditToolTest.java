package com.monkeycoder.cli.edit;

import com.monkeycoder.cli.project.ProjectRoot;
import com.monkeycoder.cli.project.ProjectTools;
import com.monkeycoder.cli.project.ToolBudget;
import com.monkeycoder.cli.project.ToolCall;
import com.monkeycoder.cli.project.ToolResult;
import com.monkeycoder.cli.project.Toolbox;
import com.monkeycoder.shared.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ProposeEditToolTest {

    @TempDir
    Path tmp;

    @Test
    void acceptedEditsAreCollectedAndABadOneIsAnsweredSoTheModelCanFixIt() throws IOException, EditRejected {
        Files.writeString(tmp.resolve("a.txt"), "one\ntwo\n");
        ProjectRoot root = ProjectRoot.of(tmp);
        ProposeEditTool propose = new ProposeEditTool(root);
        ToolBudget budget = new ToolBudget(1, 1024, 1024);
        List<com.monkeycoder.cli.project.Tool> tools = new ArrayList<>(new ProjectTools(root, budget).tools());
        tools.add(propose);
        Toolbox toolbox = new Toolbox(tools, budget);

        ToolResult good = toolbox.call(call(Map.of("path", "a.txt", "search", "two\n", "replace", "2\n")));
        ToolResult missing = toolbox.call(call(Map.of("path", "a.txt", "search", "three\n", "replace", "3\n")));
        ToolResult created = toolbox.call(call(Map.of("path", "b.txt", "content", "new\n")));
        ToolResult both = toolbox.call(call(Map.of("path", "c.txt", "content", "x", "search", "y")));
        toolbox.call(new ToolCall("r", "list_files", "{}"));
        ToolResult afterBudget = toolbox.call(call(Map.of("path", "b.txt", "content", "new\n")));

        assertThat(good.isError()).isFalse();
        assertThat(good.text()).startsWith("Edit 1 recorded: a.txt (edit, +1 -1 lines so far)");
        assertThat(missing.isError()).isTrue();
        assertThat(missing.text()).contains("matches nothing").contains("'three'");
        assertThat(created.isError()).isFalse();
        assertThat(both.isError()).isTrue();
        assertThat(afterBudget.isError()).as("proposing is not exploring: no budget").isTrue();
        assertThat(afterBudget.text()).contains("creates it again");
        assertThat(propose.edits()).containsExactly(new Edit.Replace("a.txt", "two\n", "2\n"),
                new Edit.Create("b.txt", "new\n"));
        assertThat(Files.readString(tmp.resolve("a.txt"))).isEqualTo("one\ntwo\n");
        assertThat(EditPlan.build(root, propose.edits()).changes()).hasSize(2);
    }

    private static ToolCall call(Map<String, String> arguments) {
        return new ToolCall("id", "propose_edit", Json.write(arguments));
    }
}
