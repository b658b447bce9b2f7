package com.monkeycoder.cli.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.CliRun;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.daemon.testing.SharedStores;
import com.monkeycoder.daemon.testing.TestGateway;
import com.monkeycoder.shared.MonkeyPaths;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The daemon as a process of its own, started the way users start it: {@code monkey daemon start} (the JVM
 * options and log file the CLI gives it) and {@code monkey daemon run --mode gateway} on PostgreSQL and Redis with
 * the same JVM options. What it writes is its log, and every line of it is one JSON object.
 */
class DaemonProcessTest {

    private static final Duration START = Duration.ofSeconds(90);

    @TempDir
    Path home;

    private Map<String, String> env;
    private Process gateway;

    @AfterEach
    void stop() throws InterruptedException {
        if (env != null) {
            CliRun.run(env, "daemon", "stop"); // the daemon this test started, never this JVM
        }
        if (gateway != null && gateway.isAlive()) {
            gateway.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void startOnAnotherPortIsRefusedUntilRestartMovesItAndItsLogIsJsonWithoutJvmWarnings() throws IOException {
        int first = freePort();
        int second = freePort();
        env = Map.of("MONKEY_CODER_HOME", home.toString(), "MONKEY_CODER_DEMO_DELAY_MS", "0",
                "OLLAMA_BASE_URL", "http://127.0.0.1:9/v1");

        CliRun start = CliRun.run(env, "daemon", "start", "--port", Integer.toString(first));
        assertThat(start.exitCode()).as(start.allOutput()).isZero();
        long firstPid = new DaemonControl(new CliContext(env, false)).running().orElseThrow().pid();
        assertThat(CliRun.run(env, "implement", "--provider", "demo", "--no-stream", "hello").exitCode()).isZero();

        CliRun elsewhere = CliRun.run(env, "daemon", "start", "--port", Integer.toString(second));

        assertThat(elsewhere.exitCode()).isEqualTo(ExitCodes.CONFIG_OR_AUTH);
        assertThat(elsewhere.out()).isEmpty();
        assertThat(elsewhere.errLines()).containsExactly("monkey: the daemon is already running on port " + first
                + " (pid " + firstPid + "), not " + second + ": restart it there with 'monkey daemon start --port "
                + second + " --restart'");

        CliRun restart = CliRun.run(env, "daemon", "start", "--port", Integer.toString(second), "--restart");

        assertThat(restart.exitCode()).as(restart.allOutput()).isZero();
        assertThat(restart.outLines()).hasSize(2);
        assertThat(restart.outLines().get(0)).isEqualTo("Stopped the daemon on port " + first + " (pid " + firstPid + ").");
        assertThat(restart.outLines().get(1)).startsWith("The daemon is running on http://127.0.0.1:" + second + " (pid ");
        assertThat(restart.err()).isEmpty();
        assertThat(CliRun.run(env, "daemon", "status").out()).contains("running on http://127.0.0.1:" + second);

        List<JsonNode> log = jsonLines(MonkeyPaths.from(env).logFile());
        assertThat(log).extracting(l -> l.path("event").asText())
                .containsSubsequence("listening", "request", "stopping", "listening");
        assertThat(log).filteredOn(l -> l.path("event").asText().equals("listening"))
                .extracting(l -> l.path("port").asInt()).containsExactly(first, second);
    }

    @Test
    void aGatewayOnPostgresWritesOnlyJsonLines() throws Exception {
        try (SharedStores stores = SharedStores.create(SharedStores.Engine.POSTGRES, home)) {
            Path log = home.resolve("gateway.log");
            gateway = runGateway(stores.gatewayEnv(), log);
            int port = listeningPort(log);
            HttpResponse<String> register = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/v1/auth/register"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"log@example.com\",\"password\":\"correct horse battery\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(register.statusCode()).as(register.body()).isEqualTo(201);
            gateway.destroy(); // SIGTERM: it drains and says so
            assertThat(gateway.waitFor(60, TimeUnit.SECONDS)).isTrue();

            List<JsonNode> lines = jsonLines(log);
            assertThat(lines).extracting(l -> l.path("event").asText()).containsSubsequence("listening", "request", "stopping");
            assertThat(lines).filteredOn(l -> l.path("event").asText().equals("request")).singleElement()
                    .satisfies(l -> {
                        assertThat(l.path("route").asText()).isEqualTo("/v1/auth/register");
                        assertThat(l.path("status").asInt()).isEqualTo(201);
                    });
        }
    }

    @Test
    void aRedisThatDoesNotAnswerStopsTheStartWithOneLine() throws Exception {
        try (SharedStores stores = SharedStores.create(SharedStores.Engine.POSTGRES, home)) {
            Map<String, String> unreachable = new HashMap<>(stores.gatewayEnv());
            unreachable.put("REDIS_URL", "redis://127.0.0.1:9");
            Path log = home.resolve("gateway.log");
            gateway = runGateway(unreachable, log);

            assertThat(gateway.waitFor(START.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(gateway.exitValue()).isEqualTo(ExitCodes.CONFIG_OR_AUTH);
            List<String> lines = Files.readAllLines(log);
            assertThat(lines).as("the whole output").hasSize(1);
            JsonNode line = TestGateway.parse(lines.getFirst());
            assertThat(line.path("event").asText()).isEqualTo("start_failed");
            assertThat(line.path("message").asText()).isEqualTo("cannot reach Redis at redis://127.0.0.1:9 "
                    + "(Failed to connect to 127.0.0.1:9.): check REDIS_URL");
        }
    }

    /** {@code monkey daemon run --mode gateway} with the JVM options 'daemon start' gives, output into {@code log}. */
    private Process runGateway(Map<String, String> storesEnv, Path log) throws IOException {
        Map<String, String> gatewayEnv = new HashMap<>(storesEnv);
        gatewayEnv.put("MONKEY_CODER_HOME", home.toString());
        gatewayEnv.put("MONKEY_CODER_HOST", "127.0.0.1");
        List<String> command = new ArrayList<>(new DaemonControl(new CliContext(gatewayEnv, false)).command(0));
        command.addAll(List.of("--mode", "gateway"));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().clear();
        pb.environment().putAll(gatewayEnv);
        return pb.start();
    }

    /** Waits for the gateway's "listening" line and returns its port. */
    private int listeningPort(Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START.toNanos();
        while (System.nanoTime() < deadline && gateway.isAlive()) {
            Optional<JsonNode> listening = Files.exists(log) ? Files.readAllLines(log).stream()
                    .filter(l -> l.contains("\"event\":\"listening\"")).map(TestGateway::parse).findFirst() : Optional.empty();
            if (listening.isPresent()) {
                return listening.get().path("port").asInt();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the gateway did not start:\n" + (Files.exists(log) ? Files.readString(log) : ""));
    }

    /** Every line of the log, each of which must be a JSON object; none may carry the JVM's Unsafe warnings. */
    private static List<JsonNode> jsonLines(Path log) throws IOException {
        String text = Files.readString(log);
        assertThat(text).doesNotContain("sun.misc.Unsafe").doesNotContain("WARNING:");
        List<JsonNode> lines = new ArrayList<>();
        for (String line : text.lines().toList()) {
            JsonNode node = TestGateway.parse(line);
            assertThat(node.isObject()).as(line).isTrue();
            assertThat(node.path("ts").asText()).as(line).isNotEmpty();
            assertThat(node.path("level").asText()).as(line).isNotEmpty();
            lines.add(node);
        }
        return lines;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
