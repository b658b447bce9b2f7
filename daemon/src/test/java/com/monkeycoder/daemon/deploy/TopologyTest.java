package com.monkeycoder.daemon.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.daemon.testing.ChildGateway;
import com.monkeycoder.daemon.testing.SharedStores;
import com.monkeycoder.daemon.testing.TestGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The deployed topology as processes: nginx with {@code deploy/nginx.conf} (only its upstream servers and listen port
 * replaced) in front of three gateways on loopback sharing PostgreSQL (a schema of this test's own) and Redis (a key
 * prefix of its own), the demo provider upstream. Under mixed whole and streamed load the gateways are restarted one
 * at a time with SIGTERM, then one is killed with SIGKILL. {@code ./test.sh} installs nginx where it is missing;
 * without it this test is skipped.
 */
class TopologyTest {

    static final Path DEPLOY_NGINX = Path.of("..", "deploy", "nginx.conf");
    private static final Pattern UPSTREAM_SERVER = Pattern.compile("(?m)^( *)server gateway-\\d+:8420( .*)$\\n");
    private static final Pattern LISTEN = Pattern.compile("(?m)^( *)listen 8080;$");
    private static final Pattern LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+)");
    private static final int CLIENTS = 8;
    private static final int LIMIT = 20;

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path home;

    /** One request of the load: when it ran, what came back (status -1: no answer at all). */
    private record Outcome(long startNanos, long endNanos, int status, String requestId, boolean streamed) {
    }

    /** What a rolling restart saw of one instance's drain. */
    private record Drained(long first503Nanos, long refusedNanos, int exitCode) {
    }

    @Test
    void rollingRestartLosesNoRequestAndAKillOnlyThoseInFlight() throws Exception {
        Path nginx = nginx();
        assumeTrue(nginx != null, "nginx is not installed (./test.sh installs it: apt-get install -y nginx)");
        long began = System.nanoTime();
        try (SharedStores stores = SharedStores.create(SharedStores.Engine.POSTGRES, home)) {
            int[] ports = {freePort(), freePort(), freePort()};
            int lbPort = freePort();
            Map<String, String> env = new HashMap<>(stores.gatewayEnv());
            env.remove("MONKEY_CODER_DRAIN_PAUSE"); // the default, as in the image: 5 s
            env.put("MONKEY_CODER_DRAIN_TIMEOUT", "20"); // as in the image: under the orchestrators' 30 s
            env.put("MONKEY_CODER_HOST", "127.0.0.1");
            env.put("MONKEY_CODER_DEMO_DELAY_MS", "5");
            env.put("MONKEY_CODER_MAX_CONNECTIONS_PER_ADDRESS", "0"); // every connection comes from nginx
            env.put("MONKEY_CODER_TRUSTED_PROXIES", "127.0.0.1/32");
            env.put("OLLAMA_BASE_URL", "http://127.0.0.1:9/v1");
            Process[] gateways = new Process[3];
            Process lb = null;
            try {
                ExecutorService starts = Executors.newFixedThreadPool(3);
                List<Future<Process>> started = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    int n = i;
                    started.add(starts.submit(() -> startGateway(env, n, ports[n])));
                }
                for (int i = 0; i < 3; i++) {
                    gateways[i] = started.get(i).get(90, TimeUnit.SECONDS);
                }
                starts.shutdown();

                Path prefix = Files.createTempDirectory("monkey-nginx");
                Files.setPosixFilePermissions(prefix, PosixFilePermissions.fromString("rwxr-xr-x"));
                String deployed = Files.readString(DEPLOY_NGINX);
                String config = nginxConfig(deployed, ports, lbPort);
                assertThat(withoutTemplated(config)).as("deploy/nginx.conf apart from its upstream servers and port")
                        .isEqualTo(withoutTemplated(deployed));
                Files.writeString(prefix.resolve("nginx.conf"), config);
                List<String> nginxArgs = List.of(nginx.toString(), "-p", prefix + "/", "-c", prefix.resolve("nginx.conf").toString(),
                        "-e", prefix.resolve("error.log").toString(), "-g", "pid " + prefix.resolve("nginx.pid") + "; daemon off;");
                List<String> check = new ArrayList<>(nginxArgs);
                check.add("-t");
                Process test = new ProcessBuilder(check).redirectErrorStream(true).start();
                String checked = new String(test.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(test.waitFor()).as("nginx -t: " + checked).isZero();
                Path accessLog = prefix.resolve("access.log");
                lb = new ProcessBuilder(nginxArgs).redirectOutput(accessLog.toFile())
                        .redirectError(prefix.resolve("stderr.log").toFile()).start();
                waitForPort(lbPort, lb);
                String base = "http://127.0.0.1:" + lbPort;

                String key = unlimitedAccount(base, stores);
                String limited = limitedKey(base, key);

                // Mixed load through nginx, from here to the end of the SIGKILL phase.
                ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
                AtomicBoolean stop = new AtomicBoolean();
                ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
                for (int c = 0; c < CLIENTS; c++) {
                    int client = c;
                    clients.submit(() -> {
                        for (int i = 0; !stop.get(); i++) {
                            outcomes.add(call(base, key, client, i, (client + i) % 2 == 0));
                        }
                    });
                }
                Thread.sleep(2_000);

                // Rolling restart: SIGTERM one at a time, each back and ready before the next.
                List<Drained> drains = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    drains.add(drain(gateways[i], ports[i]));
                    gateways[i] = startGateway(env, i, ports[i]);
                    waitReady(ports[i]);
                    Thread.sleep(1_000);
                }
                long rollingEnd = System.nanoTime();

                // SIGKILL one under load.
                Thread.sleep(2_000);
                long killWallMs = System.currentTimeMillis();
                long killAt = System.nanoTime();
                gateways[1].destroyForcibly();
                gateways[1].waitFor(10, TimeUnit.SECONDS);
                // The kill is not one instant: nginx may hand the replica a request between the signal and its
                // death, which fails as surely as one it held before. Both count as in flight on it.
                long deadWallMs = System.currentTimeMillis();
                Thread.sleep(3_000);
                stop.set(true);
                clients.shutdown();
                assertThat(clients.awaitTermination(60, TimeUnit.SECONDS)).isTrue();

                // A tier limit across the replicas: a key of LIMIT requests an hour gets exactly LIMIT.
                int[] limitStatuses = limitRun(base, limited);

                // All replicas down: nginx answers at once, and not with a hang.
                gateways[0].destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                gateways[2].destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                long downStart = System.nanoTime();
                HttpResponse<String> down = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v1/execute"))
                        .header("Authorization", "Bearer " + key).timeout(Duration.ofSeconds(10))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"x\",\"model\":\"demo/monkey-demo\"}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                long downMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - downStart);

                // ---- the checks ----
                List<Outcome> all = new ArrayList<>(outcomes);
                List<Outcome> rolling = all.stream().filter(o -> o.endNanos() <= killAt).toList();
                List<Outcome> rollingErrors = rolling.stream().filter(o -> o.status() != 200).toList();
                List<Outcome> atKill = all.stream().filter(o -> o.endNanos() > killAt).toList();
                List<Outcome> killErrors = atKill.stream().filter(o -> o.status() != 200).toList();
                List<String> lbLines = Files.readAllLines(accessLog);
                long killedUpstreamFailures = inFlightAt(lbLines, "127.0.0.1:" + ports[1], killWallMs, deadWallMs);
                long ledgerRows = checkLedger(stores, all);

                System.out.printf("topology: %d requests (%d streamed), %d errors during the rolling restart, %d lost"
                                + " in flight at the SIGKILL (nginx: %d requests in flight on the killed replica), %d ledger rows for"
                                + " %d answered, limit %d admitted of %d (%d refused with 429), all replicas down: %d in"
                                + " %d ms, /ready 503 before the port closed: %s, drain exit codes %s, %d s%n",
                        all.size(), all.stream().filter(Outcome::streamed).count(), rollingErrors.size(),
                        killErrors.size(), killedUpstreamFailures, ledgerRows,
                        all.stream().filter(o -> o.status() == 200).count(), limitStatuses[0], LIMIT + 10,
                        limitStatuses[1], down.statusCode(), downMs,
                        drains.stream().map(d -> TimeUnit.NANOSECONDS.toMillis(d.refusedNanos() - d.first503Nanos()) + " ms").toList(),
                        drains.stream().map(Drained::exitCode).toList(),
                        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - began));

                assertThat(rollingErrors).as("client errors during the rolling restart").isEmpty();
                assertThat(rolling.size()).as("requests during the rolling restart").isGreaterThan(100);
                assertThat(drains).allSatisfy(d -> {
                    assertThat(d.first503Nanos()).as("/ready went 503 while the port was open").isPositive();
                    assertThat(d.first503Nanos()).as("/ready 503 before the port closed").isLessThan(d.refusedNanos());
                    assertThat(d.exitCode()).as("exit code after SIGTERM").isZero();
                });
                assertThat(killErrors).as("only requests in flight at the SIGKILL fail").allSatisfy(o ->
                        assertThat(o.startNanos()).isLessThan(killAt));
                assertThat(killErrors.size()).as("no more failures than requests in flight").isLessThanOrEqualTo(CLIENTS);
                assertThat((long) killErrors.size()).as("failures, at most the requests nginx had in flight on the"
                        + " killed replica").isLessThanOrEqualTo(killedUpstreamFailures);
                assertThat(limitStatuses[0]).as("admitted by a limit of " + LIMIT + " across three replicas").isEqualTo(LIMIT);
                assertThat(limitStatuses[1]).as("refused with 429").isEqualTo(10);
                assertThat(down.statusCode()).as("nginx with every replica down").isIn(502, 503);
                assertThat(downMs).as("answered quickly").isLessThan(3_000);
                assertThat(rollingEnd).isLessThan(killAt);
            } finally {
                for (Process p : gateways) {
                    if (p != null) {
                        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    }
                }
                if (lb != null) {
                    lb.destroy();
                    lb.waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    /**
     * From nginx's access log: the requests whose last upstream was {@code upstream} and that were running at
     * {@code atMs} (started before, ended at or after).
     */
    /**
     * Requests nginx had on {@code upstream} at some moment from {@code fromMs} to {@code toMs} (the kill: the signal,
     * then the process gone), by its access log; 5 ms of slack on each side for the log's millisecond times.
     */
    static long inFlightAt(List<String> lines, String upstream, long fromMs, long toMs) {
        Pattern line = Pattern.compile("^(\\d+\\.\\d+) .* upstream=(.*?) upstream_status=.* request_time=(\\d+\\.\\d+)$");
        long n = 0;
        for (String l : lines) {
            Matcher m = line.matcher(l);
            if (!m.matches()) {
                continue;
            }
            String[] tried = m.group(2).split(", ");
            long end = Math.round(Double.parseDouble(m.group(1)) * 1000);
            long start = end - Math.round(Double.parseDouble(m.group(3)) * 1000);
            if (tried[tried.length - 1].equals(upstream) && start <= toMs + 5 && end >= fromMs - 5) {
                n++;
            }
        }
        return n;
    }

    /** {@code deploy/nginx.conf} with the given upstream ports and listen port, and nothing else changed. */
    static String nginxConfig(String deployed, int[] ports, int lbPort) {
        Matcher first = UPSTREAM_SERVER.matcher(deployed);
        assertThat(first.find()).as("deploy/nginx.conf has 'server gateway-N:8420' lines").isTrue();
        StringBuilder servers = new StringBuilder();
        for (int port : ports) {
            servers.append(first.group(1)).append("server 127.0.0.1:").append(port).append(first.group(2)).append('\n');
        }
        String withoutServers = UPSTREAM_SERVER.matcher(deployed).replaceAll("");
        String config = withoutServers.substring(0, first.start()) + servers + withoutServers.substring(first.start());
        Matcher listen = LISTEN.matcher(config);
        assertThat(listen.find()).as("deploy/nginx.conf listens on 8080").isTrue();
        return listen.replaceFirst("$1listen 127.0.0.1:" + lbPort + ";");
    }

    /** The file with the lines the test replaces taken out: what must be byte-identical. */
    static String withoutTemplated(String config) {
        return config.replaceAll("(?m)^ *server (gateway-\\d+|127\\.0\\.0\\.1):\\d+ .*\\n", "")
                .replaceAll("(?m)^ *listen [0-9.:]+;\\n", "");
    }

    /** SIGTERM, then watch /ready from outside until the port refuses connections; returns what was seen. */
    private static Drained drain(Process gateway, int port) throws Exception {
        long first503 = -1;
        long refused = -1;
        gateway.destroy(); // SIGTERM
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/ready")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (ready.statusCode() == 503 && first503 < 0) {
                    first503 = System.nanoTime();
                }
            } catch (ConnectException e) {
                refused = System.nanoTime();
                break;
            } catch (IOException e) {
                // a connection closed under the probe: try again
            }
            Thread.sleep(20);
        }
        assertThat(gateway.waitFor(30, TimeUnit.SECONDS)).as("the gateway exits after its drain").isTrue();
        return new Drained(first503, refused, gateway.exitValue());
    }

    /** One request through nginx: a whole answer or a stream, with its request id when it completed. */
    private static Outcome call(String base, String key, int client, int i, boolean stream) {
        long start = System.nanoTime();
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v1/execute"))
                    .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"load " + client + "-" + i
                            + "\",\"model\":\"demo/monkey-demo\",\"use_cache\":false" + (stream ? ",\"stream\":true" : "") + "}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            String id = null;
            int status = r.statusCode();
            if (status == 200 && stream) {
                var events = TestGateway.events(r.body());
                if (events.isEmpty() || !events.getLast().event().equals("done")) {
                    status = -2; // a stream cut short
                } else {
                    id = TestGateway.parse(events.getLast().data()).path("request_id").asText();
                }
            } else if (status == 200) {
                id = TestGateway.parse(r.body()).path("request_id").asText();
            }
            return new Outcome(start, System.nanoTime(), status, id, stream);
        } catch (IOException | InterruptedException | RuntimeException e) {
            return new Outcome(start, System.nanoTime(), -1, null, stream);
        }
    }

    /** Every answered request has exactly one ledger row; returns the rows of the answered requests. */
    private static long checkLedger(SharedStores stores, List<Outcome> all) throws Exception {
        long rows = 0;
        try (Connection c = DriverManager.getConnection(stores.postgresUrl());
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM ledger WHERE request_id = ?")) {
            for (Outcome o : all) {
                if (o.status() == 200) {
                    ps.setString(1, o.requestId());
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        assertThat(rs.getLong(1)).as("ledger rows of " + o.requestId()).isEqualTo(1);
                        rows += rs.getLong(1);
                    }
                }
            }
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT COUNT(*), COUNT(DISTINCT request_id) FROM ledger")) {
                rs.next();
                assertThat(rs.getLong(1)).as("no request has two rows").isEqualTo(rs.getLong(2));
            }
        }
        return rows;
    }

    /** LIMIT + 10 requests at once with the limited key, spread by nginx over the three: [admitted, 429s]. */
    private static int[] limitRun(String base, String limited) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(10);
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        List<Future<?>> calls = new ArrayList<>();
        for (int i = 0; i < LIMIT + 10; i++) {
            int n = i;
            calls.add(pool.submit(() -> {
                Outcome o = call(base, limited, 100, n, false);
                if (o.status() == 200) {
                    ok.incrementAndGet();
                } else if (o.status() == 429) {
                    refused.incrementAndGet();
                }
            }));
        }
        for (Future<?> f : calls) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        return new int[]{ok.get(), refused.get()};
    }

    private static String unlimitedAccount(String base, SharedStores stores) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v1/auth/register"))
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"email\":\"topology@example.com\",\"password\":\"correct horse battery\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        try (Connection c = DriverManager.getConnection(stores.postgresUrl()); Statement st = c.createStatement()) {
            st.execute("UPDATE accounts SET tier = 'unlimited'"); // the load outruns Free's 100 requests an hour
        }
        return TestGateway.parse(r.body()).path("api_key").asText();
    }

    private static String limitedKey(String base, String key) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v1/auth/keys"))
                .header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"limited\",\"requests_per_hour\":" + LIMIT + "}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode body = TestGateway.parse(r.body());
        return body.has("api_key") ? body.path("api_key").asText() : body.path("key").asText();
    }

    /** A gateway in its own JVM on a fixed port (a restart comes back where nginx expects it). */
    private Process startGateway(Map<String, String> env, int n, int port) throws IOException {
        Map<String, String> own = new HashMap<>(env);
        own.put("MONKEY_CODER_HOME", home.resolve("gateway-" + n).toString());
        String java = ProcessHandle.current().info().command().orElse("java");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder pb = new ProcessBuilder(java, "-XX:+UseSerialGC", "-Xmx128m", "-cp", classpath,
                ChildGateway.class.getName(), "gateway", Integer.toString(port));
        pb.environment().clear();
        pb.environment().putAll(own);
        pb.redirectErrorStream(true);
        Process process = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        List<String> seen = new ArrayList<>();
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            seen.add(line);
            if (LISTENING.matcher(line).find()) {
                Thread reader = new Thread(() -> {
                    try {
                        while (out.readLine() != null) {
                            // keep the pipe from filling up
                        }
                    } catch (IOException ignored) {
                        // the process ended
                    }
                });
                reader.setDaemon(true);
                reader.start();
                return process;
            }
        }
        throw new AssertionError("gateway " + n + " did not start:\n" + String.join("\n", seen));
    }

    private static void waitReady(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new AssertionError("gateway on port " + port + " never became ready");
    }

    private static void waitForPort(int port, Process owner) throws Exception {
        for (int i = 0; i < 200; i++) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                assertThat(owner.isAlive()).as("nginx is running").isTrue();
                Thread.sleep(50);
            }
        }
        throw new AssertionError("nginx did not listen on " + port);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static Path nginx() {
        for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/usr/local/sbin").split(":")) {
            Path candidate = Path.of(dir, "nginx");
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
