package com.monkeycoder.daemon.ledger;

import com.monkeycoder.daemon.store.Database;
import com.monkeycoder.daemon.testing.SharedStores;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ledger's write throughput (rows/s with many concurrent writers) and the latency its commit adds to a request
 * at a steady 1,000 requests/s, on SQLite and on PostgreSQL. A benchmark, not a test: run it by hand (README,
 * "The usage ledger") and read the numbers; it needs the same PostgreSQL as the tests.
 */
public final class LedgerBenchmark {

    private static final AtomicLong IDS = new AtomicLong();

    private LedgerBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path tmp = Files.createTempDirectory("ledger-bench");
        try (SharedStores pg = SharedStores.create(SharedStores.Engine.POSTGRES, tmp)) {
            run("SQLite", Database.sqlite(tmp.resolve("bench.db")), seconds);
            run("PostgreSQL", Database.open(pg.postgresUrl(), 10), seconds);
        }
    }

    private static void run(String name, Database db, int seconds) throws Exception {
        try (db; JdbcLedger ledger = new JdbcLedger(db)) {
            for (int i = 0; i < 2_000; i++) {
                ledger.record(row()); // warm up
            }
            double throughput = throughput(ledger, 256, seconds);
            long[] latencies = atRate(ledger, 1_000, seconds);
            System.out.printf(Locale.ROOT, "%-10s throughput %,.0f rows/s (256 writers) | at 1,000 req/s: commit p50 %.2f ms,"
                            + " p99 %.2f ms, max %.2f ms%n", name, throughput, pct(latencies, 50), pct(latencies, 99),
                    latencies[latencies.length - 1] / 1e6);
        }
    }

    private static double throughput(JdbcLedger ledger, int writers, int seconds) throws Exception {
        AtomicLong rows = new AtomicLong();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> all = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                all.add(pool.submit(() -> {
                    while (System.nanoTime() < end) {
                        ledger.record(row());
                        rows.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> f : all) {
                f.get();
            }
        }
        return rows.get() / (double) seconds;
    }

    /** Starts one request every {@code 1/rate} s, each recording a row, and returns their commit times, sorted. */
    private static long[] atRate(JdbcLedger ledger, int perSecond, int seconds) throws Exception {
        int total = perSecond * seconds;
        long[] latencies = new long[total];
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor();
        AtomicLong started = new AtomicLong();
        List<Future<?>> all = java.util.Collections.synchronizedList(new ArrayList<>());
        ticker.scheduleAtFixedRate(() -> {
            int i = (int) started.getAndIncrement();
            if (i < total) {
                all.add(requests.submit(() -> {
                    long t = System.nanoTime();
                    ledger.record(row());
                    latencies[i] = System.nanoTime() - t;
                    return null;
                }));
            }
        }, 0, 1_000_000 / perSecond, TimeUnit.MICROSECONDS);
        while (started.get() < total) {
            Thread.sleep(50);
        }
        ticker.shutdown();
        synchronized (all) {
            for (Future<?> f : all) {
                f.get();
            }
        }
        requests.shutdown();
        Arrays.sort(latencies);
        return latencies;
    }

    private static double pct(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, sorted.length * p / 100)] / 1e6;
    }

    private static LedgerRow row() {
        return new LedgerRow("bench_" + IDS.incrementAndGet() + "_" + System.nanoTime(), System.currentTimeMillis(),
                "usr_bench", "key_bench", "execute", "demo", "monkey-demo", 120, 480, 0, 0, 1_234, false, false, 850,
                "ok", null, null);
    }
}
