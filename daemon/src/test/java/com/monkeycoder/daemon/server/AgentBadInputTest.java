package com.monkeycoder.daemon.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.daemon.testing.LedgerRows;
import com.monkeycoder.daemon.testing.TestGateway;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.QueueDispatcher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static com.monkeycoder.daemon.testing.ErrorEnvelopes.assertEnvelope;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a hostile or buggy agent may send about tools, tool turns, images and thinking, through each of the four
 * dialects: each gets the dialect's own 400/422/413 naming the field, no provider is called and no ledger row is
 * written (README "Agents, tools, images and thinking": nothing is dropped silently).
 *
 * <p>Cases a dialect cannot express are left out for it:
 * <table>
 *   <tr><th>case</th><th>execute</th><th>chat</th><th>responses</th><th>messages</th></tr>
 *   <tr><td>tool arguments not JSON text</td><td>yes</td><td>yes</td><td>yes</td><td>no: {@code input} is JSON</td></tr>
 *   <tr><td>thinking budget under 1,024</td><td>no: no thinking field</td><td>no: only {@code reasoning_effort}</td>
 *       <td>no: only {@code reasoning.effort}</td><td>yes</td></tr>
 *   <tr><td>{@code n} = 2</td><td>no</td><td>yes</td><td>no</td><td>no</td></tr>
 *   <tr><td>{@code store}, {@code previous_response_id}</td><td>no</td><td>no</td><td>yes</td><td>no</td></tr>
 *   <tr><td>image by data: URL of text/plain</td><td>yes ({@code url})</td><td>yes</td><td>yes</td>
 *       <td>yes ({@code source.url})</td></tr>
 * </table>
 * Every other case runs in every dialect. The gateway's body limit is raised to 8 MiB here so that an image over
 * 5 MiB reaches the codec; the 413 case sends a body over those 8 MiB.
 */
class AgentBadInputTest {

    private static final int MIB = 1024 * 1024;
    private static final int BODY_LIMIT_MB = 8;
    /** Base64 whose decoded size is just over the 5 MiB an image may have. */
    private static final String HUGE_PNG = "A".repeat((5 * MIB / 3 + 1) * 4);
    private static final String TINY_PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

    @TempDir
    static Path home;

    private static MockWebServer openai;
    private static MockWebServer anthropic;
    private static TestGateway gateway;

    @BeforeAll
    static void start() throws IOException {
        openai = new MockWebServer();
        anthropic = new MockWebServer();
        // A request that gets through by mistake is answered at once (404 -> 502), not left hanging.
        for (MockWebServer server : List.of(openai, anthropic)) {
            QueueDispatcher dispatcher = new QueueDispatcher();
            dispatcher.setFailFast(true);
            server.setDispatcher(dispatcher);
            server.start();
        }
        String anthropicRoot = anthropic.url("/").toString();
        gateway = TestGateway.start(home, Map.of(
                "OPENAI_API_KEY", "sk-test-openai-0000", "OPENAI_BASE_URL", openai.url("/v1").toString(),
                "ANTHROPIC_API_KEY", "sk-ant-test-0000",
                "ANTHROPIC_BASE_URL", anthropicRoot.substring(0, anthropicRoot.length() - 1),
                "MONKEY_CODER_MAX_BODY_MB", String.valueOf(BODY_LIMIT_MB)));
    }

    @AfterAll
    static void stop() throws IOException {
        noCaseReachedAProvider();
        gateway.close();
        openai.shutdown();
        anthropic.shutdown();
    }

    private int openaiBefore;
    private int anthropicBefore;
    private int rowsBefore;

    /** Counted per case, so one case that gets through does not fail the cases after it. */
    @BeforeEach
    void count() {
        openaiBefore = openai.getRequestCount();
        anthropicBefore = anthropic.getRequestCount();
        rowsBefore = LedgerRows.all(gateway).size();
    }

    @AfterEach
    void nothingReachedAProviderAndNothingWasBilled() {
        assertThat(openai.getRequestCount() - openaiBefore).as("requests that reached the OpenAI upstream").isZero();
        assertThat(anthropic.getRequestCount() - anthropicBefore).as("requests that reached the Anthropic upstream")
                .isZero();
        assertThat(LedgerRows.all(gateway).size() - rowsBefore).as("ledger rows written").isZero();
    }

    static void noCaseReachedAProvider() {
        assertThat(openai.getRequestCount() + anthropic.getRequestCount()).isZero();
        assertThat(LedgerRows.all(gateway)).isEmpty();
    }

    /** One bad request: the route, the body, the status and the field the error must name (null: none). */
    record Case(String route, String what, String body, int status, String field) {
        @Override
        public String toString() {
            return route + ": " + what;
        }
    }

    private static final String EXECUTE = "/v1/execute";
    private static final String CHAT = "/v1/chat/completions";
    private static final String RESPONSES = "/v1/responses";
    private static final String MESSAGES = "/v1/messages";

    static Stream<Arguments> cases() {
        List<Case> c = new ArrayList<>();
        execute(c);
        chat(c);
        responses(c);
        messages(c);
        return c.stream().map(Arguments::of);
    }

    // ---- /v1/execute ----

    private static final String X_TOOL = """
            {"name":"get_weather","description":"weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}""";

    private static String execute(String extra) {
        return "{\"model\":\"openai/gpt-4.1-mini\"," + extra + "}";
    }

    private static String executeMessages(String messages) {
        return execute("\"messages\":" + messages + ",\"tools\":[" + X_TOOL + "]");
    }

    private static void execute(List<Case> c) {
        String userHi = "{\"role\":\"user\",\"content\":\"weather?\"}";
        c.add(new Case(EXECUTE, "tool parameters not an object", execute("""
                "prompt":"x","tools":[{"name":"f","parameters":"a string"}]"""), 422, "tools[0].parameters"));
        c.add(new Case(EXECUTE, "tool parameters of type array", execute("""
                "prompt":"x","tools":[{"name":"f","parameters":{"type":"array"}}]"""), 422, "tools[0].parameters.type"));
        c.add(new Case(EXECUTE, "tool result answering no call", executeMessages("[" + userHi + """
                ,{"role":"user","content":[{"type":"tool_result","call_id":"call_ghost","content":"sunny"}]}]"""),
                422, "messages[1].content[0].call_id"));
        c.add(new Case(EXECUTE, "tool call id reused", executeMessages("[" + userHi + """
                ,{"role":"assistant","content":[{"type":"tool_call","id":"call_1","name":"get_weather","arguments":"{}"},
                {"type":"tool_call","id":"call_1","name":"get_weather","arguments":"{}"}]}]"""),
                422, "messages[1].content[1].id"));
        c.add(new Case(EXECUTE, "tool call arguments not JSON", executeMessages("[" + userHi + """
                ,{"role":"assistant","content":[{"type":"tool_call","id":"call_1","name":"get_weather","arguments":"{city: Paris"}]}]"""),
                422, "messages[1].content[0].arguments"));
        c.add(new Case(EXECUTE, "tool call arguments an array", executeMessages("[" + userHi + """
                ,{"role":"assistant","content":[{"type":"tool_call","id":"call_1","name":"get_weather","arguments":"[1,2]"}]}]"""),
                422, "messages[1].content[0].arguments"));
        c.add(new Case(EXECUTE, "tool call name with spaces", executeMessages("[" + userHi + """
                ,{"role":"assistant","content":[{"type":"tool_call","id":"call_1","name":"get weather","arguments":"{}"}]}]"""),
                422, "messages[1].content[0].name"));
        c.add(new Case(EXECUTE, "image/tiff", execute("""
                "messages":[{"role":"user","content":[{"type":"image","media_type":"image/tiff","data":"SUkqAA=="}]}]"""),
                422, "messages[0].content[0].media_type"));
        c.add(new Case(EXECUTE, "image as a text/plain data: URL", execute("""
                "messages":[{"role":"user","content":[{"type":"image","url":"data:text/plain;base64,aGVsbG8="}]}]"""),
                422, "messages[0].content[0].url"));
        c.add(new Case(EXECUTE, "image over 5 MiB", execute("""
                "messages":[{"role":"user","content":[{"type":"image","media_type":"image/png","data":"%s"}]}]"""
                .formatted(HUGE_PNG)), 422, "messages[0].content[0].data"));
        c.add(new Case(EXECUTE, "tool_choice naming a tool not offered", execute("""
                "prompt":"x","tools":[%s],"tool_choice":{"name":"launch_missiles"}""".formatted(X_TOOL)),
                422, "tool_choice"));
        c.add(new Case(EXECUTE, "tool_choice required with no tools", execute("""
                "prompt":"x","tool_choice":"required\""""), 422, "tool_choice"));
        c.add(new Case(EXECUTE, "tool name with spaces", execute("""
                "prompt":"x","tools":[{"name":"get weather","parameters":{"type":"object"}}]"""), 422, "tools[0].name"));
        c.add(new Case(EXECUTE, "unknown content part type", execute("""
                "messages":[{"role":"user","content":[{"type":"audio","data":"AAAA"}]}]"""),
                422, "messages[0].content[0].type"));
        c.add(new Case(EXECUTE, "tools for a model without tools", """
                {"model":"demo/monkey-demo","prompt":"x","tools":[%s]}""".formatted(X_TOOL), 422, "tools"));
        c.add(new Case(EXECUTE, "body over the limit", execute("\"prompt\":\"" + pad() + "\""), 413, null));
    }

    // ---- /v1/chat/completions ----

    private static final String CHAT_TOOL = """
            {"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}""";

    private static String chat(String extra) {
        return "{\"model\":\"openai/gpt-4.1-mini\"," + extra + "}";
    }

    private static String chatCall(String id, String name, String arguments) {
        return "{\"id\":\"" + id + "\",\"type\":\"function\",\"function\":{\"name\":\"" + name
                + "\",\"arguments\":" + arguments + "}}";
    }

    private static void chat(List<Case> c) {
        String hi = "{\"role\":\"user\",\"content\":\"weather?\"}";
        String tools = ",\"tools\":[" + CHAT_TOOL + "]";
        c.add(new Case(CHAT, "tool parameters not an object", chat("""
                "messages":[%s],"tools":[{"type":"function","function":{"name":"f","parameters":[1]}}]""".formatted(hi)),
                422, "tools[0].function.parameters"));
        c.add(new Case(CHAT, "tool parameters of type string", chat("""
                "messages":[%s],"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"string"}}}]"""
                .formatted(hi)), 422, "tools[0].function.parameters.type"));
        c.add(new Case(CHAT, "tool result answering no call", chat("""
                "messages":[%s,{"role":"tool","tool_call_id":"call_ghost","content":"sunny"}]%s""".formatted(hi, tools)),
                422, "messages[1].tool_call_id"));
        c.add(new Case(CHAT, "tool result without a tool_call_id", chat("""
                "messages":[%s,{"role":"tool","content":"sunny"}]%s""".formatted(hi, tools)),
                422, "messages[1].tool_call_id"));
        c.add(new Case(CHAT, "tool result answering no call, after a system message", chat("""
                "messages":[{"role":"system","content":"be brief"},%s,
                {"role":"assistant","content":null,"tool_calls":[%s]},
                {"role":"tool","tool_call_id":"call_1","content":"sunny"},
                {"role":"tool","tool_call_id":"call_ghost","content":"rainy"}]%s"""
                .formatted(hi, chatCall("call_1", "get_weather", "\"{}\""), tools)),
                422, "messages[4].tool_call_id"));
        c.add(new Case(CHAT, "tool call id reused", chat("""
                "messages":[%s,{"role":"assistant","content":null,"tool_calls":[%s,%s]}]%s"""
                .formatted(hi, chatCall("call_1", "get_weather", "\"{}\""), chatCall("call_1", "get_weather", "\"{}\""),
                        tools)), 422, "messages[1].tool_calls[1].id"));
        c.add(new Case(CHAT, "tool call id reused, after a system message", chat("""
                "messages":[{"role":"system","content":"be brief"},%s,
                {"role":"assistant","content":null,"tool_calls":[%s]},
                {"role":"tool","tool_call_id":"call_1","content":"sunny"},
                {"role":"assistant","content":null,"tool_calls":[%s]}]%s"""
                .formatted(hi, chatCall("call_1", "get_weather", "\"{}\""), chatCall("call_1", "get_weather", "\"{}\""),
                        tools)), 422, "messages[4].tool_calls[0].id"));
        c.add(new Case(CHAT, "tool call arguments not JSON", chat("""
                "messages":[%s,{"role":"assistant","content":null,"tool_calls":[%s]}]%s"""
                .formatted(hi, chatCall("call_1", "get_weather", "\"{city: Paris\""), tools)),
                422, "messages[1].tool_calls[0].function.arguments"));
        c.add(new Case(CHAT, "tool call arguments a JSON string", chat("""
                "messages":[%s,{"role":"assistant","content":null,"tool_calls":[%s]}]%s"""
                .formatted(hi, chatCall("call_1", "get_weather", "\"\\\"Paris\\\"\""), tools)),
                422, "messages[1].tool_calls[0].function.arguments"));
        c.add(new Case(CHAT, "image/tiff data: URL", chat("""
                "messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/tiff;base64,SUkqAA=="}}]}]"""),
                422, "messages[0].content[0].image_url.url"));
        c.add(new Case(CHAT, "text/plain data: URL", chat("""
                "messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:text/plain;base64,aGVsbG8="}}]}]"""),
                422, "messages[0].content[0].image_url.url"));
        c.add(new Case(CHAT, "image over 5 MiB", chat("""
                "messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/png;base64,%s"}}]}]"""
                .formatted(HUGE_PNG)), 422, "messages[0].content[0].image_url.url"));
        c.add(new Case(CHAT, "tool_choice naming a tool not offered", chat("""
                "messages":[%s]%s,"tool_choice":{"type":"function","function":{"name":"launch_missiles"}}"""
                .formatted(hi, tools)), 422, "tool_choice"));
        c.add(new Case(CHAT, "tool_choice required with no tools", chat("""
                "messages":[%s],"tool_choice":"required\"""".formatted(hi)), 422, "tool_choice"));
        c.add(new Case(CHAT, "tool name with spaces", chat("""
                "messages":[%s],"tools":[{"type":"function","function":{"name":"get weather","parameters":{"type":"object"}}}]"""
                .formatted(hi)), 422, "tools[0].function.name"));
        c.add(new Case(CHAT, "n = 2", chat("\"messages\":[" + hi + "],\"n\":2"), 422, "n"));
        c.add(new Case(CHAT, "unknown content part type", chat("""
                "messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"AAAA","format":"wav"}}]}]"""),
                422, "messages[0].content[0].type"));
        c.add(new Case(CHAT, "tools for a model without tools", """
                {"model":"demo/monkey-demo","messages":[%s]%s}""".formatted(hi, tools), 422, "tools"));
        c.add(new Case(CHAT, "body over the limit", chat("""
                "messages":[{"role":"user","content":"%s"}]""".formatted(pad())), 413, null));
    }

    // ---- /v1/responses ----

    private static final String RESPONSES_TOOL = """
            {"type":"function","name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}""";

    private static String responses(String extra) {
        return "{\"model\":\"openai/gpt-4.1-mini\",\"store\":false," + extra + "}";
    }

    private static void responses(List<Case> c) {
        String hi = "{\"role\":\"user\",\"content\":\"weather?\"}";
        String tools = ",\"tools\":[" + RESPONSES_TOOL + "]";
        c.add(new Case(RESPONSES, "tool parameters not an object", responses("""
                "input":"x","tools":[{"type":"function","name":"f","parameters":"a string"}]"""),
                422, "tools[0].parameters"));
        c.add(new Case(RESPONSES, "tool parameters of type array", responses("""
                "input":"x","tools":[{"type":"function","name":"f","parameters":{"type":"array"}}]"""),
                422, "tools[0].parameters.type"));
        c.add(new Case(RESPONSES, "tool output answering no call", responses("""
                "input":[%s,{"type":"function_call_output","call_id":"call_ghost","output":"sunny"}]%s"""
                .formatted(hi, tools)), 422, "input[1].call_id"));
        c.add(new Case(RESPONSES, "tool call id reused", responses("""
                "input":[%s,{"type":"function_call","call_id":"call_1","name":"get_weather","arguments":"{}"},
                {"type":"function_call","call_id":"call_1","name":"get_weather","arguments":"{}"}]%s"""
                .formatted(hi, tools)), 422, "input[2].call_id"));
        c.add(new Case(RESPONSES, "tool call arguments not JSON", responses("""
                "input":[%s,{"type":"function_call","call_id":"call_1","name":"get_weather","arguments":"{city: Paris"}]%s"""
                .formatted(hi, tools)), 422, "input[1].arguments"));
        c.add(new Case(RESPONSES, "tool call arguments an array", responses("""
                "input":[%s,{"type":"function_call","call_id":"call_1","name":"get_weather","arguments":"[1,2]"}]%s"""
                .formatted(hi, tools)), 422, "input[1].arguments"));
        c.add(new Case(RESPONSES, "image/tiff data: URL", responses("""
                "input":[{"role":"user","content":[{"type":"input_image","image_url":"data:image/tiff;base64,SUkqAA=="}]}]"""),
                422, "input[0].content[0].image_url"));
        c.add(new Case(RESPONSES, "text/plain data: URL", responses("""
                "input":[{"role":"user","content":[{"type":"input_image","image_url":"data:text/plain;base64,aGVsbG8="}]}]"""),
                422, "input[0].content[0].image_url"));
        c.add(new Case(RESPONSES, "image over 5 MiB", responses("""
                "input":[{"role":"user","content":[{"type":"input_image","image_url":"data:image/png;base64,%s"}]}]"""
                .formatted(HUGE_PNG)), 422, "input[0].content[0].image_url"));
        c.add(new Case(RESPONSES, "tool_choice naming a tool not offered", responses("""
                "input":"x"%s,"tool_choice":{"type":"function","name":"launch_missiles"}""".formatted(tools)),
                422, "tool_choice"));
        c.add(new Case(RESPONSES, "tool_choice required with no tools", responses("""
                "input":"x","tool_choice":"required\""""), 422, "tool_choice"));
        c.add(new Case(RESPONSES, "tool name with spaces", responses("""
                "input":"x","tools":[{"type":"function","name":"get weather","parameters":{"type":"object"}}]"""),
                422, "tools[0].name"));
        c.add(new Case(RESPONSES, "store true", """
                {"model":"openai/gpt-4.1-mini","store":true,"input":"x"}""", 400, "store"));
        c.add(new Case(RESPONSES, "previous_response_id", responses("""
                "input":"x","previous_response_id":"resp_123\""""), 400, "previous_response_id"));
        c.add(new Case(RESPONSES, "unknown content part type", responses("""
                "input":[{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"AAAA"}}]}]"""),
                422, "input[0].content[0].type"));
        c.add(new Case(RESPONSES, "unknown input item type", responses("""
                "input":[{"type":"computer_call_output","call_id":"c","output":{}}]"""), 422, "input[0].type"));
        c.add(new Case(RESPONSES, "tools for a model without tools", """
                {"model":"demo/monkey-demo","store":false,"input":"x"%s}""".formatted(tools), 422, "tools"));
        c.add(new Case(RESPONSES, "body over the limit", responses("\"input\":\"" + pad() + "\""), 413, null));
    }

    // ---- /v1/messages ----

    private static final String ANTHROPIC_TOOL = """
            {"name":"get_weather","input_schema":{"type":"object","properties":{"city":{"type":"string"}}}}""";

    private static String messages(String extra) {
        return "{\"model\":\"anthropic/claude-sonnet-4-5\",\"max_tokens\":4096," + extra + "}";
    }

    private static String toolUse(String id, String name, String input) {
        return "{\"type\":\"tool_use\",\"id\":\"" + id + "\",\"name\":\"" + name + "\",\"input\":" + input + "}";
    }

    private static void messages(List<Case> c) {
        String hi = "{\"role\":\"user\",\"content\":\"weather?\"}";
        String tools = ",\"tools\":[" + ANTHROPIC_TOOL + "]";
        c.add(new Case(MESSAGES, "input_schema not an object", messages("""
                "messages":[%s],"tools":[{"name":"f","input_schema":"a string"}]""".formatted(hi)),
                422, "tools[0].input_schema"));
        c.add(new Case(MESSAGES, "input_schema of type array", messages("""
                "messages":[%s],"tools":[{"name":"f","input_schema":{"type":"array"}}]""".formatted(hi)),
                422, "tools[0].input_schema.type"));
        c.add(new Case(MESSAGES, "tool_result answering no tool_use", messages("""
                "messages":[%s,{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_ghost","content":"sunny"}]}]%s"""
                .formatted(hi, tools)), 422, "messages[1].content[0].tool_use_id"));
        c.add(new Case(MESSAGES, "tool_use id reused", messages("""
                "messages":[%s,{"role":"assistant","content":[%s,%s]}]%s"""
                .formatted(hi, toolUse("toolu_1", "get_weather", "{}"), toolUse("toolu_1", "get_weather", "{}"), tools)),
                422, "messages[1].content[1].id"));
        c.add(new Case(MESSAGES, "tool_use input an array", messages("""
                "messages":[%s,{"role":"assistant","content":[%s]}]%s"""
                .formatted(hi, toolUse("toolu_1", "get_weather", "[1,2]"), tools)), 422, "messages[1].content[0].input"));
        c.add(new Case(MESSAGES, "tool_use input a string of JSON", messages("""
                "messages":[%s,{"role":"assistant","content":[%s]}]%s"""
                .formatted(hi, toolUse("toolu_1", "get_weather", "\"{\\\"city\\\":\\\"Paris\\\"}\""), tools)),
                422, "messages[1].content[0].input"));
        c.add(new Case(MESSAGES, "image/tiff", messages("""
                "messages":[{"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/tiff","data":"SUkqAA=="}}]}]"""),
                422, "messages[0].content[0].source"));
        c.add(new Case(MESSAGES, "text/plain data: URL", messages("""
                "messages":[{"role":"user","content":[{"type":"image","source":{"type":"url","url":"data:text/plain;base64,aGVsbG8="}}]}]"""),
                422, "messages[0].content[0].source.url"));
        c.add(new Case(MESSAGES, "image over 5 MiB", messages("""
                "messages":[{"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/png","data":"%s"}}]}]"""
                .formatted(HUGE_PNG)), 422, "messages[0].content[0].source"));
        c.add(new Case(MESSAGES, "image/tiff inside a tool_result", messages("""
                "messages":[%s,{"role":"assistant","content":[%s]},{"role":"user","content":[{"type":"tool_result",
                "tool_use_id":"toolu_1","content":[{"type":"image","source":{"type":"base64","media_type":"image/tiff","data":"SUkqAA=="}}]}]}]%s"""
                .formatted(hi, toolUse("toolu_1", "get_weather", "{}"), tools)),
                422, "messages[2].content[0].content[0].source"));
        c.add(new Case(MESSAGES, "thinking budget under 1024", messages("""
                "messages":[%s],"thinking":{"type":"enabled","budget_tokens":512}""".formatted(hi)),
                422, "thinking.budget_tokens"));
        c.add(new Case(MESSAGES, "tool_choice naming a tool not offered", messages("""
                "messages":[%s]%s,"tool_choice":{"type":"tool","name":"launch_missiles"}""".formatted(hi, tools)),
                422, "tool_choice"));
        c.add(new Case(MESSAGES, "tool_choice any with no tools", messages("""
                "messages":[%s],"tool_choice":{"type":"any"}""".formatted(hi)), 422, "tool_choice"));
        c.add(new Case(MESSAGES, "tool name with spaces", messages("""
                "messages":[%s],"tools":[{"name":"get weather","input_schema":{"type":"object"}}]""".formatted(hi)),
                422, "tools[0].name"));
        c.add(new Case(MESSAGES, "unknown content block type", messages("""
                "messages":[{"role":"user","content":[{"type":"document","source":{"type":"text","media_type":"text/plain","data":"x"}}]}]"""),
                422, "messages[0].content[0].type"));
        c.add(new Case(MESSAGES, "tools for a model without tools", """
                {"model":"demo/monkey-demo","max_tokens":100,"messages":[%s]%s}""".formatted(hi, tools), 422, "tools"));
        c.add(new Case(MESSAGES, "body over the limit", messages("""
                "messages":[{"role":"user","content":"%s"}]""".formatted(pad())), 413, null));
    }

    /** Text that takes a body past the gateway's limit. */
    private static String pad() {
        return "a".repeat(BODY_LIMIT_MB * MIB + 1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void refusedInTheDialectsOwnShapeNamingTheField(Case c) {
        HttpResponse<String> response = gateway.post(c.route(), c.body());

        assertThat(response.statusCode()).as("status of %s", abbreviated(response.body())).isEqualTo(c.status());
        switch (c.route()) {
            case EXECUTE -> assertNative(response, c);
            case MESSAGES -> assertAnthropic(response, c);
            default -> assertOpenAi(response, c);
        }
    }

    private static void assertNative(HttpResponse<String> response, Case c) {
        String code = switch (c.status()) {
            case 413 -> "PAYLOAD_TOO_LARGE";
            case 400 -> "BAD_REQUEST";
            default -> "VALIDATION_ERROR";
        };
        JsonNode details = assertEnvelope(response, c.status(), code);
        if (c.field() != null) {
            assertThat(details.path("field").asText()).isEqualTo(c.field());
            assertThat(TestGateway.json(response).path("error").path("message").asText()).contains(c.field());
        }
    }

    private static void assertOpenAi(HttpResponse<String> response, Case c) {
        JsonNode root = TestGateway.json(response);
        assertThat(root.size()).as("only 'error' at the top: %s", root).isEqualTo(1);
        JsonNode error = root.path("error");
        assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.path("message").asText()).isNotBlank();
        assertThat(error.has("param")).as("param is written out: %s", error).isTrue();
        assertThat(error.path("code").asText()).isEqualTo(switch (c.status()) {
            case 413 -> "payload_too_large";
            case 400 -> "bad_request";
            default -> "validation_error";
        });
        if (c.field() == null) {
            assertThat(error.get("param").isNull()).isTrue();
        } else {
            assertThat(error.path("param").asText()).isEqualTo(c.field());
            assertThat(error.path("message").asText()).contains(c.field());
        }
    }

    private static void assertAnthropic(HttpResponse<String> response, Case c) {
        JsonNode root = TestGateway.json(response);
        assertThat(root.path("type").asText()).isEqualTo("error");
        JsonNode error = root.path("error");
        assertThat(error.path("type").asText())
                .isEqualTo(c.status() == 413 ? "request_too_large" : "invalid_request_error");
        assertThat(error.path("message").asText()).isNotBlank();
        if (c.field() != null) {
            assertThat(error.path("message").asText()).contains(c.field());
        }
    }

    private static String abbreviated(String body) {
        return body.length() > 500 ? body.substring(0, 500) + "..." : body;
    }
}
