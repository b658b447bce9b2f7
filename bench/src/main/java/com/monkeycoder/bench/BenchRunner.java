package com.monkeycoder.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark, end to end: starts the fake upstream, Monkey Coder from its built distribution (default
 * configuration: key check, SQLite ledger, metrics and request log on) and, when given, the Portkey gateway,
 * each as a process of its own; drives every scenario at each target from this process; writes the Markdown
 * report and the latency plot. Run it through {@code bench/run.sh}.
 *
 * <p>Arguments: {@code --dist DIR} (the distribution's lib folder), {@code --bench-cp CP} (this module's class
 * path, for the upstream), {@code --out DIR}, {@code --portkey FILE} (its start-server.js), {@code --quick}.
 */
public final class BenchRunner {

    static final String KEY = "mk-dev-bench00000000000000000000000000000000";
    static final String NON_STREAM_PROMPT = "bench words=40";
    static final String STREAM_PROMPT = "bench chunks=50 delay_ms=1 words=100";
    static final String OPEN_STREAM_PROMPT = "bench chunks=50 delay_ms=100 words=100";

    /** One scenario: how load is driven, and at what. */
    record Scenario(String id, String title, Kind kind, int level, boolean stream, String prompt) {
        enum Kind { CLOSED, RATE, OPEN_STREAMS }
    }

    static final List<Scenario> SCENARIOS = List.of(
            new Scenario("c1", "JSON, concurrency 1", Scenario.Kind.CLOSED, 1, false, NON_STREAM_PROMPT),
            new Scenario("c32", "JSON, concurrency 32", Scenario.Kind.CLOSED, 32, false, NON_STREAM_PROMPT),
            new Scenario("r500", "JSON, 500 req/s", Scenario.Kind.RATE, 500, false, NON_STREAM_PROMPT),
            new Scenario("r2000", "JSON, 2,000 req/s", Scenario.Kind.RATE, 2000, false, NON_STREAM_PROMPT),
            new Scenario("stream50", "stream of 50 chunks (1 ms apart), concurrency 8", Scenario.Kind.CLOSED, 8, true,
                    STREAM_PROMPT),
            new Scenario("open1000", "1,000 concurrent open streams (50 chunks, 100 ms apart)",
                    Scenario.Kind.OPEN_STREAMS, 1000, true, OPEN_STREAM_PROMPT));

    private BenchRunner() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = options(args);
        Path dist = Path.of(opts.getOrDefault("dist", "packaging/target/monkey-coder/lib"));
        String benchCp = opts.getOrDefault("bench-cp", System.getProperty("java.class.path"));
        Path out = Path.of(opts.getOrDefault("out", "bench/results"));
        boolean quick = opts.containsKey("quick");
        Duration warmup = Duration.ofSeconds(quick ? 1 : 2);
        Duration measure = Duration.ofSeconds(quick ? 3 : 8);
        Files.createDirectories(out);
        Path work = Files.createTempDirectory("monkey-bench");
        String java = ProcessHandle.current().info().command().orElse("java");

        List<String> notes = new ArrayList<>();
        java.util.Set<String> noStreams = new java.util.HashSet<>();
        Process upstream = null;
        Process gateway = null;
        Process peer = null;
        try {
            int upstreamPort = Processes.freePort();
            Path upstreamLog = work.resolve("upstream.log");
            upstream = Processes.start(List.of(java, "-cp", benchCp, "com.monkeycoder.bench.FakeUpstream",
                    Integer.toString(upstreamPort)), Map.of(), upstreamLog);
            Processes.awaitPort(upstream, upstreamPort, 30_000, upstreamLog);
            say("fake upstream on port " + upstreamPort + " (pid " + upstream.pid() + ")");

            int gatewayPort = Processes.freePort();
            Path home = work.resolve("home");
            Files.createDirectories(home.resolve("state"));
            Path gatewayLog = home.resolve("state/daemon.log");
            Map<String, String> env = new LinkedHashMap<>();
            env.put("MONKEY_CODER_HOME", home.toString());
            env.put("MONKEY_CODER_LOCAL_KEY", KEY);
            env.put("OPENAI_API_KEY", "sk-bench-not-a-real-key");
            env.put("OPENAI_BASE_URL", "http://127.0.0.1:" + upstreamPort + "/v1");
            env.put("OLLAMA_BASE_URL", "http://127.0.0.1:9/v1"); // no local Ollama joins the run
            // What `monkey daemon start` runs: the distribution's Main with no JVM flags, unless --gateway-java-opts.
            List<String> command = new ArrayList<>(List.of(java));
            String javaOpts = opts.getOrDefault("gateway-java-opts", "").trim();
            if (!javaOpts.isEmpty()) {
                command.addAll(List.of(javaOpts.split("\\s+")));
                notes.add("Monkey Coder ran with the JVM options `" + javaOpts + "` (not the default).");
            }
            command.addAll(List.of("-cp", dist.resolve("*").toString(), "com.monkeycoder.cli.Main", "daemon", "run",
                    "--port", Integer.toString(gatewayPort)));
            gateway = Processes.start(command, env, gatewayLog);
            Processes.awaitPort(gateway, gatewayPort, 60_000, gatewayLog);
            say("Monkey Coder on port " + gatewayPort + " (pid " + gateway.pid() + ")");

            List<Target> targets = new ArrayList<>();
            Map<String, Long> pids = new LinkedHashMap<>();
            targets.add(new Target("direct", upstreamPort, "/v1/chat/completions", "gpt-4.1-mini", Map.of()));
            targets.add(new Target("monkey", gatewayPort, "/v1/chat/completions", "openai/gpt-4.1-mini",
                    Map.of("Authorization", "Bearer " + KEY)));
            pids.put("monkey", gateway.pid());

            String portkey = opts.get("portkey");
            if (portkey == null) {
                notes.add("The Portkey gateway was not run: " + opts.getOrDefault("portkey-why", "no --portkey given") + ".");
            } else {
                int peerPort = Processes.freePort();
                Path peerLog = work.resolve("portkey.log");
                try {
                    peer = Processes.start(List.of("node", portkey, "--port=" + peerPort, "--headless"), Map.of(), peerLog);
                    Processes.awaitPort(peer, peerPort, 60_000, peerLog);
                    Target t = new Target("portkey", peerPort, "/v1/chat/completions", "gpt-4.1-mini", Map.of(
                            "Authorization", "Bearer sk-bench-not-a-real-key",
                            "x-portkey-provider", "openai",
                            "x-portkey-custom-host", "http://127.0.0.1:" + upstreamPort + "/v1"));
                    if (!smoke(t)) {
                        noStreams.add(t.name());
                        notes.add("The Portkey gateway answered JSON but failed every streamed request here (HTTP 500;"
                                + " its log: `TypeError: immutable` from `updateHeaders` appending to the upstream"
                                + " response's headers under Node " + Processes.firstLine("node", "--version")
                                + "), so it is left out of the streaming scenarios.");
                    }
                    targets.add(t);
                    pids.put("portkey", peer.pid());
                    say("Portkey on port " + peerPort + " (pid " + peer.pid() + ")");
                } catch (IOException | RuntimeException e) {
                    notes.add("The Portkey gateway was skipped: " + e.getMessage());
                    Processes.stop(peer);
                    peer = null;
                }
            }
            for (Target t : targets.subList(0, 2)) {
                if (!smoke(t)) {
                    throw new IOException(t.name() + " did not stream a test request");
                }
            }

            LoadGenerator load = new LoadGenerator();
            for (Target t : targets) {
                say("warming up " + t.name());
                load.closedLoop("warmup", t, t.request(NON_STREAM_PROMPT, false), false, 16, Duration.ZERO,
                        Duration.ofSeconds(quick ? 2 : 5));
                if (!noStreams.contains(t.name())) {
                    load.closedLoop("warmup", t, t.request(STREAM_PROMPT, true), true, 4, Duration.ZERO,
                            Duration.ofSeconds(quick ? 1 : 2));
                }
            }

            List<RunResult> results = new ArrayList<>();
            for (Scenario s : SCENARIOS) {
                for (Target t : targets) {
                    if (s.stream() && noStreams.contains(t.name())) {
                        continue;
                    }
                    Long pid = pids.get(t.name());
                    if (pid != null) {
                        Processes.resetPeakRss(pid);
                    }
                    byte[] request = t.request(s.prompt(), s.stream());
                    RunResult r = switch (s.kind()) {
                        case CLOSED -> load.closedLoop(s.id(), t, request, s.stream(), s.level(), warmup, measure);
                        case RATE -> load.openLoop(s.id(), t, request, s.level(), warmup, measure);
                        case OPEN_STREAMS -> load.openStreams(s.id(), t, request, s.level(), Duration.ofSeconds(2));
                    };
                    if (pid != null) {
                        r.peakRssKb = Processes.statusKb(pid, "VmHWM");
                    }
                    results.add(r);
                    say(String.format("%-9s %-8s %9.0f req/s  p50 %8.3f  p99 %8.3f  p99.9 %8.3f ms  errors %d%s", s.id(),
                            t.name(), r.throughput(), RunResult.ms(r.latency, 50), RunResult.ms(r.latency, 99),
                            RunResult.ms(r.latency, 99.9), r.errors,
                            r.peakRssKb > 0 ? String.format("  peak RSS %.0f MB", r.peakRssKb / 1024.0) : ""));
                }
            }
            long gatewayRss = Processes.statusKb(gateway.pid(), "VmRSS");
            String date = ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            Report report = new Report(SCENARIOS, targets.stream().map(Target::name).toList(), results, notes,
                    Machine.describe(), date, quick, gatewayRss);
            Files.writeString(out.resolve("report.md"), report.markdown());
            Files.writeString(out.resolve("latency.svg"), new LatencyPlot(SCENARIOS, results).svg());
            System.out.println();
            System.out.println(report.summaryTable());
            say("report: " + out.resolve("report.md") + ", plot: " + out.resolve("latency.svg"));
        } finally {
            Processes.stop(peer);
            Processes.stop(gateway);
            Processes.stop(upstream);
        }
    }

    /**
     * A JSON request that must succeed before load starts, so a broken set-up fails fast and says why; then a
     * streamed one, whose success is returned.
     */
    private static boolean smoke(Target t) throws IOException {
        try (HttpConnection c = new HttpConnection("127.0.0.1", t.port())) {
            HttpConnection.Response r = c.exchange(t.request(NON_STREAM_PROMPT, false), false);
            if (r.status() != 200) {
                throw new IOException(t.name() + " answered a test request with HTTP " + r.status());
            }
        }
        try (HttpConnection c = new HttpConnection("127.0.0.1", t.port())) {
            HttpConnection.Response s = c.exchange(t.request("bench chunks=3 words=3", true), true);
            return s.status() == 200 && s.complete();
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + a);
            }
            String name = a.substring(2);
            if (name.equals("quick")) {
                opts.put(name, "true");
            } else if (i + 1 < args.length) {
                opts.put(name, args[++i]);
            } else {
                throw new IllegalArgumentException(a + " needs a value");
            }
        }
        return opts;
    }

    static void say(String line) {
        System.out.println("bench: " + line);
        System.out.flush();
    }
}
