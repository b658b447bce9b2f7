package com.monkeycoder.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The benchmark, end to end: starts the fake upstream, Monkey Coder from its built distribution with
 * {@code monkey daemon start} (default configuration and default JVM options: key check, SQLite ledger, metrics
 * and request log on) and, when given, the Portkey gateway, each as a process of its own; drives every scenario
 * at each target from this process; then the failover runs, each on a gateway of its own in front of a failing
 * and a healthy upstream; writes the Markdown report and the latency plot. Run it through {@code bench/run.sh}.
 *
 * <p>Arguments: {@code --dist DIR} (the distribution's lib folder), {@code --bench-cp CP} (this module's class
 * path, for the upstream), {@code --out DIR}, {@code --portkey FILE} (its start-server.js), {@code --quick},
 * {@code --launcher FILE} (an installed {@code monkey}: both launch modes go through it), {@code --gateway-java-opts OPTS}, {@code --gateway-env "NAME=VALUE ..."}, {@code --only ID,...} (scenario ids, {@code failover} for the failover runs).
 */
public final class BenchRunner {

    static final String KEY = "mk-dev-bench00000000000000000000000000000000";
    static final String NON_STREAM_PROMPT = "bench words=40";
    static final String STREAM_PROMPT = "bench chunks=50 delay_ms=1 words=100";
    static final String OPEN_STREAM_PROMPT = "bench chunks=50 delay_ms=100 words=100";
    /** Who answers a request that names no model on the failover gateways: the routing class of issue 4. */
    static final String FAILOVER_CONFIG = """
            {"routing":{"default_class":"pair","classes":{"pair":["groq/llama-3.3-70b-versatile","openai/gpt-4.1-mini"]}}}
            """;
    static final String FAILOVER_ID = "failover";
    /** The two launch modes as the report names them: {@code monkey daemon start} and {@code monkey daemon run}. */
    static final String MONKEY = "monkey";
    static final String MONKEY_RUN = "monkey-run";
    /** Not in the default run (it takes ten minutes): {@code --only soak}, {@code --soak-seconds N}, {@code --soak-rate R}. */
    static final String SOAK_ID = "soak";
    /** Flat: the last window's peak RSS within 10% of the first's, and its p99 within 50% (or 1 ms) of the first's. */
    static final double SOAK_RSS_TOLERANCE = 0.10;
    static final double SOAK_P99_TOLERANCE = 0.50;

    /**
     * One scenario: how load is driven, and at what. A {@code cached} scenario sends a deterministic request
     * ({@code "temperature": 0}) that Monkey Coder answers from its response cache after one warm-up call; it
     * runs at direct and Monkey Coder only.
     */
    record Scenario(String id, String title, Kind kind, int level, boolean stream, String prompt, boolean cached) {
        enum Kind { CLOSED, RATE, OPEN_STREAMS }
    }

    static final List<Scenario> SCENARIOS = List.of(
            new Scenario("c1", "JSON, concurrency 1", Scenario.Kind.CLOSED, 1, false, NON_STREAM_PROMPT, false),
            new Scenario("c32", "JSON, concurrency 32", Scenario.Kind.CLOSED, 32, false, NON_STREAM_PROMPT, false),
            new Scenario("cache1", "JSON cache hits (temperature 0), concurrency 1", Scenario.Kind.CLOSED, 1, false,
                    NON_STREAM_PROMPT, true),
            new Scenario("cache32", "JSON cache hits (temperature 0), concurrency 32", Scenario.Kind.CLOSED, 32, false,
                    NON_STREAM_PROMPT, true),
            new Scenario("r500", "JSON, 500 req/s", Scenario.Kind.RATE, 500, false, NON_STREAM_PROMPT, false),
            new Scenario("r2000", "JSON, 2,000 req/s", Scenario.Kind.RATE, 2000, false, NON_STREAM_PROMPT, false),
            new Scenario("stream50", "stream of 50 chunks (1 ms apart), concurrency 8", Scenario.Kind.CLOSED, 8, true,
                    STREAM_PROMPT, false),
            new Scenario("open1000", "1,000 concurrent open streams (50 chunks, 100 ms apart)",
                    Scenario.Kind.OPEN_STREAMS, 1000, true, OPEN_STREAM_PROMPT, false));

    /**
     * One failover run: its own gateway, whose routing class puts Groq first and OpenAI second, each a fake
     * upstream; Groq's fails {@code failPercent}% of requests with 503. {@code env} adds gateway settings.
     */
    record FailoverVariant(String id, String title, int failPercent, Map<String, String> env) {
    }

    static final List<FailoverVariant> FAILOVER_VARIANTS = List.of(
            new FailoverVariant("fo-healthy", "both healthy (baseline)", 0, Map.of()),
            new FailoverVariant("fo-50", "Groq fails 50%, default breaker (opens after 5 failures in a row, 30 s)",
                    50, Map.of()),
            new FailoverVariant("fo-50-nobreaker", "Groq fails 50%, breaker off (MONKEY_CODER_BREAKER_FAILURES=1000000)",
                    50, Map.of("MONKEY_CODER_BREAKER_FAILURES", "1000000")));

    /** What the gateway's counters and the upstreams saw during a cache-hit run. */
    record CacheCheck(String scenario, String target, long answers, double hits, double misses, long upstreamCalls) {
    }

    /** What the gateway's counters and the failing upstream saw during a failover run. */
    record FailoverResult(FailoverVariant variant, RunResult run, long groqCalls, long groqFailed, double failovers,
                          double retries, Map<String, Double> answeredBy, String groqBreaker,
                          List<Long> groqCallsBySecond) {
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern STAT = Pattern.compile("\"(requests|failed)\":(\\d+)");

    private BenchRunner() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = options(args);
        Path dist = Path.of(opts.getOrDefault("dist", "packaging/target/monkey-coder/lib"));
        String benchCp = opts.getOrDefault("bench-cp", System.getProperty("java.class.path"));
        Path out = Path.of(opts.getOrDefault("out", "bench/results"));
        boolean quick = opts.containsKey("quick");
        Set<String> only = opts.containsKey("only")
                ? new LinkedHashSet<>(Arrays.asList(opts.get("only").split(","))) : null;
        Duration warmup = Duration.ofSeconds(quick ? 1 : 2);
        Duration measure = Duration.ofSeconds(quick ? 3 : 8);
        Files.createDirectories(out);
        Path work = Files.createTempDirectory("monkey-bench");
        String java = ProcessHandle.current().info().command().orElse("java");
        String javaOpts = opts.getOrDefault("gateway-java-opts", "").trim();
        List<Scenario> scenarios = SCENARIOS.stream().filter(s -> only == null || only.contains(s.id())).toList();

        List<String> notes = new ArrayList<>();
        Set<String> noStreams = new java.util.HashSet<>();
        List<CacheCheck> cacheChecks = new ArrayList<>();
        List<FailoverResult> failovers = new ArrayList<>();
        Process upstream = null;
        GatewayProcess gateway = null;
        GatewayProcess runGateway = null;
        Process peer = null;
        Path launcher = opts.containsKey("launcher") ? Path.of(opts.get("launcher")) : null;
        try {
            int upstreamPort = Processes.freePort();
            upstream = startUpstream(java, benchCp, upstreamPort, 0, work.resolve("upstream.log"));
            say("fake upstream on port " + upstreamPort + " (pid " + upstream.pid() + ")");

            Map<String, String> env = new LinkedHashMap<>();
            env.put("MONKEY_CODER_LOCAL_KEY", KEY);
            env.put("OPENAI_API_KEY", "sk-bench-not-a-real-key");
            env.put("OPENAI_BASE_URL", "http://127.0.0.1:" + upstreamPort + "/v1");
            env.put("OLLAMA_BASE_URL", "http://127.0.0.1:9/v1"); // no local Ollama joins the run
            String extraEnv = opts.getOrDefault("gateway-env", "").trim();
            for (String pair : extraEnv.isEmpty() ? new String[0] : extraEnv.split("\\s+")) {
                int eq = pair.indexOf('=');
                if (eq < 1) {
                    throw new IllegalArgumentException("--gateway-env wants NAME=VALUE, not " + pair);
                }
                env.put(pair.substring(0, eq), pair.substring(eq + 1));
                notes.add("Monkey Coder's environment had `" + pair + "` (from --gateway-env).");
            }
            String defaults = javaOpts.isEmpty() ? " (the daemon's defaults)."
                    : " (from --gateway-java-opts through MONKEY_CODER_DAEMON_JAVA_OPTS, not the defaults).";
            gateway = GatewayProcess.start(java, dist, launcher, work.resolve("home"), env, javaOpts, null);
            say("Monkey Coder (daemon start) on port " + gateway.port() + " (pid " + gateway.pid()
                    + "), JVM options: " + gateway.jvmArgsLine());
            notes.add("`monkey` was started with `monkey daemon start`" + (launcher != null
                    ? " through the launcher install.sh installed into a temporary prefix" : " from the distribution")
                    + " and ran with the JVM options `" + gateway.jvmArgsLine() + "`" + defaults);

            List<Target> targets = new ArrayList<>();
            Map<String, Long> pids = new LinkedHashMap<>();
            targets.add(new Target("direct", upstreamPort, "/v1/chat/completions", "gpt-4.1-mini", Map.of()));
            Target monkey = new Target(MONKEY, gateway.port(), "/v1/chat/completions", "openai/gpt-4.1-mini",
                    Map.of("Authorization", "Bearer " + KEY));
            targets.add(monkey);
            pids.put(MONKEY, gateway.pid());
            Target soakTarget = monkey;
            long soakPid = gateway.pid();
            if (launcher != null) {
                // The other launch mode: the foreground gateway that systemd, containers and the shared gateway run.
                runGateway = GatewayProcess.run(launcher, work.resolve("home-run"), env, javaOpts, null);
                say("Monkey Coder (daemon run) on port " + runGateway.port() + " (pid " + runGateway.pid()
                        + "), JVM options: " + runGateway.jvmArgsLine());
                notes.add("`monkey-run` was started with `monkey daemon run` (foreground) through the same launcher"
                        + " and ran with the JVM options `" + runGateway.jvmArgsLine() + "`" + defaults);
                Target run = new Target(MONKEY_RUN, runGateway.port(), "/v1/chat/completions", "openai/gpt-4.1-mini",
                        Map.of("Authorization", "Bearer " + KEY));
                targets.add(run);
                pids.put(MONKEY_RUN, runGateway.pid());
                soakTarget = run;
                soakPid = runGateway.pid();
            } else {
                notes.add("`monkey daemon run` was not measured: no --launcher given (bench/run.sh installs one).");
            }

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
            for (Target t : targets.stream().filter(t -> !t.name().equals("portkey")).toList()) {
                if (!smoke(t)) {
                    throw new IOException(t.name() + " did not stream a test request");
                }
            }

            LoadGenerator load = new LoadGenerator();
            boolean soak = only != null && only.contains(SOAK_ID);
            if (!scenarios.isEmpty() || soak) {
                for (Target t : targets) {
                    say("warming up " + t.name());
                    load.closedLoop("warmup", t, t.request(NON_STREAM_PROMPT, false), false, 16, Duration.ZERO,
                            Duration.ofSeconds(quick ? 2 : 5));
                    if (!noStreams.contains(t.name())) {
                        load.closedLoop("warmup", t, t.request(STREAM_PROMPT, true), true, 4, Duration.ZERO,
                                Duration.ofSeconds(quick ? 1 : 2));
                    }
                }
            }

            List<RunResult> results = new ArrayList<>();
            for (Scenario s : scenarios) {
                for (Target t : targets) {
                    if (s.stream() && noStreams.contains(t.name())
                            || s.cached() && t.name().equals("portkey")) {
                        continue;
                    }
                    Long pid = pids.get(t.name());
                    if (pid != null) {
                        Processes.resetPeakRss(pid);
                    }
                    byte[] request = t.request(s.prompt(), s.stream(), s.cached());
                    MetricsSnapshot before = null;
                    long upstreamBefore = 0;
                    if (s.cached() && !t.name().equals("direct")) {
                        // The one call that fills the cache; everything after it should be a hit.
                        try (HttpConnection c = new HttpConnection("127.0.0.1", t.port())) {
                            c.exchange(request, false);
                        }
                        before = MetricsSnapshot.scrape(t.port());
                        upstreamBefore = upstreamStats(upstreamPort)[0];
                    }
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
                    if (before != null) {
                        MetricsSnapshot after = MetricsSnapshot.scrape(t.port());
                        CacheCheck check = new CacheCheck(s.id(), t.name(), r.answered,
                                after.since(before, "monkey_cache_requests_total", "result", "hit"),
                                after.since(before, "monkey_cache_requests_total", "result", "miss"),
                                upstreamStats(upstreamPort)[0] - upstreamBefore);
                        cacheChecks.add(check);
                        say(String.format("%-9s " + t.name() + " cache: %.0f hits, %.0f misses for %d answers; %d upstream calls",
                                s.id(), check.hits(), check.misses(), check.answers(), check.upstreamCalls()));
                    }
                }
            }
            String soakSection = "";
            if (soak) {
                int seconds = Integer.parseInt(opts.getOrDefault("soak-seconds", "600"));
                int rate = Integer.parseInt(opts.getOrDefault("soak-rate", "500"));
                say("soak: " + rate + " req/s for " + seconds + " s against " + soakTarget.name());
                LoadGenerator.Soak result = load.soak(soakTarget, soakTarget.request(NON_STREAM_PROMPT, false), rate,
                        seconds, soakPid);
                soakSection = soakMarkdown(result, soakTarget.name());
                say(soakSection.lines().filter(l -> l.startsWith("- ")).reduce((a, b) -> a + "\nbench: " + b)
                        .orElse(""));
            }
            long gatewayRss = Processes.statusKb(gateway.pid(), "VmRSS");
            Processes.stop(peer);
            peer = null;
            gateway.stop();
            gateway = null;
            if (runGateway != null) {
                runGateway.stop();
                runGateway = null;
            }

            if (only == null || only.contains(FAILOVER_ID)) {
                for (FailoverVariant v : FAILOVER_VARIANTS) {
                    failovers.add(failover(v, java, dist, launcher, benchCp, upstreamPort, work, load, quick ? 4 : 20, measure));
                }
            }

            String date = ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            Report report = new Report(scenarios, targets.stream().map(Target::name).toList(), results, cacheChecks,
                    failovers, notes, Machine.describe(), date, quick, gatewayRss);
            Files.writeString(out.resolve("report.md"), report.markdown() + soakSection);
            Files.writeString(out.resolve("latency.svg"), new LatencyPlot(scenarios, results).svg());
            System.out.println();
            System.out.println(report.summaryTable());
            System.out.println(report.cacheTable());
            System.out.println(report.failoverTable());
            say("report: " + out.resolve("report.md") + ", plot: " + out.resolve("latency.svg"));
        } finally {
            Processes.stop(peer);
            if (gateway != null) {
                gateway.stop();
            }
            if (runGateway != null) {
                runGateway.stop();
            }
            Processes.stop(upstream);
        }
    }

    /**
     * One failover run: a fake Groq failing {@code failPercent}% of requests, the healthy fake as OpenAI, a
     * gateway of its own with the routing class {@code pair} (Groq first). Warmed up with requests that name
     * OpenAI's model, so the router has no opinion of Groq yet when the measured run starts; the run is measured
     * from its first request, so Groq's failures and the router's reaction to them are inside it.
     */
    private static FailoverResult failover(FailoverVariant v, String java, Path dist, Path launcher, String benchCp,
                                           int openAiPort,
                                           Path work, LoadGenerator load, int warmupSeconds, Duration measure)
            throws IOException, InterruptedException {
        int groqPort = Processes.freePort();
        Process groq = null;
        GatewayProcess gateway = null;
        try {
            groq = startUpstream(java, benchCp, groqPort, v.failPercent(), work.resolve(v.id() + "-groq.log"));
            Map<String, String> env = new LinkedHashMap<>();
            env.put("MONKEY_CODER_LOCAL_KEY", KEY);
            env.put("GROQ_API_KEY", "gsk-bench-not-a-real-key");
            env.put("GROQ_BASE_URL", "http://127.0.0.1:" + groqPort + "/v1");
            env.put("OPENAI_API_KEY", "sk-bench-not-a-real-key");
            env.put("OPENAI_BASE_URL", "http://127.0.0.1:" + openAiPort + "/v1");
            env.put("OLLAMA_BASE_URL", "http://127.0.0.1:9/v1");
            env.putAll(v.env());
            gateway = GatewayProcess.start(java, dist, launcher, work.resolve(v.id()), env, null, FAILOVER_CONFIG);
            Map<String, String> auth = Map.of("Authorization", "Bearer " + KEY);
            Target warm = new Target("monkey", gateway.port(), Target.EXECUTE, "openai/gpt-4.1-mini", auth);
            Target routed = new Target("monkey", gateway.port(), Target.EXECUTE, null, auth);
            Target groqDirect = new Target("groq", groqPort, "/v1/chat/completions", "llama-3.3-70b-versatile", Map.of());
            say("failover " + v.id() + ": warming up (requests naming openai/gpt-4.1-mini; the Groq fake directly)");
            load.closedLoop("warmup", warm, warm.request(NON_STREAM_PROMPT, false), false, 16, Duration.ZERO,
                    Duration.ofSeconds(warmupSeconds));
            load.closedLoop("warmup", groqDirect, groqDirect.request(NON_STREAM_PROMPT, false), false, 8, Duration.ZERO,
                    Duration.ofSeconds(Math.max(1, warmupSeconds / 3)));
            MetricsSnapshot before = MetricsSnapshot.scrape(gateway.port());
            long[] groqBefore = upstreamStats(groqPort);
            // Groq's calls second by second: when the router stops sending it traffic, and whether it comes back.
            List<Long> bySecond = new ArrayList<>();
            Thread sampler = Thread.ofVirtual().start(() -> {
                long last = groqBefore[0];
                try {
                    while (true) {
                        Thread.sleep(1000);
                        long now = upstreamStats(groqPort)[0];
                        synchronized (bySecond) {
                            bySecond.add(now - last);
                        }
                        last = now;
                    }
                } catch (InterruptedException | IOException stop) {
                    // the run is over
                }
            });
            RunResult r = load.closedLoop(v.id(), routed, routed.request(NON_STREAM_PROMPT, false), false, 32,
                    Duration.ZERO, measure);
            sampler.interrupt();
            sampler.join();
            MetricsSnapshot after = MetricsSnapshot.scrape(gateway.port());
            long[] groqAfter = upstreamStats(groqPort);
            Map<String, Double> answeredBy = new LinkedHashMap<>();
            Map<String, Double> answeredBefore = before.byLabel("monkey_requests_total", "provider", "route",
                    Target.EXECUTE, "status", "200");
            after.byLabel("monkey_requests_total", "provider", "route", Target.EXECUTE, "status", "200")
                    .forEach((p, n) -> answeredBy.put(p, n - answeredBefore.getOrDefault(p, 0.0)));
            List<Long> timeline;
            synchronized (bySecond) {
                long rest = groqAfter[0] - groqBefore[0] - bySecond.stream().mapToLong(Long::longValue).sum();
                bySecond.add(rest); // the last, partial second
                timeline = List.copyOf(bySecond);
            }
            FailoverResult f = new FailoverResult(v, r, groqAfter[0] - groqBefore[0], groqAfter[1] - groqBefore[1],
                    after.since(before, "monkey_failovers_total"), after.since(before, "monkey_retries_total"),
                    answeredBy, after.breakerStates().getOrDefault("groq", "–"), timeline);
            say(String.format("%-16s %7.0f req/s  p50 %7.3f  p99 %7.3f ms  client errors %d  groq calls %d (%d failed)"
                            + " by second %s  failovers %.0f  retries %.0f  answered by %s  groq breaker %s", v.id(),
                    r.throughput(), RunResult.ms(r.latency, 50), RunResult.ms(r.latency, 99), r.errors, f.groqCalls(),
                    f.groqFailed(), timeline, f.failovers(), f.retries(), answeredBy, f.groqBreaker()));
            return f;
        } finally {
            if (gateway != null) {
                gateway.stop();
            }
            Processes.stop(groq);
        }
    }

    private static Process startUpstream(String java, String benchCp, int port, int failPercent, Path log)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(java, "-cp", benchCp, "com.monkeycoder.bench.FakeUpstream",
                Integer.toString(port)));
        if (failPercent > 0) {
            command.addAll(List.of("--fail-percent", Integer.toString(failPercent)));
        }
        Process p = Processes.start(command, Map.of(), log);
        Processes.awaitPort(p, port, 30_000, log);
        return p;
    }

    /** A fake upstream's chat requests so far and how many of them it failed on purpose. */
    private static long[] upstreamStats(int port) throws IOException, InterruptedException {
        String body = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/stats")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
        long[] out = new long[2];
        Matcher m = STAT.matcher(body);
        while (m.find()) {
            out[m.group(1).equals("requests") ? 0 : 1] = Long.parseLong(m.group(2));
        }
        return out;
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

    /** The soak's section of the report: first window against last, RSS and p99, and whether both stayed flat. */
    static String soakMarkdown(LoadGenerator.Soak s, String target) {
        double p99First = RunResult.ms(s.first(), 99);
        double p99Last = RunResult.ms(s.last(), 99);
        double rssFirst = s.firstRssKb() / 1024.0;
        double rssLast = s.lastRssKb() / 1024.0;
        boolean rssFlat = rssLast <= rssFirst * (1 + SOAK_RSS_TOLERANCE);
        boolean p99Flat = p99Last <= Math.max(p99First * (1 + SOAK_P99_TOLERANCE), p99First + 1.0);
        StringBuilder b = new StringBuilder();
        b.append("\n### Soak\n\n");
        b.append(String.format(java.util.Locale.ROOT, "`" + target + "` only, an open loop of %d JSON requests/s for %d s "
                + "(latency from each request's intended start); the first %d s against the last %d s. RSS is the "
                + "gateway's VmRSS, sampled every second (the highest in each window). Flat: the last window's RSS within "
                + "%.0f%% of the first's and its p99 within %.0f%% (or 1 ms) of the first's.%n%n",
                s.rate(), s.seconds(), s.windowSeconds(), s.windowSeconds(), SOAK_RSS_TOLERANCE * 100,
                SOAK_P99_TOLERANCE * 100));
        b.append("| window | requests | p50 ms | p99 ms | p99.9 ms | peak RSS MB |\n|---|---:|---:|---:|---:|---:|\n");
        b.append(String.format(java.util.Locale.ROOT, "| first %d s | %d | %.3f | %.3f | %.3f | %.0f |%n",
                s.windowSeconds(), s.first().getTotalCount(), RunResult.ms(s.first(), 50), p99First,
                RunResult.ms(s.first(), 99.9), rssFirst));
        b.append(String.format(java.util.Locale.ROOT, "| last %d s | %d | %.3f | %.3f | %.3f | %.0f |%n%n",
                s.windowSeconds(), s.last().getTotalCount(), RunResult.ms(s.last(), 50), p99Last,
                RunResult.ms(s.last(), 99.9), rssLast));
        b.append("RSS every 10 s (s: MB): ");
        b.append(String.join(", ", s.rssTimeline().stream()
                .map(p -> p[0] + ": " + Math.round(p[1] / 1024.0)).toList()));
        b.append("\n\n");
        b.append(String.format(java.util.Locale.ROOT, "- %s: RSS %.0f MB → %.0f MB (%+.1f%%)%n",
                rssFlat ? "FLAT" : "GREW", rssFirst, rssLast, (rssLast / rssFirst - 1) * 100));
        b.append(String.format(java.util.Locale.ROOT, "- %s: p99 %.3f ms → %.3f ms%n",
                p99Flat ? "FLAT" : "GREW", p99First, p99Last));
        b.append(String.format(java.util.Locale.ROOT, "- %d answered, %d errors%n", s.ok(), s.errors()));
        return b.toString();
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
