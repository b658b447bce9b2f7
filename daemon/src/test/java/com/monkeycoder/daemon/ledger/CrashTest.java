package com.monkeycoder.daemon.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.daemon.testing.ChildGateway;
import com.monkeycoder.daemon.testing.SharedStores;
import com.monkeycoder.daemon.testing.TestGateway;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ledger contract (README, "The usage ledger"): a gateway killed with SIGKILL at any moment under load loses no row of a response a client
 * received, and writes none twice. The gateway runs in a child JVM ({@code monkey daemon run} on the test
 * classpath) so that it can really be killed; clients stream and fetch whole answers from it at once.
 */
class CrashTest {

    private static final Pattern LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+)");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final int COMPLETED_BEFORE_KILL = 150;

    @TempDir
    Path home;

    /** The local daemon on its SQLite file, and the shared gateway on PostgreSQL + Redis. */
    enum Setup { LOCAL_SQLITE, GATEWAY_POSTGRES }

    @ParameterizedTest
    @EnumSource(Setup.class)
    void everyResponseAClientReceivedHasExactlyOneRowAfterAKill(Setup setup) throws Exception {
        try (SharedStores stores = SharedStores.create(
                setup == Setup.LOCAL_SQLITE ? SharedStores.Engine.SQLITE : SharedStores.Engine.POSTGRES, home)) {
            Map<String, String> env = new HashMap<>();
            env.put("MONKEY_CODER_HOME", home.toString());
            env.put("MONKEY_CODER_LOCAL_KEY", TestGateway.KEY);
            env.put("MONKEY_CODER_DEMO_DELAY_MS", "1");
            env.put("MONKEY_CODER_HOST", "127.0.0.1");
            env.put("OLLAMA_BASE_URL", "http://127.0.0.1:9/v1");
            String mode = "local";
            if (setup == Setup.GATEWAY_POSTGRES) {
                env.putAll(stores.gatewayEnv());
                mode = "gateway";
            }

            Child first = Child.start(env, mode);
            String key = setup == Setup.GATEWAY_POSTGRES ? unlimitedAccount(first, stores) : TestGateway.KEY;

            Set<String> completed = ConcurrentHashMap.newKeySet();
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService clients = Executors.newFixedThreadPool(12);
            for (int c = 0; c < 12; c++) {
                boolean streaming = c % 2 == 0;
                int client = c;
                clients.submit(() -> {
                    for (int i = 0; !stop.get(); i++) {
                        try {
                            String id = streaming ? streamed(first.port(), key, client, i) : whole(first.port(), key, client, i);
                            if (id != null) {
                                completed.add(id);
                            }
                        } catch (IOException | InterruptedException killed) {
                            // the gateway died under this request: the client got no complete answer
                        }
                    }
                });
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (completed.size() < COMPLETED_BEFORE_KILL && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            first.process().destroyForcibly(); // SIGKILL, mid-load
            first.process().waitFor(10, TimeUnit.SECONDS);
            stop.set(true);
            clients.shutdown();
            assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            assertThat(completed).as("responses completed before the kill").hasSizeGreaterThanOrEqualTo(COMPLETED_BEFORE_KILL);

            Child second = Child.start(env, mode); // a restart opens the same ledger
            try {
                String after = whole(second.port(), key, 99, 0);
                assertThat(after).as("the restarted gateway answers").isNotNull();
                completed.add(after);
            } finally {
                second.process().destroy();
                second.process().waitFor(30, TimeUnit.SECONDS);
            }

            try (Connection c = DriverManager.getConnection(setup == Setup.LOCAL_SQLITE
                    ? "jdbc:sqlite:" + home.resolve("data/monkey.db") : stores.postgresUrl())) {
                try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM ledger WHERE request_id = ?")) {
                    for (String id : completed) {
                        ps.setString(1, id);
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            assertThat(rs.getLong(1)).as("rows of " + id).isEqualTo(1);
                        }
                    }
                }
                try (Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("SELECT COUNT(*), COUNT(DISTINCT request_id) FROM ledger")) {
                    rs.next();
                    assertThat(rs.getLong(1)).isEqualTo(rs.getLong(2)).isGreaterThanOrEqualTo(completed.size());
                }
            }
        }
    }

    /** A whole answer's request id, or null when the answer was not a complete 200. */
    private static String whole(int port, String key, int client, int i) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(request(port, key, "{\"prompt\":\"task " + client + "-" + i
                + "\",\"model\":\"demo/monkey-demo\",\"use_cache\":false}"), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            return null;
        }
        JsonNode body = TestGateway.parse(r.body());
        return body.path("content").asText().isEmpty() ? null : body.path("request_id").asText();
    }

    /** A streamed answer's request id, once its {@code done} event arrived; null otherwise. */
    private static String streamed(int port, String key, int client, int i) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(request(port, key, "{\"prompt\":\"stream " + client + "-" + i
                + "\",\"model\":\"demo/monkey-demo\",\"stream\":true,\"use_cache\":false}"), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            return null;
        }
        var events = TestGateway.events(r.body());
        if (events.isEmpty() || !events.getLast().event().equals("done")) {
            return null;
        }
        return TestGateway.parse(events.getLast().data()).path("request_id").asText();
    }

    private static HttpRequest request(int port, String key, String json) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/execute"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(json)).build();
    }

    private static String unlimitedAccount(Child gateway, SharedStores stores) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port()
                        + "/v1/auth/register")).POST(HttpRequest.BodyPublishers.ofString(
                        "{\"email\":\"load@example.com\",\"password\":\"correct horse battery\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        try (Connection c = DriverManager.getConnection(stores.postgresUrl()); Statement st = c.createStatement()) {
            st.execute("UPDATE accounts SET tier = 'unlimited'"); // the load outruns Free's 100 requests an hour
        }
        return TestGateway.parse(r.body()).path("api_key").asText();
    }

    /** A gateway in its own JVM, started with {@link ChildGateway}; its port is read from its output. */
    private record Child(Process process, int port) {

        static Child start(Map<String, String> env, String mode) throws IOException {
            String java = ProcessHandle.current().info().command().orElse("java");
            String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            ProcessBuilder pb = new ProcessBuilder(java, "-cp", classpath, ChildGateway.class.getName(), mode);
            pb.environment().clear();
            pb.environment().putAll(env);
            pb.redirectErrorStream(true);
            Process process = pb.start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            List<String> seen = new ArrayList<>();
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                seen.add(line);
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    Thread drain = new Thread(() -> {
                        try {
                            while (out.readLine() != null) {
                                // keep the pipe from filling up
                            }
                        } catch (IOException ignored) {
                            // the process ended
                        }
                    });
                    drain.setDaemon(true);
                    drain.start();
                    return new Child(process, Integer.parseInt(m.group(1)));
                }
            }
            throw new AssertionError("the child gateway did not start:\n" + String.join("\n", seen));
        }
    }
}
