package com.monkeycoder.bench;

import org.HdrHistogram.Histogram;

/**
 * One target under one scenario: latency (and, for streams, time to first token) in microseconds, the
 * gateway's self-reported overhead from {@code X-Monkey-Overhead-Ms}, and the target's peak memory.
 */
final class RunResult {

    final String scenario;
    final String target;
    final Histogram latency;
    final Histogram ttft;
    final Histogram selfOverhead;
    final long ok;
    final long errors;
    final double seconds;
    long peakRssKb = -1;
    /** Complete 200 answers over the whole run, warm-up included. */
    long answered;

    RunResult(String scenario, String target, Histogram latency, Histogram ttft, Histogram selfOverhead, long ok,
              long errors, double seconds) {
        this.scenario = scenario;
        this.target = target;
        this.latency = latency;
        this.ttft = ttft;
        this.selfOverhead = selfOverhead;
        this.ok = ok;
        this.errors = errors;
        this.seconds = seconds;
    }

    double throughput() {
        return ok / seconds;
    }

    /** A latency percentile in milliseconds. */
    static double ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1000.0;
    }
}
