package com.monkeycoder.bench;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Drives load at one target, from this process (the gateway and the upstream run in processes of their own):
 * closed loop at a fixed concurrency, open loop at a fixed rate, or many long streams at once. Latency in the
 * open loop runs from each request's intended start, so a stall is charged to every request it delayed
 * (no coordinated omission).
 */
final class LoadGenerator {

    private static final long MAX_MICROS = TimeUnit.MINUTES.toMicros(10);

    private final String host = "127.0.0.1";

    /** Counts and histograms of the requests that fall inside the measured window. */
    private static final class Window {
        final Recorder latency = new Recorder(MAX_MICROS, 3);
        final Recorder ttft = new Recorder(MAX_MICROS, 3);
        final Recorder overhead = new Recorder(MAX_MICROS, 3);
        final AtomicLong ok = new AtomicLong();
        /** Answers that arrived inside the window: the throughput actually served, whatever was offered. */
        final AtomicLong served = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        /** Every complete 200 answer, warm-up included: what the gateway's counters saw in this run. */
        final AtomicLong answered = new AtomicLong();
        volatile long from;
        volatile long to;

        boolean inside(long intendedNanos) {
            return intendedNanos >= from && intendedNanos < to;
        }

        void record(long intended, HttpConnection.Response r, long ended) {
            if (r.status() == 200 && r.complete()) {
                answered.incrementAndGet();
            }
            if (!inside(intended)) {
                return;
            }
            if (r.status() != 200 || !r.complete()) {
                errors.incrementAndGet();
                return;
            }
            ok.incrementAndGet();
            if (ended < to) {
                served.incrementAndGet();
            }
            latency.recordValue(Math.min(MAX_MICROS, (ended - intended) / 1000));
            long firstToken = r.firstTokenNanos() > 0 ? r.firstTokenNanos() : r.firstByteNanos();
            if (firstToken > 0) {
                ttft.recordValue(Math.min(MAX_MICROS, (firstToken - intended) / 1000));
            }
            if (!Double.isNaN(r.overheadMs())) {
                overhead.recordValue(Math.min(MAX_MICROS, Math.round(r.overheadMs() * 1000)));
            }
        }

        void error(long intended) {
            if (inside(intended)) {
                errors.incrementAndGet();
            }
        }

        RunResult result(String scenario, String target) {
            RunResult r = new RunResult(scenario, target, latency.getIntervalHistogram(), ttft.getIntervalHistogram(),
                    overhead.getIntervalHistogram(), served.get(), errors.get(), (to - from) / 1e9);
            r.answered = answered.get();
            return r;
        }
    }

    /** {@code concurrency} connections, each sending its next request as soon as the last one is answered. */
    RunResult closedLoop(String scenario, Target target, byte[] request, boolean stream, int concurrency,
                         Duration warmup, Duration measure) throws InterruptedException {
        Window w = new Window();
        long start = System.nanoTime();
        w.from = start + warmup.toNanos();
        w.to = w.from + measure.toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            threads.add(Thread.ofPlatform().name("load-" + i).start(() -> {
                HttpConnection c = null;
                while (System.nanoTime() < w.to) {
                    long sent = System.nanoTime();
                    try {
                        if (c == null || !c.isOpen()) {
                            c = new HttpConnection(host, target.port());
                        }
                        HttpConnection.Response r = c.exchange(request, stream);
                        w.record(sent, r, System.nanoTime());
                    } catch (IOException | RuntimeException e) {
                        w.error(sent);
                        if (c != null) {
                            c.close();
                        }
                        c = null;
                    }
                }
                if (c != null) {
                    c.close();
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        return w.result(scenario, target.name());
    }

    /** {@code rate} requests a second on a schedule that does not wait for answers. */
    RunResult openLoop(String scenario, Target target, byte[] request, int rate, Duration warmup, Duration measure)
            throws InterruptedException {
        Window w = new Window();
        ConcurrentLinkedQueue<HttpConnection> idle = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(128);
        long start = System.nanoTime();
        w.from = start + warmup.toNanos();
        w.to = w.from + measure.toNanos();
        long period = 1_000_000_000L / rate;
        for (long i = 0; ; i++) {
            long intended = start + i * period;
            if (intended >= w.to) {
                break;
            }
            long wait;
            while ((wait = intended - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            pool.execute(() -> {
                HttpConnection c = idle.poll();
                try {
                    if (c == null) {
                        c = new HttpConnection(host, target.port());
                    }
                    HttpConnection.Response r = c.exchange(request, false);
                    w.record(intended, r, System.nanoTime());
                    if (c.isOpen()) {
                        idle.offer(c);
                    } else {
                        c.close();
                    }
                } catch (IOException | RuntimeException e) {
                    w.error(intended);
                    if (c != null) {
                        c.close();
                    }
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(2, TimeUnit.MINUTES);
        idle.forEach(HttpConnection::close);
        return w.result(scenario, target.name());
    }

    /**
     * {@code count} streams open at once, each on its own connection, opened over {@code rampUp}; returns once
     * all have finished. {@code during} runs while they are open (to sample memory).
     */
    RunResult openStreams(String scenario, Target target, byte[] request, int count, Duration rampUp)
            throws InterruptedException {
        Window w = new Window();
        long start = System.nanoTime();
        w.from = start;
        w.to = Long.MAX_VALUE;
        List<Thread> threads = new ArrayList<>(count);
        long step = rampUp.toNanos() / Math.max(1, count);
        for (int i = 0; i < count; i++) {
            long intended = start + i * step;
            long wait;
            while ((wait = intended - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            threads.add(Thread.ofVirtual().start(() -> {
                long sent = System.nanoTime();
                try (HttpConnection c = new HttpConnection(host, target.port())) {
                    w.record(sent, c.exchange(request, true), System.nanoTime());
                } catch (IOException | RuntimeException e) {
                    w.error(sent);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        long end = System.nanoTime();
        RunResult result = new RunResult(scenario, target.name(), w.latency.getIntervalHistogram(),
                w.ttft.getIntervalHistogram(), w.overhead.getIntervalHistogram(), w.ok.get(), w.errors.get(),
                (end - start) / 1e9);
        result.answered = w.answered.get();
        return result;
    }

    /**
     * What a soak saw: p99 latency and the gateway's RSS in its first and its last window (RSS sampled every
     * second), and the RSS samples themselves (every 10 s) for the report.
     */
    record Soak(int rate, int seconds, int windowSeconds, Histogram first, Histogram last, long firstRssKb,
                long lastRssKb, long errors, long ok, List<long[]> rssTimeline) {
    }

    /**
     * A steady open loop of {@code rate} requests a second for {@code seconds}, latency from each request's intended
     * start; compares the first {@code window} seconds with the last. RSS is the gateway's VmRSS (max over each
     * window), read from /proc every second.
     */
    Soak soak(Target target, byte[] request, int rate, int seconds, long pid) throws InterruptedException {
        int window = Math.max(5, Math.min(60, seconds / 3));
        Recorder first = new Recorder(MAX_MICROS, 3);
        Recorder last = new Recorder(MAX_MICROS, 3);
        AtomicLong errors = new AtomicLong();
        AtomicLong ok = new AtomicLong();
        ConcurrentLinkedQueue<HttpConnection> idle = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(128);
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        long firstEnd = start + TimeUnit.SECONDS.toNanos(window);
        long lastFrom = end - TimeUnit.SECONDS.toNanos(window);
        long[] rss = {0, 0};
        List<long[]> timeline = new ArrayList<>();
        Thread sampler = Thread.ofPlatform().daemon().start(() -> {
            for (int s = 0; s <= seconds; s++) {
                long now = System.nanoTime();
                long kb = Processes.statusKb(pid, "VmRSS");
                if (now < firstEnd) {
                    rss[0] = Math.max(rss[0], kb);
                }
                if (now >= lastFrom) {
                    rss[1] = Math.max(rss[1], kb);
                }
                if (s % 10 == 0) {
                    synchronized (timeline) {
                        timeline.add(new long[]{s, kb});
                    }
                }
                long next = start + TimeUnit.SECONDS.toNanos(s + 1);
                while (next - System.nanoTime() > 0) {
                    LockSupport.parkNanos(next - System.nanoTime());
                }
            }
        });
        long period = 1_000_000_000L / rate;
        for (long i = 0; ; i++) {
            long intended = start + i * period;
            if (intended >= end) {
                break;
            }
            long wait;
            while ((wait = intended - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            pool.execute(() -> {
                HttpConnection c = idle.poll();
                try {
                    if (c == null) {
                        c = new HttpConnection(host, target.port());
                    }
                    HttpConnection.Response r = c.exchange(request, false);
                    long took = Math.min(MAX_MICROS, (System.nanoTime() - intended) / 1000);
                    if (r.status() == 200 && r.complete()) {
                        ok.incrementAndGet();
                        if (intended < firstEnd) {
                            first.recordValue(took);
                        } else if (intended >= lastFrom) {
                            last.recordValue(took);
                        }
                    } else {
                        errors.incrementAndGet();
                    }
                    if (c.isOpen()) {
                        idle.offer(c);
                    } else {
                        c.close();
                    }
                } catch (IOException | RuntimeException e) {
                    errors.incrementAndGet();
                    if (c != null) {
                        c.close();
                    }
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(2, TimeUnit.MINUTES);
        idle.forEach(HttpConnection::close);
        sampler.join(5_000);
        synchronized (timeline) {
            return new Soak(rate, seconds, window, first.getIntervalHistogram(), last.getIntervalHistogram(), rss[0],
                    rss[1], errors.get(), ok.get(), List.copyOf(timeline));
        }
    }

    static Histogram empty() {
        return new Histogram(MAX_MICROS, 3);
    }
}
