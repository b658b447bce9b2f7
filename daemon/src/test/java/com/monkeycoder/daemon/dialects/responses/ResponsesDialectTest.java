package com.monkeycoder.daemon.dialects.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.daemon.catalog.ModelEntry;
import com.monkeycoder.daemon.conversation.Answer;
import com.monkeycoder.daemon.conversation.ConversationRequest;
import com.monkeycoder.daemon.conversation.FinishReason;
import com.monkeycoder.daemon.conversation.Message;
import com.monkeycoder.daemon.conversation.Part;
import com.monkeycoder.daemon.conversation.Role;
import com.monkeycoder.daemon.conversation.StreamEvent;
import com.monkeycoder.daemon.conversation.TokenCount;
import com.monkeycoder.daemon.conversation.Tool;
import com.monkeycoder.daemon.conversation.ToolChoice;
import com.monkeycoder.daemon.conversation.WireFamily;
import com.monkeycoder.daemon.dialects.IngressRequest;
import com.monkeycoder.daemon.dialects.ResponseIds;
import com.monkeycoder.daemon.dialects.SseSink;
import com.monkeycoder.daemon.dialects.StreamEncoder;
import com.monkeycoder.daemon.errors.ApiError;
import com.monkeycoder.daemon.errors.ErrorCode;
import com.monkeycoder.daemon.routing.Outcome;
import com.monkeycoder.daemon.routing.StreamStart;
import com.monkeycoder.shared.Json;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Responses codec alone: Codex's requests into canonical terms, canonical answers into Responses JSON and events. */
class ResponsesDialectTest {

    private static final ModelEntry MODEL = new ModelEntry("openai", "gpt-4.1-mini", null, 0, 0);
    private static final ResponseIds IDS = new ResponseIds("req_abc123", 1_700_000_000L);
    private final ResponsesDialect dialect = new ResponsesDialect();

    /** A turn-2 request the way Codex 0.171 sends it (agent-check/NOTES.md), shortened. */
    private static final String CODEX_TURN_2 = """
            {"model":"openai/gpt-4.1-mini","stream":true,
             "input":[
              {"type":"message","id":"msg_1","role":"developer","content":[{"type":"input_text","text":"base prompt"}]},
              {"type":"message","id":"msg_2","role":"developer","content":[{"type":"input_text","text":"permissions"}]},
              {"type":"message","id":"msg_3","role":"user","content":[{"type":"input_text","text":"<environment_context/>"}]},
              {"type":"message","id":"msg_4","role":"user","content":[{"type":"input_text","text":"write hello.txt"}]},
              {"type":"reasoning","id":"rs_1","summary":[],"encrypted_content":"gAAAA-secret"},
              {"type":"function_call","id":"fc_1","status":"completed","name":"exec_command",
               "arguments":"{\\"cmd\\":\\"echo hi > hello.txt\\"}","call_id":"call_1"},
              {"type":"function_call","id":"fc_2","status":"completed","name":"spawn_agent","namespace":"multi_agent_v1",
               "arguments":"{}","call_id":"call_2"},
              {"type":"function_call_output","id":"fco_1","call_id":"call_1","output":"Process exited with code 0"},
              {"type":"function_call_output","id":"fco_2","call_id":"call_2",
               "output":[{"type":"input_text","text":"agent started"}]}
             ],
             "tools":[
              {"type":"function","name":"exec_command","description":"run a command","strict":false,
               "parameters":{"type":"object","properties":{"cmd":{"type":"string"}},"required":["cmd"]}},
              {"type":"namespace","name":"multi_agent_v1","description":"agents","tools":[
                {"type":"function","name":"spawn_agent","parameters":{"type":"object","properties":{}}},
                {"type":"function","name":"wait_agent","parameters":{"type":"object","properties":{}}}]},
              {"type":"web_search","external_web_access":true},
              {"type":"custom","name":"apply_patch","description":"patch files","format":{"type":"grammar"}}
             ],
             "tool_choice":"auto","parallel_tool_calls":true,"reasoning":{"summary":"auto"},
             "store":false,"include":["reasoning.encrypted_content"],"prompt_cache_key":"thread-1",
             "client_metadata":{"originator":"codex_exec"}}""";

    @Test
    void parsesACodexRequestIntoTheCanonicalConversation() {
        IngressRequest parsed = parse(CODEX_TURN_2);
        ConversationRequest c = parsed.conversation();

        assertThat(parsed.model()).isEqualTo("openai/gpt-4.1-mini");
        assertThat(parsed.stream()).isTrue();
        assertThat(c.system()).containsExactly(new Part.Text("base prompt"), new Part.Text("permissions"));
        assertThat(c.messages()).extracting(Message::role)
                .containsExactly(Role.USER, Role.USER, Role.ASSISTANT, Role.USER);
        assertThat(c.messages().get(2).parts()).as("reasoning and both calls merge into one assistant turn")
                .containsExactly(new Part.RedactedThinking("gAAAA-secret"),
                        new Part.ToolCall("call_1", "exec_command", "{\"cmd\":\"echo hi > hello.txt\"}"),
                        new Part.ToolCall("call_2", "multi_agent_v1__spawn_agent", "{}"));
        assertThat(c.messages().get(3).parts()).as("both outputs merge into one user turn").containsExactly(
                new Part.ToolResult("call_1", List.of(new Part.Text("Process exited with code 0")), false, null),
                new Part.ToolResult("call_2", List.of(new Part.Text("agent started")), false, null));

        assertThat(c.tools()).extracting(Tool::name).containsExactly("exec_command", "multi_agent_v1__spawn_agent",
                "multi_agent_v1__wait_agent", "web_search", "apply_patch");
        assertThat(c.tools().get(3)).isInstanceOfSatisfying(Tool.Hosted.class, h -> {
            assertThat(h.family()).isEqualTo(WireFamily.OPENAI_RESPONSES);
            assertThat(h.optional()).isTrue();
            assertThat(h.raw().path("external_web_access").asBoolean()).isTrue();
        });
        assertThat(c.tools().get(4)).isInstanceOfSatisfying(Tool.Function.class, f -> assertThat(f.freeform()).isTrue());
        assertThat(c.toolChoice()).isEqualTo(ToolChoice.AUTO);
        assertThat(c.parallelToolCalls()).isTrue();
        assertThat(c.reasoning()).as("Codex sends no effort").isNull();
        assertThat(c.passthrough().family()).isEqualTo(WireFamily.OPENAI_RESPONSES);
        assertThat(c.passthrough().fieldNames()).as("no Responses-format provider: nothing to forward").isEmpty();
        assertThat(c.passthrough().withheld()).containsExactlyInAnyOrder("include", "prompt_cache_key",
                "client_metadata");

        ResponsesDialect.Options options = (ResponsesDialect.Options) parsed.options();
        assertThat(options.customTools()).containsExactly("apply_patch");
        assertThat(options.namespaced()).containsEntry("multi_agent_v1__spawn_agent",
                new ResponsesDialect.NamespacedName("multi_agent_v1", "spawn_agent"));
    }

    @Test
    void readsInstructionsStringInputAndTheSamplingFields() {
        ConversationRequest c = parse("""
                {"model":"m","instructions":"be brief","input":"hi","max_output_tokens":50,"temperature":0.5,
                 "top_p":0.9,"reasoning":{"effort":"low"},"user":"u1","metadata":{"k":"v"},
                 "text":{"format":{"type":"json_schema","name":"out","schema":{"type":"object"},"strict":true}},
                 "tool_choice":{"type":"function","name":"f"},
                 "tools":[{"type":"function","name":"f","parameters":{"type":"object"}}]}""").conversation();

        assertThat(c.system()).containsExactly(new Part.Text("be brief"));
        assertThat(c.messages()).containsExactly(Message.user("hi"));
        assertThat(c.maxOutputTokens()).isEqualTo(50);
        assertThat(c.sampling().temperature()).isEqualTo(0.5);
        assertThat(c.sampling().topP()).isEqualTo(0.9);
        assertThat(c.reasoning().effort()).isEqualTo("low");
        assertThat(c.metadata()).containsEntry("user", "u1").containsEntry("k", "v");
        assertThat(c.responseFormat().name()).isEqualTo("out");
        assertThat(c.responseFormat().strict()).isTrue();
        assertThat(c.toolChoice()).isEqualTo(ToolChoice.named("f"));
        assertThat(c.passthrough().fieldNames()).isEmpty();
    }

    @Test
    void aCustomToolCallInTheHistoryIsWrappedAsInput() {
        ConversationRequest c = parse("""
                {"model":"m","input":[{"role":"user","content":"patch it"},
                 {"type":"custom_tool_call","call_id":"c1","name":"apply_patch","input":"*** Begin Patch"},
                 {"type":"custom_tool_call_output","call_id":"c1","output":"ok"},
                 {"role":"system","content":"later system note"}]}""").conversation();

        assertThat(c.messages().get(1).parts())
                .containsExactly(new Part.ToolCall("c1", "apply_patch", "{\"input\":\"*** Begin Patch\"}"));
        assertThat(c.messages().get(3)).as("a system item after the first turn stays in place")
                .isEqualTo(Message.system("later system note"));
    }

    @Test
    void storeTrueIsRefusedWith400NamingStore() {
        assertThatThrownBy(() -> parse("{\"model\":\"m\",\"input\":\"hi\",\"store\":true}"))
                .isInstanceOfSatisfying(ApiError.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST);
                    assertThat(e.details()).containsEntry("field", "store");
                    assertThat(e.getMessage()).contains("stateless").contains("store:false");
                });
        assertThatThrownBy(() -> parse("{\"model\":\"m\",\"input\":\"hi\",\"previous_response_id\":\"resp_1\"}"))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.details())
                        .containsEntry("field", "previous_response_id"));
    }

    @Test
    void anUnknownItemTypeIs422NamingIt() {
        assertValidation("{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":\"x\"},"
                + "{\"type\":\"item_reference\",\"id\":\"x\"}]}", "input[1].type");
    }

    @Test
    void anOutputAnsweringNoCallIs422NamingItsCallId() {
        assertValidation("{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":\"x\"},"
                + "{\"type\":\"function_call_output\",\"call_id\":\"nobody\",\"output\":\"?\"}]}", "input[1].call_id");
    }

    @Test
    void otherWrongFieldsAre422NamingThem() {
        assertValidation("{\"input\":\"hi\"}", "model");
        assertValidation("{\"model\":\"m\",\"input\":[]}", "input");
        assertValidation("{\"model\":\"m\",\"input\":[{\"role\":\"robot\",\"content\":\"x\"}]}", "input[0].role");
        assertValidation("{\"model\":\"m\",\"input\":\"x\",\"temperature\":3}", "temperature");
        assertValidation("{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_file\"}]}]}",
                "input[0].content[0].type");
        assertValidation("{\"model\":\"m\",\"input\":\"x\",\"tools\":[{\"type\":\"function\",\"name\":\"a b\"}]}",
                "tools[0].name");
    }

    @Test
    void namespacedNamesStayWithinWhatEveryProviderAccepts() {
        String flat = ResponsesDialect.flatName("n".repeat(40), "f".repeat(40));
        assertThat(flat).hasSize(64).matches("^[a-zA-Z0-9_-]{1,64}$");
        assertThat(ResponsesDialect.flatName("ns", "f")).isEqualTo("ns__f");
    }

    // ---- answers ----

    private static final TokenCount TOKENS = new TokenCount(100, 40, 20, 0, 7);

    private static Outcome outcome(List<Part> parts, FinishReason finish) {
        return new Outcome(MODEL, new Answer(parts, finish, TOKENS), TOKENS, 0, false, 5, List.of(), null, List.of());
    }

    private static final List<Part> TEXT_AND_TWO_CALLS = List.of(new Part.Text("Running it."),
            new Part.ToolCall("call_a", "exec_command", "{\"cmd\":\"ls\"}"),
            new Part.ToolCall("call_b", "multi_agent_v1__spawn_agent", "{}"));

    @Test
    void encodesAWholeResponse() {
        IngressRequest request = parse(CODEX_TURN_2);
        List<Part> parts = new ArrayList<>(List.of(new Part.Thinking("thought", "enc-1")));
        parts.addAll(TEXT_AND_TWO_CALLS);
        parts.add(new Part.ToolCall("call_c", "apply_patch", "{\"input\":\"*** Begin Patch\"}"));

        JsonNode body = Json.mapper().valueToTree(dialect.encode(request, outcome(parts, FinishReason.TOOL_CALLS), IDS));

        assertThat(body.path("id").asText()).isEqualTo("resp_abc123");
        assertThat(body.path("object").asText()).isEqualTo("response");
        assertThat(body.path("created_at").asLong()).isEqualTo(1_700_000_000L);
        assertThat(body.path("status").asText()).isEqualTo("completed");
        assertThat(body.path("model").asText()).isEqualTo("openai/gpt-4.1-mini");
        assertThat(body.path("store").asBoolean(true)).isFalse();
        assertThat(body.path("parallel_tool_calls").asBoolean()).isTrue();
        assertThat(body.path("tool_choice").asText()).isEqualTo("auto");
        JsonNode output = body.path("output");
        assertThat(output).hasSize(5);
        assertThat(output.get(0).path("type").asText()).isEqualTo("reasoning");
        assertThat(output.get(0).path("summary").get(0).path("text").asText()).isEqualTo("thought");
        assertThat(output.get(0).path("encrypted_content").asText()).isEqualTo("enc-1");
        assertThat(output.get(1).path("type").asText()).isEqualTo("message");
        assertThat(output.get(1).path("content").get(0).path("type").asText()).isEqualTo("output_text");
        assertThat(output.get(1).path("content").get(0).path("text").asText()).isEqualTo("Running it.");
        assertThat(output.get(2).path("type").asText()).isEqualTo("function_call");
        assertThat(output.get(2).path("call_id").asText()).isEqualTo("call_a");
        assertThat(output.get(2).path("name").asText()).isEqualTo("exec_command");
        assertThat(output.get(2).path("arguments").asText()).isEqualTo("{\"cmd\":\"ls\"}");
        assertThat(output.get(3).path("name").asText()).isEqualTo("multi_agent_v1__spawn_agent");
        assertThat(output.get(4).path("type").asText()).isEqualTo("custom_tool_call");
        assertThat(output.get(4).path("input").asText()).isEqualTo("*** Begin Patch");
        assertUsage(body.path("usage"));
    }

    @Test
    void aLengthCutAnswerIsIncomplete() {
        JsonNode body = Json.mapper().valueToTree(dialect.encode(parse("{\"model\":\"m\",\"input\":\"hi\"}"),
                outcome(List.of(new Part.Text("cut")), FinishReason.LENGTH), IDS));

        assertThat(body.path("status").asText()).isEqualTo("incomplete");
        assertThat(body.path("incomplete_details").path("reason").asText()).isEqualTo("max_output_tokens");
    }

    @Test
    void streamsTextAndTwoCallsInOpenAisOrderWithCompleteItems() throws IOException {
        IngressRequest request = parse(CODEX_TURN_2);
        Recording sink = new Recording();
        StreamEncoder encoder = dialect.streamEncoder(request, IDS, sink);

        encoder.start(new StreamStart(MODEL, List.of(), null, List.of()));
        for (StreamEvent e : List.<StreamEvent>of(new StreamEvent.TextDelta("Running "), new StreamEvent.TextDelta("it."),
                new StreamEvent.ToolCallStart(0, "call_a", "exec_command"), new StreamEvent.ToolCallDelta(0, "{\"cmd\""),
                new StreamEvent.ToolCallDelta(0, ":\"ls\"}"), new StreamEvent.ToolCallEnd(0),
                new StreamEvent.ToolCallStart(1, "call_b", "multi_agent_v1__spawn_agent"),
                new StreamEvent.ToolCallDelta(1, "{}"), new StreamEvent.ToolCallEnd(1),
                new StreamEvent.UsageReported(TOKENS), new StreamEvent.Finished(FinishReason.TOOL_CALLS))) {
            encoder.event(e);
        }
        encoder.finish(outcome(TEXT_AND_TWO_CALLS, FinishReason.TOOL_CALLS));

        assertThat(sink.names()).containsExactly("response.created", "response.in_progress",
                "response.output_item.added", "response.content_part.added",
                "response.output_text.delta", "response.output_text.delta", "response.output_text.done",
                "response.content_part.done", "response.output_item.done",
                "response.output_item.added", "response.function_call_arguments.delta",
                "response.function_call_arguments.delta", "response.function_call_arguments.done",
                "response.output_item.done",
                "response.output_item.added", "response.function_call_arguments.delta",
                "response.function_call_arguments.done", "response.output_item.done",
                "response.completed");
        for (int i = 0; i < sink.events.size(); i++) {
            JsonNode e = sink.events.get(i);
            assertThat(e.path("sequence_number").asInt()).isEqualTo(i);
            assertThat(e.path("type").asText()).isEqualTo(sink.names().get(i));
        }
        assertThat(sink.events.get(0).path("response").path("status").asText()).isEqualTo("in_progress");
        assertThat(sink.events.get(0).path("response").path("output")).isEmpty();

        List<JsonNode> done = sink.all("response.output_item.done");
        assertThat(done).extracting(e -> e.path("output_index").asInt()).containsExactly(0, 1, 2);
        assertThat(done.get(0).path("item").path("content").get(0).path("text").asText()).isEqualTo("Running it.");
        JsonNode call = done.get(1).path("item");
        assertThat(call.path("type").asText()).isEqualTo("function_call");
        assertThat(call.path("status").asText()).isEqualTo("completed");
        assertThat(call.path("name").asText()).isEqualTo("exec_command");
        assertThat(call.path("call_id").asText()).isEqualTo("call_a");
        assertThat(call.path("arguments").asText()).isEqualTo("{\"cmd\":\"ls\"}");
        assertThat(call.path("id").asText()).isEqualTo(sink.all("response.output_item.added").get(1).path("item")
                .path("id").asText());
        assertThat(done.get(2).path("item").path("name").asText()).isEqualTo("multi_agent_v1__spawn_agent");
        assertThat(sink.all("response.output_item.added").get(1).path("item").path("arguments").asText()).isEmpty();

        JsonNode completed = sink.events.getLast().path("response");
        assertThat(completed.path("status").asText()).isEqualTo("completed");
        assertThat(completed.path("id").asText()).isEqualTo("resp_abc123");
        assertThat(completed.path("output")).hasSize(3);
        assertThat(completed.path("output").get(1)).isEqualTo(call);
        assertUsage(completed.path("usage"));
    }

    @Test
    void streamsReasoningAndACustomCall() throws IOException {
        Recording sink = new Recording();
        StreamEncoder encoder = dialect.streamEncoder(parse(CODEX_TURN_2), IDS, sink);

        encoder.start(new StreamStart(MODEL, List.of(), null, List.of()));
        encoder.event(new StreamEvent.ThinkingDelta("hmm"));
        encoder.event(new StreamEvent.ThinkingSignature("enc"));
        encoder.event(new StreamEvent.ToolCallStart(0, "call_p", "apply_patch"));
        encoder.event(new StreamEvent.ToolCallDelta(0, "{\"input\":\"*** Begin Patch\"}"));
        encoder.event(new StreamEvent.ToolCallEnd(0));
        encoder.finish(outcome(List.of(), FinishReason.TOOL_CALLS));

        List<JsonNode> done = sink.all("response.output_item.done");
        assertThat(done.get(0).path("item").path("type").asText()).isEqualTo("reasoning");
        assertThat(done.get(0).path("item").path("encrypted_content").asText()).isEqualTo("enc");
        assertThat(done.get(0).path("item").path("summary").get(0).path("text").asText()).isEqualTo("hmm");
        assertThat(done.get(1).path("item").path("type").asText()).isEqualTo("custom_tool_call");
        assertThat(done.get(1).path("item").path("input").asText()).isEqualTo("*** Begin Patch");
        assertThat(sink.names()).contains("response.reasoning_summary_text.delta", "response.custom_tool_call_input.done");
    }

    @Test
    void aBrokenStreamEndsWithResponseFailedCarryingTheError() throws IOException {
        Recording sink = new Recording();
        StreamEncoder encoder = dialect.streamEncoder(parse(CODEX_TURN_2), IDS, sink);
        encoder.start(new StreamStart(MODEL, List.of(), null, List.of()));
        encoder.event(new StreamEvent.ToolCallStart(0, "call_a", "exec_command"));
        encoder.event(new StreamEvent.ToolCallDelta(0, "{\"cm"));

        Object body = Json.mapper().readTree("""
                {"error":{"message":"upstream broke","type":"api_error","param":null,"code":"upstream_error"}}""");
        encoder.fail(new ApiError(ErrorCode.BAD_REQUEST, "upstream broke"), body);

        assertThat(sink.names()).doesNotContain("response.output_item.done")
                .as("a half call must not look complete").endsWith("response.failed");
        JsonNode failed = sink.events.getLast().path("response");
        assertThat(failed.path("status").asText()).isEqualTo("failed");
        assertThat(failed.path("error").path("code").asText()).isEqualTo("upstream_error");
        assertThat(failed.path("error").path("message").asText()).isEqualTo("upstream broke");
    }

    // ---- helpers ----

    private static void assertUsage(JsonNode usage) {
        assertThat(usage.path("input_tokens").asLong()).isEqualTo(120);
        assertThat(usage.path("input_tokens_details").path("cached_tokens").asLong()).isEqualTo(20);
        assertThat(usage.path("output_tokens").asLong()).isEqualTo(40);
        assertThat(usage.path("output_tokens_details").path("reasoning_tokens").asLong()).isEqualTo(7);
        assertThat(usage.path("total_tokens").asLong()).isEqualTo(160);
    }

    private IngressRequest parse(String json) {
        try {
            return dialect.parse(Json.mapper().readTree(json), name -> null);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    private void assertValidation(String json, String field) {
        assertThatThrownBy(() -> parse(json)).isInstanceOfSatisfying(ApiError.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
            assertThat(e.details()).containsEntry("field", field);
        });
    }

    /** Records what an encoder writes, as the client would parse it. */
    private static final class Recording implements SseSink {
        final List<String> names = new ArrayList<>();
        final List<JsonNode> events = new ArrayList<>();

        @Override
        public void event(String name, Object data) {
            names.add(name);
            events.add(Json.mapper().valueToTree(data));
        }

        @Override
        public void raw(String data) {
            throw new AssertionError("the Responses stream has no raw [DONE] line: " + data);
        }

        List<String> names() {
            return names;
        }

        List<JsonNode> all(String name) {
            List<JsonNode> out = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                if (names.get(i).equals(name)) {
                    out.add(events.get(i));
                }
            }
            return out;
        }
    }
}
