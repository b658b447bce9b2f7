package com.monkeycoder.cli.project;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.daemon.dialects.IngressRequest;
import com.monkeycoder.daemon.dialects.nativeapi.ExecuteDialect;
import com.monkeycoder.daemon.tasks.TaskCatalog;
import com.monkeycoder.shared.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ToolboxTest {

    @TempDir
    Path tmp;

    private Toolbox toolbox(ToolBudget budget) throws IOException {
        ProjectToolsTest.write(tmp, "a.txt", "alpha\nbeta\n");
        ProjectToolsTest.write(tmp, "big.txt", "0123456789\n".repeat(1_000));
        ProjectRoot root = ProjectRoot.of(tmp);
        return new Toolbox(new ProjectTools(root, budget).tools(), budget);
    }

    @Test
    void aCallGoesToItsToolWithItsArguments() throws IOException {
        ToolResult result = toolbox(ToolBudget.defaults()).call(new ToolCall("c1", "read_file",
                "{\"path\":\"a.txt\",\"start_line\":2}"));

        assertThat(result).isEqualTo(ToolResult.ok("a.txt lines 2-2 of 2:\nbeta\n"));
    }

    @Test
    void badCallsAreErrorResultsNotExceptions() throws IOException {
        Toolbox toolbox = toolbox(ToolBudget.defaults());

        assertThat(toolbox.call(new ToolCall("c", "rm_rf", "{}")).text()).contains("no tool named 'rm_rf'");
        assertThat(toolbox.call(new ToolCall("c", "read_file", "{not json")).text()).contains("not valid JSON");
        assertThat(toolbox.call(new ToolCall("c", "read_file", "[]")).text()).contains("JSON object");
        assertThat(toolbox.call(new ToolCall("c", "read_file", "{}")).text()).contains("needs the argument \"path\"");
        assertThat(toolbox.call(new ToolCall("c", "read_file", "{\"path\":\"a.txt\",\"start_line\":1.5}")).text())
                .contains("whole number");
    }

    @Test
    void aLoopingCallerIsStoppedByTheCallBudgetAndToldToProposeEdits() throws IOException {
        Toolbox toolbox = toolbox(new ToolBudget(5, 1024 * 1024, 64 * 1024));

        for (int i = 0; i < 5; i++) {
            assertThat(toolbox.call(new ToolCall("c" + i, "list_files", "{}")).isError()).isFalse();
        }
        ToolResult sixth = toolbox.call(new ToolCall("c6", "list_files", "{}"));

        assertThat(sixth.isError()).isTrue();
        assertThat(sixth.text()).contains("budget").contains("propose your edits");
        assertThat(toolbox.budget().calls()).isEqualTo(5);
    }

    @Test
    void theByteBudgetCutsAResultAndThenRefuses() throws IOException {
        Toolbox toolbox = toolbox(new ToolBudget(40, 15_000, 64 * 1024));

        ToolResult first = toolbox.call(new ToolCall("c1", "read_file", "{\"path\":\"big.txt\"}"));
        ToolResult second = toolbox.call(new ToolCall("c2", "read_file", "{\"path\":\"big.txt\"}"));
        ToolResult third = toolbox.call(new ToolCall("c3", "read_file", "{\"path\":\"big.txt\"}"));

        assertThat(first.bytesRead()).isEqualTo(11_022); // the header and the whole file
        assertThat(second.text()).contains("[cut here: the run's reading budget is spent");
        assertThat(second.bytesRead()).isLessThanOrEqualTo(15_000 - 11_022);
        assertThat(third.isError()).isTrue();
        assertThat(toolbox.budget().bytesRead()).isLessThanOrEqualTo(15_000);
    }

    @Test
    void aResultOverThePerResultCapIsCutAtALineWithANote() throws IOException {
        Toolbox toolbox = toolbox(new ToolBudget(40, 1024 * 1024, 100));

        ToolResult result = toolbox.call(new ToolCall("c", "read_file",
                "{\"path\":\"big.txt\",\"start_line\":1,\"end_line\":50}"));

        assertThat(result.bytesRead()).isLessThanOrEqualTo(100);
        assertThat(result.text()).endsWith("0123456789\n[cut here: a result holds at most 100 bytes; read a line range or narrow the search]");
    }

    @Test
    void theDefinitionsAreWhatTheGatewaysNativeApiAccepts() throws IOException {
        var body = Json.mapper().createObjectNode().put("prompt", "fix it");
        body.set("tools", Json.mapper().valueToTree(toolbox(ToolBudget.defaults()).definitions()));

        IngressRequest request = new ExecuteDialect(TaskCatalog.builtIn()).parse(body, name -> null);

        assertThat(request.conversation().tools()).hasSize(3);
        JsonNode first = body.get("tools").get(0);
        assertThat(first.fieldNames()).toIterable().containsExactly("name", "description", "parameters");
        assertThat(first.get("parameters").get("type").asText()).isEqualTo("object");
    }

    @Test
    void aResultBecomesTheNativeToolResultPart() {
        assertThat(Json.write(ToolResult.error("no").toPart("c1")))
                .isEqualTo("{\"type\":\"tool_result\",\"call_id\":\"c1\",\"content\":\"no\",\"is_error\":true}");
        assertThat(ToolCall.fromPart(Json.mapper().valueToTree(Map.of("type", "tool_call", "id", "c1",
                "name", "read_file", "arguments", "{\"path\":\"a\"}"))))
                .isEqualTo(new ToolCall("c1", "read_file", "{\"path\":\"a\"}"));
    }
}
