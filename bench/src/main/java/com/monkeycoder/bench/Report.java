package com.monkeycoder.bench;

import org.HdrHistogram.Histogram;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The Markdown report: results per scenario and target, overhead against direct, ratios to the peer, targets. */
final class Report {

    static final double[] PERCENTILES = {50, 90, 99, 99.9};

    private final List<BenchRunner.Scenario> scenarios;
    private final List<String> targets;
    private final List<RunResult> results;
    private final List<BenchRunner.CacheCheck> cacheChecks;
    private final List<BenchRunner.FailoverResult> failovers;
    private final List<String> notes;
    private final String machine;
    private final String date;
    private final boolean quick;
    private final long gatewayRssKbAtEnd;

    Report(List<BenchRunner.Scenario> scenarios, List<String> targets, List<RunResult> results,
           List<BenchRunner.CacheCheck> cacheChecks, List<BenchRunner.FailoverResult> failovers, List<String> notes,
           String machine, String date, boolean quick, long gatewayRssKbAtEnd) {
        this.scenarios = scenarios;
        this.targets = targets;
        this.results = results;
        this.cacheChecks = cacheChecks;
        this.failovers = failovers;
        this.notes = notes;
        this.machine = machine;
        this.date = date;
        this.quick = quick;
        this.gatewayRssKbAtEnd = gatewayRssKbAtEnd;
    }

    /** The Monkey Coder targets of this run: {@code monkey} (daemon start) and, when measured, {@code monkey-run}. */
    private List<String> monkeys() {
        return targets.stream().filter(t -> t.startsWith(BenchRunner.MONKEY)).toList();
    }

    private Optional<RunResult> result(String scenario, String target) {
        return results.stream().filter(r -> r.scenario.equals(scenario) && r.target.equals(target)).findFirst();
    }

    /** The gateway's latency minus the direct latency at one percentile, in ms. */
    private double overhead(String scenario, String target, double percentile, boolean ttft) {
        Optional<RunResult> g = result(scenario, target);
        Optional<RunResult> d = result(scenario, "direct");
        if (g.isEmpty() || d.isEmpty()) {
            return Double.NaN;
        }
        Histogram gh = ttft ? g.get().ttft : g.get().latency;
        Histogram dh = ttft ? d.get().ttft : d.get().latency;
        return RunResult.ms(gh, percentile) - RunResult.ms(dh, percentile);
    }

    private static String f(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.1f" : "%.3f", v);
    }

    private static String rate(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    private static String mb(long kb) {
        return kb <= 0 ? "–" : String.format(Locale.ROOT, "%.0f", kb / 1024.0);
    }

    /** The compact table for the README: one row per scenario and target. */
    String summaryTable() {
        StringBuilder t = new StringBuilder();
        t.append("| scenario | target | req/s | p50 ms | p90 ms | p99 ms | p99.9 ms | overhead p50 / p99 / p99.9 ms | TTFT p50 / p99 ms | peak RSS MB | errors |\n");
        t.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (BenchRunner.Scenario s : scenarios) {
            for (String target : targets) {
                result(s.id(), target).ifPresent(r -> {
                    t.append("| ").append(s.title()).append(" | ").append(target)
                            .append(" | ").append(rate(r.throughput()));
                    for (double p : PERCENTILES) {
                        t.append(" | ").append(f(RunResult.ms(r.latency, p)));
                    }
                    t.append(" | ").append(target.equals("direct") ? "–" : f(overhead(s.id(), target, 50, false)) + " / "
                            + f(overhead(s.id(), target, 99, false)) + " / " + f(overhead(s.id(), target, 99.9, false)));
                    t.append(" | ").append(s.stream() ? f(RunResult.ms(r.ttft, 50)) + " / " + f(RunResult.ms(r.ttft, 99)) : "–");
                    t.append(" | ").append(mb(r.peakRssKb)).append(" | ").append(r.errors).append(" |\n");
                });
            }
        }
        return t.toString();
    }

    /**
     * Cache hits against the same request uncached (concurrency 1 and 32), with what the gateway's
     * {@code monkey_cache_requests_total} and the upstream counted during each cached run.
     */
    String cacheTable() {
        if (cacheChecks.isEmpty()) {
            return "";
        }
        StringBuilder t = new StringBuilder();
        t.append("| concurrency | target | Monkey Coder | req/s | p50 ms | p99 ms | p99.9 ms | hits / answers (misses) | upstream calls |\n");
        t.append("|---:|---|---|---:|---:|---:|---:|---:|---:|\n");
        for (BenchRunner.CacheCheck c : cacheChecks) {
            String uncachedId = c.scenario().replace("cache", "c");
            int level = scenarios.stream().filter(s -> s.id().equals(c.scenario())).findFirst()
                    .map(BenchRunner.Scenario::level).orElse(0);
            result(uncachedId, c.target()).ifPresent(r -> t.append(cacheRow(level, c.target(), "uncached", r, "–", "–")));
            result(c.scenario(), c.target()).ifPresent(r -> t.append(cacheRow(level, c.target(), "cache hits", r,
                    String.format(Locale.ROOT, "%,.0f / %,d (%.0f)", c.hits(), c.answers(), c.misses()),
                    Long.toString(c.upstreamCalls()))));
        }
        return t.toString();
    }

    private static String cacheRow(int level, String target, String what, RunResult r, String hits, String upstream) {
        return "| " + level + " | " + target + " | " + what + " | " + rate(r.throughput()) + " | " + f(RunResult.ms(r.latency, 50))
                + " | " + f(RunResult.ms(r.latency, 99)) + " | " + f(RunResult.ms(r.latency, 99.9)) + " | " + hits
                + " | " + upstream + " |\n";
    }

    /** The failover runs: one gateway each, requests with no model, Groq first and OpenAI second. */
    String failoverTable() {
        if (failovers.isEmpty()) {
            return "";
        }
        StringBuilder t = new StringBuilder();
        t.append("| run | req/s | p50 ms | p99 ms | p99.9 ms | client errors | Groq calls (failed) | failovers | retries | answered by | Groq breaker at end |\n");
        t.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
        for (BenchRunner.FailoverResult f : failovers) {
            RunResult r = f.run();
            StringBuilder by = new StringBuilder();
            f.answeredBy().forEach((p, n) -> by.append(by.isEmpty() ? "" : ", ").append(p).append(" ")
                    .append(String.format(Locale.ROOT, "%,.0f", n)));
            t.append("| ").append(f.variant().title()).append(" | ").append(rate(r.throughput()))
                    .append(" | ").append(f(RunResult.ms(r.latency, 50))).append(" | ").append(f(RunResult.ms(r.latency, 99)))
                    .append(" | ").append(f(RunResult.ms(r.latency, 99.9)))
                    .append(" | ").append(r.errors).append(" of ").append(String.format(Locale.ROOT, "%,d", r.errors + r.answered))
                    .append(" | ").append(String.format(Locale.ROOT, "%,d (%,d)", f.groqCalls(), f.groqFailed()))
                    .append(" | ").append(String.format(Locale.ROOT, "%,.0f", f.failovers()))
                    .append(" | ").append(String.format(Locale.ROOT, "%,.0f", f.retries()))
                    .append(" | ").append(by).append(" | ").append(f.groqBreaker().replace('_', '-')).append(" |\n");
        }
        return t.toString();
    }

    String markdown() {
        StringBuilder m = new StringBuilder();
        m.append("# Monkey Coder gateway benchmark\n\n");
        m.append("- Date: ").append(date).append("\n");
        m.append("- Machine: ").append(machine).append("\n");
        m.append("- Run: `./bench/run.sh`").append(quick ? " --quick (short runs: numbers are rough)" : "")
                .append("; each run ").append(quick ? "1 s warm-up + 3 s" : "2 s warm-up + 8 s").append(" measured\n");
        m.append("- Upstream: the bench's fake OpenAI server (Undertow, virtual threads) answering at once: 40 words as")
                .append(" JSON, or streams of 50 chunks 1 ms apart (100 ms apart for the 1,000 open streams).\n");
        m.append("- Monkey Coder: the built distribution started with `monkey daemon start` (so with the daemon's")
                .append(" default JVM options; the Notes say which), default configuration: key check, SQLite ledger with group commit, metrics and the JSON request")
                .append(" log to its log file. Rate limits are not built yet, so none ran.\n");
        m.append("- Load: this bench's own HTTP/1.1 keep-alive generator in a separate JVM (HdrHistogram; the fixed")
                .append(" rates are open loop, timed from each request's intended start). Everything shares the same 2")
                .append(" cores: load generator, upstream and gateway.\n");
        m.append("- req/s = answers that arrived inside the measured window (so a target that falls behind a fixed")
                .append(" rate shows less than the rate).\n");
        m.append("- Overhead = the target's latency minus the direct latency at the same percentile (negative values")
                .append(" are noise: the direct run's own tail was slower). Self-reported = the `X-Monkey-Overhead-Ms` header (the gateway's own time to the")
                .append(" first byte, its provider time taken out).\n\n");

        m.append("## Results\n\n").append(summaryTable()).append("\n");
        if (!cacheChecks.isEmpty()) {
            m.append("## Cache hits\n\n");
            m.append("The same deterministic request (`\"temperature\": 0`) after one call that filled the cache, against")
                    .append(" the same request uncached. Hits and misses are the change in the gateway's")
                    .append(" `monkey_cache_requests_total` over the run (warm-up included); upstream calls, the change")
                    .append(" in the fake upstream's own count.\n\n").append(cacheTable()).append("\n");
        }
        if (!failovers.isEmpty()) {
            m.append("## Failover\n\n");
            m.append("Each run has a gateway of its own with `config.json` ")
                    .append("`{\"routing\":{\"default_class\":\"pair\",\"classes\":{\"pair\":[\"groq/llama-3.3-70b-versatile\",")
                    .append("\"openai/gpt-4.1-mini\"]}}}`, Groq and OpenAI each a fake upstream (GROQ_BASE_URL,")
                    .append(" OPENAI_BASE_URL); the Groq fake answers 503 to the given share of requests at random.")
                    .append(" Requests go to `/v1/execute` with no model, at concurrency 32, measured from the first one")
                    .append(" (the gateway was warmed up with requests naming OpenAI's model, so Groq starts with a clean")
                    .append(" record). Client errors are answers other than a complete 200; failovers, retries and")
                    .append(" \"answered by\" are the change in the gateway's `monkey_failovers_total`,")
                    .append(" `monkey_retries_total` and `monkey_requests_total{status=\"200\"}`; Groq calls, the Groq")
                    .append(" fake's own count; the breaker, `monkey_circuit_breaker_state` after the run.\n\n")
                    .append(failoverTable()).append("\n");
            m.append("Groq calls in each second of the run:\n\n");
            for (BenchRunner.FailoverResult f : failovers) {
                m.append("- ").append(f.variant().title()).append(": ").append(f.groqCallsBySecond().stream()
                        .map(n -> String.format(Locale.ROOT, "%,d", n)).collect(java.util.stream.Collectors.joining(", ")))
                        .append("\n");
            }
            m.append("\n");
        }

        m.append("## Monkey Coder's own time (X-Monkey-Overhead-Ms)\n\n");
        m.append("| scenario | target | p50 ms | p90 ms | p99 ms | p99.9 ms |\n|---|---|---:|---:|---:|---:|\n");
        for (BenchRunner.Scenario s : scenarios) {
            for (String target : monkeys()) {
            result(s.id(), target).filter(r -> r.selfOverhead.getTotalCount() > 0).ifPresent(r -> {
                m.append("| ").append(s.title()).append(" | ").append(target);
                for (double p : PERCENTILES) {
                    m.append(" | ").append(f(RunResult.ms(r.selfOverhead, p)));
                }
                m.append(" |\n");
            });
            }
        }
        m.append("\n## Time to first token of streams, overhead against direct\n\n");
        m.append("TTFT is timed to the first bytes of answer text, not to the first byte of the body: the fake")
                .append(" upstream sends an empty role chunk at once and its first words one chunk interval later, and")
                .append(" Monkey Coder sends its headers only with the provider's first text, so it can still fail over")
                .append(" before then; to the first byte it would be charged that interval (100 ms for the 1,000 open")
                .append(" streams).\n\n");
        m.append("| scenario | target | TTFT overhead p50 ms | p90 ms | p99 ms | p99.9 ms |\n|---|---|---:|---:|---:|---:|\n");
        for (BenchRunner.Scenario s : scenarios) {
            if (!s.stream()) {
                continue;
            }
            for (String target : targets) {
                if (target.equals("direct") || result(s.id(), target).isEmpty()) {
                    continue;
                }
                m.append("| ").append(s.title()).append(" | ").append(target);
                for (double p : PERCENTILES) {
                    m.append(" | ").append(f(overhead(s.id(), target, p, true)));
                }
                m.append(" |\n");
            }
        }
        if (targets.contains("portkey")) {
            m.append("\n## Against the peer (Portkey)\n\n");
            m.append("| scenario | target | req/s, Monkey ÷ Portkey | overhead p50, Portkey ÷ Monkey | overhead p99, Portkey ÷ Monkey | peak RSS, Portkey ÷ Monkey |\n");
            m.append("|---|---|---:|---:|---:|---:|\n");
            for (BenchRunner.Scenario s : scenarios) {
                for (String target : monkeys()) {
                    Optional<RunResult> mk = result(s.id(), target);
                    Optional<RunResult> pk = result(s.id(), "portkey");
                    if (mk.isEmpty() || pk.isEmpty()) {
                        continue;
                    }
                    m.append("| ").append(s.title()).append(" | ").append(target)
                            .append(" | ").append(ratio(mk.get().throughput(), pk.get().throughput()))
                            .append(" | ").append(ratio(overhead(s.id(), "portkey", 50, s.stream()), overhead(s.id(), target, 50, s.stream())))
                            .append(" | ").append(ratio(overhead(s.id(), "portkey", 99, s.stream()), overhead(s.id(), target, 99, s.stream())))
                            .append(" | ").append(ratio(pk.get().peakRssKb, mk.get().peakRssKb)).append(" |\n");
                }
            }
            m.append("\nFor streams the overhead ratios compare time to first token.\n");
        }
        m.append("\n## Targets\n\n").append(targetsSection());
        if (!notes.isEmpty()) {
            m.append("\n## Notes\n\n");
            notes.forEach(n -> m.append("- ").append(n).append("\n"));
        }
        m.append("\nMonkey Coder's RSS when the run ended: ").append(mb(gatewayRssKbAtEnd)).append(" MB.\n");
        m.append("\n![latency by percentile](latency.svg)\n");
        return m.toString();
    }

    private static String ratio(double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b) || b <= 0 || a <= 0) {
            return "–";
        }
        return String.format(Locale.ROOT, "%.1f×", a / b);
    }

    /** Each target, met or missed, with the measured figure, for each launch mode measured. */
    String targetsSection() {
        StringBuilder t = new StringBuilder();
        for (String monkey : monkeys()) {
            t.append("\n`").append(monkey).append("` (").append(monkey.equals(BenchRunner.MONKEY_RUN)
                    ? "`monkey daemon run`, as operators run it" : "`monkey daemon start`").append("):\n\n");
            t.append(verdict(monkey, "c1", 50, false, 0.15, "Overhead at concurrency 1, p50 ≤ 0.15 ms"));
            t.append(verdict(monkey, "c1", 99, false, 1, "Overhead at concurrency 1, p99 ≤ 1 ms"));
            Optional<RunResult> mk = result("c32", monkey);
            Optional<RunResult> pk = result("c32", "portkey");
            if (mk.isPresent() && pk.isPresent()) {
                double r = mk.get().throughput() / pk.get().throughput();
                t.append(line(r >= 10, "Capacity ≥ 10× the peer's requests/s (concurrency 32)",
                        String.format(Locale.ROOT, "%.1f× (%s vs %s req/s)", r, rate(mk.get().throughput()),
                                rate(pk.get().throughput()))));
            } else {
                t.append("- NOT MEASURED: capacity against the peer (the peer did not run)\n");
            }
            t.append(verdict(monkey, "stream50", 99, true, 1, "Time-to-first-token overhead on streams, p99 ≤ 1 ms"));
            Optional<RunResult> open = result("open1000", monkey);
            open.ifPresent(r -> t.append(line(r.peakRssKb > 0 && r.peakRssKb <= 256 * 1024 && r.errors == 0,
                    "1,000 concurrent open streams with peak RSS ≤ 256 MB", mb(r.peakRssKb) + " MB, " + r.ok
                            + " streams completed, " + r.errors + " errors"
                            + (r.peakRssKb > 256 * 1024 ? String.format(Locale.ROOT, "; over by %.0f MB (%.1f×)",
                            (r.peakRssKb - 256 * 1024) / 1024.0, r.peakRssKb / (256.0 * 1024)) : ""))));
        }
        t.append("\nThe soak (no RSS or p99 growth over 10 minutes) is its own run: `--only soak`.\n");
        return t.toString();
    }

    /**
     * A latency target, judged on the difference against direct; when that difference is negative (direct's own
     * tail was slower in that run: noise), judged on the gateway's self-reported time instead. Both are shown.
     */
    private String verdict(String monkey, String scenario, double percentile, boolean ttft, double limitMs,
                           String target) {
        if (result(scenario, monkey).isEmpty()) {
            return "- NOT MEASURED: " + target + " (the scenario did not run)\n";
        }
        double diff = overhead(scenario, monkey, percentile, ttft);
        double self = result(scenario, monkey).map(r -> RunResult.ms(r.selfOverhead, percentile)).orElse(Double.NaN);
        double judged = diff >= 0 || Double.isNaN(self) ? diff : self;
        String measured = f(diff) + " ms against direct, " + f(self) + " ms self-reported (X-Monkey-Overhead-Ms)";
        if (!Double.isNaN(judged) && judged > limitMs) {
            measured += String.format(Locale.ROOT, "; over by %s ms (%.1f×)", f(judged - limitMs), judged / limitMs);
        }
        return line(!Double.isNaN(judged) && judged <= limitMs, target, measured);
    }

    private static String line(boolean met, String target, String measured) {
        return "- " + (met ? "MET" : "MISSED") + ": " + target + " — measured " + measured + "\n";
    }
}
