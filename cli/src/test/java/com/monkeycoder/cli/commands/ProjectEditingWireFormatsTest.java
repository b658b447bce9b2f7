package com.monkeycoder.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.monkeycoder.cli.CliRun;
import com.monkeycoder.daemon.testing.TestGateway;
import com.monkeycoder.shared.Json;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.Predicate;

import static com.monkeycoder.cli.commands.ProjectEditingTest.APP;
import static com.monkeycoder.cli.commands.ProjectEditingTest.edit;
import static com.monkeycoder.cli.commands.ProjectEditingTest.git;
import static com.monkeycoder.cli.commands.ProjectEditingTest.initRepo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code monkey implement} scenario of {@link ProjectEditingTest} (list, read, propose three edits, answer; commit;
 * continue with {@code -c}; undo) against the real gateway and a scripted upstream speaking each other provider wire
 * format the gateway translates to: Anthropic's Messages API and Google's Gemini API. The script is written once, as
 * turns, and each wire format renders it in its own non-streamed response shape and counts the rounds by the tool
 * results its own request shape carries.
 */
class ProjectEditingWireFormatsTest {

    private static final String KEY = "upstream-test-key-wire-formats-0";

    @TempDir
    Path home;
    @TempDir
    Path repo;

    private MockWebServer upstream;
    private TestGateway gateway;
    private volatile WireFormat wire;
    /** Which turn the model takes, given how many tool results the request carries; set by each run. */
    private volatile IntFunction<Turn> script;
    private final List<RecordedRequest> requests = Collections.synchronizedList(new ArrayList<>());
    private final List<JsonNode> received = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void start() throws Exception {
        upstream = new MockWebServer();
        upstream.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                try {
                    JsonNode body = Json.mapper().readTree(request.getBody().readUtf8());
                    requests.add(request);
                    received.add(body);
                    return json(wire.render(script.apply(wire.toolResults(body))));
                } catch (IOException e) {
                    return new MockResponse().setResponseCode(400);
                }
            }
        });
        upstream.start();
        initRepo(repo);
    }

    @AfterEach
    void stop() throws IOException {
        if (gateway != null) {
            gateway.close();
        }
        upstream.shutdown();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(WireFormat.class)
    void readsThroughToolsEditsCommitsContinuesAndUndoes(WireFormat format) throws Exception {
        wire = format;
        gateway = TestGateway.start(home, format.env(upstream.url("/").toString()));
        Map<String, String> env = CliRun.remoteEnv(gateway);
        script = results -> switch (results) {
            case 0 -> calls(call("c1", "list_files", "{}"));
            case 1 -> calls(call("c2", "read_file", "{\"path\":\"app.py\"}"), call("c3", "read_file", "{\"path\":\"routes.py\"}"));
            case 3 -> calls(
                    call("c4", "propose_edit", edit("app.py", "register(app)\n", "register(app)\nregister_health(app)\n")),
                    call("c5", "propose_edit", edit("routes.py", "def register(app):\n",
                            "from health import health\n\ndef register_health(app):\n    app.get('/health', health)\n\n\ndef register(app):\n")),
                    call("c6", "propose_edit", "{\"path\":\"health.py\",\"content\":\"def health():\\n    return 'ok'\\n\"}"));
            default -> new Turn.Text("Add a /health endpoint\n\nIt answers ok.");
        };

        CliRun first = CliRun.run(env, "implement", "--dir", repo.toString(), "--model", format.model, "--yes",
                "--commit", "add a /health endpoint");

        assertThat(first.exitCode()).as(first.allOutput()).isZero();
        assertThat(received).hasSize(4);
        assertThat(requests).allSatisfy(r -> {
            assertThat(r.getPath()).isEqualTo(format.path);
            assertThat(r.getHeader(format.keyHeader)).isEqualTo(KEY);
        });
        assertThat(received.getFirst().path("tools").findValuesAsText("name"))
                .contains("list_files", "read_file", "search_text", "propose_edit");
        assertThat(received.get(2).toString()).contains("app = make_app()").contains("app.get('/users', list_users)");
        assertThat(Files.readString(repo.resolve("app.py"))).isEqualTo(APP.replace("register(app)\n",
                "register(app)\nregister_health(app)\n"));
        assertThat(Files.readString(repo.resolve("routes.py"))).isEqualTo("from health import health\n\n"
                + "def register_health(app):\n    app.get('/health', health)\n\n\n"
                + "def register(app):\n    app.get('/users', list_users)\n");
        assertThat(Files.readString(repo.resolve("health.py"))).isEqualTo("def health():\n    return 'ok'\n");
        assertThat(git(repo, "log", "--format=%s", "-n", "2")).isEqualTo("Add a /health endpoint\nthe app");
        assertThat(git(repo, "show", "--name-only", "--format=", "HEAD").lines().sorted().toList())
                .containsExactly("app.py", "health.py", "routes.py");
        assertThat(git(repo, "log", "-1", "--format=%B")).contains("Monkey-Coder-Model: " + format.model);
        assertThat(git(repo, "status", "--porcelain")).isEmpty();

        received.clear();
        requests.clear();
        script = results -> results == 0
                ? calls(call("t1", "propose_edit", "{\"path\":\"test_health.py\",\"content\":\"from health import health\\n\\n"
                + "def test_health():\\n    assert health() == 'ok'\\n\"}"))
                : new Turn.Text("Add a test for /health");

        CliRun second = CliRun.run(env, "implement", "--dir", repo.toString(), "--model", format.model, "-c", "--yes",
                "--commit", "now add a test for it");

        assertThat(second.exitCode()).as(second.allOutput()).isZero();
        assertThat(repo.resolve("test_health.py")).exists();
        // The gateway sent the stored first exchange, in this wire format's history, before the new task.
        String sent = format.history(received.getFirst()).toString();
        assertThat(sent).contains("add a /health endpoint").contains("Add a /health endpoint\\n\\nIt answers ok.");
        assertThat(sent.indexOf("add a /health endpoint")).isLessThan(sent.indexOf("Add a /health endpoint\\n\\nIt"));
        assertThat(sent.indexOf("Add a /health endpoint\\n\\nIt")).isLessThan(sent.indexOf("now add a test for it"));
        assertThat(git(repo, "show", "--name-only", "--format=", "HEAD")).isEqualTo("test_health.py");

        CliRun undo = CliRun.run(env, "undo", "--dir", repo.toString());

        assertThat(undo.exitCode()).as(undo.allOutput()).isZero();
        assertThat(undo.out()).contains("Add a test for /health");
        assertThat(repo.resolve("test_health.py")).doesNotExist();
        assertThat(git(repo, "log", "-1", "--format=%s")).isEqualTo("Add a /health endpoint");
        assertThat(git(repo, "status", "--porcelain")).isEmpty();
    }

    // --- the script, once, in the wire format's own words

    /** One answer of the scripted model. */
    sealed interface Turn {
        record Calls(List<Call> calls) implements Turn {
        }

        record Text(String text) implements Turn {
        }
    }

    /** A tool call; {@code arguments} is a JSON object. */
    record Call(String id, String name, String arguments) {
        JsonNode input() {
            try {
                return Json.mapper().readTree(arguments);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static Turn calls(Call... calls) {
        return new Turn.Calls(List.of(calls));
    }

    private static Call call(String id, String name, String arguments) {
        return new Call(id, name, arguments);
    }

    /** A provider wire format as the fake upstream speaks it: its env, its path, its shapes. */
    enum WireFormat {
        /** Anthropic Messages: {@code tool_use} blocks out, {@code tool_result} blocks back in the user turn. */
        ANTHROPIC("anthropic/claude-sonnet-4-5", "/v1/messages", "x-api-key") {
            @Override
            Map<String, String> env(String baseUrl) {
                return Map.of("ANTHROPIC_API_KEY", KEY, "ANTHROPIC_BASE_URL", baseUrl);
            }

            @Override
            int toolResults(JsonNode body) {
                return count(body.path("messages"), "content", block -> "tool_result".equals(block.path("type").asText()));
            }

            @Override
            JsonNode history(JsonNode body) {
                return body.path("messages");
            }

            @Override
            ObjectNode render(Turn turn) {
                ObjectNode body = Json.mapper().createObjectNode().put("id", "msg_01ProjectEditing").put("type", "message")
                        .put("role", "assistant").put("model", "claude-sonnet-4-5-20250929");
                ArrayNode content = body.putArray("content");
                switch (turn) {
                    case Turn.Calls c -> {
                        for (Call call : c.calls()) {
                            content.addObject().put("type", "tool_use").put("id", "toolu_" + call.id())
                                    .put("name", call.name()).set("input", call.input());
                        }
                        body.put("stop_reason", "tool_use");
                    }
                    case Turn.Text t -> {
                        content.addObject().put("type", "text").put("text", t.text());
                        body.put("stop_reason", "end_turn");
                    }
                }
                body.putNull("stop_sequence");
                body.putObject("usage").put("input_tokens", 100).put("output_tokens", 20);
                return body;
            }
        },
        /** Gemini: {@code functionCall} parts out (no ids), {@code functionResponse} parts back in a user turn. */
        GEMINI("google/gemini-2.5-flash", "/v1beta/models/gemini-2.5-flash:generateContent", "x-goog-api-key") {
            @Override
            Map<String, String> env(String baseUrl) {
                return Map.of("GEMINI_API_KEY", KEY, "GOOGLE_BASE_URL", baseUrl);
            }

            @Override
            int toolResults(JsonNode body) {
                return count(body.path("contents"), "parts", part -> part.has("functionResponse"));
            }

            @Override
            JsonNode history(JsonNode body) {
                return body.path("contents");
            }

            @Override
            ObjectNode render(Turn turn) {
                ObjectNode body = Json.mapper().createObjectNode();
                ObjectNode candidate = body.putArray("candidates").addObject();
                ArrayNode parts = candidate.putObject("content").put("role", "model").putArray("parts");
                switch (turn) {
                    case Turn.Calls c -> {
                        for (Call call : c.calls()) {
                            parts.addObject().putObject("functionCall").put("name", call.name()).set("args", call.input());
                        }
                    }
                    case Turn.Text t -> parts.addObject().put("text", t.text());
                }
                candidate.put("finishReason", "STOP").put("index", 0);
                body.putObject("usageMetadata").put("promptTokenCount", 100).put("candidatesTokenCount", 20)
                        .put("totalTokenCount", 120);
                body.put("modelVersion", "gemini-2.5-flash");
                return body;
            }
        };

        final String model;
        final String path;
        final String keyHeader;

        WireFormat(String model, String path, String keyHeader) {
            this.model = model;
            this.path = path;
            this.keyHeader = keyHeader;
        }

        /** The gateway's env enabling this provider at the fake's base URL. */
        abstract Map<String, String> env(String baseUrl);

        /** How many tool results the request carries: where in the script the conversation is. */
        abstract int toolResults(JsonNode body);

        /** The conversation the request sends. */
        abstract JsonNode history(JsonNode body);

        /** The turn as this provider's non-streamed response body. */
        abstract ObjectNode render(Turn turn);
    }

    /** How many of the turns' parts (in each turn's {@code partsField}) are tool results. */
    private static int count(JsonNode turns, String partsField, Predicate<JsonNode> isToolResult) {
        int n = 0;
        for (JsonNode turn : turns) {
            for (JsonNode part : turn.path(partsField)) {
                n += isToolResult.test(part) ? 1 : 0;
            }
        }
        return n;
    }

    private static MockResponse json(ObjectNode body) {
        return new MockResponse().setHeader("Content-Type", "application/json").setBody(body.toString());
    }
}
