package com.monkeycoder.daemon.availability;

import com.monkeycoder.daemon.testing.SharedStores;
import com.monkeycoder.daemon.testing.TcpProxy;
import com.monkeycoder.daemon.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.params.ScanParams;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11, items 7 and 8: two gateway instances reach PostgreSQL and Redis through TCP proxies of our own, which
 * cut each store away mid-load and bring it back. While a store is cut, requests get 503 with Retry-After (never a
 * 500) and none is served uncounted; within 5 s of the restore /ready is 200 on both instances again; afterwards
 * every answered request has exactly one ledger row and no balance is negative.
 */
class StoreFaultTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path home;

    private SharedStores stores;
    private TcpProxy pg;
    private TcpProxy redis;
    private TestGateway a;
    private TestGateway b;

    /** One request's answer, as the load saw it. */
    private record Answer(int status, String requestId, boolean retryAfter, String phase, String body) {
    }

    private volatile String phase = "warm";

    @BeforeEach
    void start() throws Exception {
        stores = SharedStores.create(SharedStores.Engine.POSTGRES, home);
        pg = new TcpProxy(SharedStores.PG_HOST, Integer.parseInt(SharedStores.PG_PORT));
        URI redisUri = URI.create(SharedStores.REDIS_URL);
        redis = new TcpProxy(redisUri.getHost(), redisUri.getPort());
        Map<String, String> env = Map.of(
                "DATABASE_URL", stores.postgresUrl().replace(":" + SharedStores.PG_PORT + "/", ":" + pg.port() + "/"),
                "REDIS_URL", "redis://127.0.0.1:" + redis.port());
        a = TestGateway.startShared(home.resolve("a"), stores, env, Clock.systemUTC());
        b = TestGateway.startShared(home.resolve("b"), stores, env, Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
        pg.close();
        redis.close();
        stores.close();
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void cutAndRestorePostgresThenRedisMidLoad() throws Exception {
        HttpResponse<String> registered = a.post("/v1/auth/register",
                "{\"email\":\"fault@example.com\",\"password\":\"correct horse battery\"}", (String) null);
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
        String key = TestGateway.json(registered).path("api_key").asText();
        sql("UPDATE accounts SET tier = 'enterprise'"); // the load runs past the Free tier's 100 an hour

        List<Answer> answers = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService load = Executors.newFixedThreadPool(8);
        for (int t = 0; t < 8; t++) {
            TestGateway on = t % 2 == 0 ? a : b;
            load.submit(() -> {
                while (running.get()) {
                    answers.add(demo(on, key));
                }
                return null;
            });
        }
        Thread.sleep(1500);

        phase = "pg-cut";
        pg.cut();
        Thread.sleep(3000);
        phase = "pg-restored";
        pg.restore();
        long pgReady = millisUntilReady();
        Thread.sleep(1000);

        phase = "redis-cut";
        redis.cut();
        Thread.sleep(3000);
        phase = "redis-restored";
        redis.restore();
        long redisReady = millisUntilReady();
        Thread.sleep(1000);

        running.set(false);
        load.shutdown();
        assertThat(load.awaitTermination(60, TimeUnit.SECONDS)).isTrue();

        List<Answer> all = List.copyOf(answers);
        Map<String, Map<Integer, Long>> byPhase = new java.util.TreeMap<>();
        for (Answer x : all) {
            byPhase.computeIfAbsent(x.phase(), p -> new java.util.TreeMap<>()).merge(x.status(), 1L, Long::sum);
        }
        List<Answer> served = all.stream().filter(x -> x.status() == 200).toList();
        List<Answer> refused = all.stream().filter(x -> x.status() == 503).toList();
        long rows = count("SELECT COUNT(*) FROM ledger");
        long counted = redisCount();
        System.out.printf("fault test: %d requests, by phase and status %s; /ready 200 %d ms after the PostgreSQL"
                        + " restore, %d ms after the Redis restore; ledger rows %d, counted in Redis %d%n",
                all.size(), byPhase, pgReady, redisReady, rows, counted);

        assertThat(all).as("only 200 or 503, never a 500").allSatisfy(x ->
                assertThat(x.status()).as(x.phase() + " " + x.body()).isIn(200, 503));
        assertThat(refused).as("the cuts were felt").isNotEmpty();
        assertThat(refused).allSatisfy(x -> assertThat(x.retryAfter()).as(x.body()).isTrue());
        assertThat(byPhase.get("redis-cut")).containsKey(503);
        assertThat(pgReady).isLessThanOrEqualTo(5000);
        assertThat(redisReady).isLessThanOrEqualTo(5000);
        for (Answer x : served) {
            assertThat(count("SELECT COUNT(*) FROM ledger WHERE request_id = ?", x.requestId()))
                    .as("ledger rows of " + x.requestId()).isEqualTo(1);
        }
        assertThat(rows).as("no request served without a ledger row").isGreaterThanOrEqualTo(served.size());
        assertThat(counted).as("no request admitted without being counted in Redis").isGreaterThanOrEqualTo(rows);
        assertThat(count("SELECT COUNT(*) FROM accounts WHERE credit_micros < 0")).isZero();
    }

    private Answer demo(TestGateway on, String key) {
        String now = phase;
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(on.uri("/v1/execute"))
                    .timeout(Duration.ofSeconds(40))
                    .header("Authorization", "Bearer " + key)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"hello\",\"model\":\"demo/monkey-demo\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.headers().firstValue("X-Request-Id").orElse(null),
                    r.headers().firstValue("Retry-After").isPresent(), now, r.body());
        } catch (Exception e) {
            return new Answer(-1, null, false, now, String.valueOf(e));
        }
    }

    /** Milliseconds until /ready answers 200 on both instances (at most 10 s of asking). */
    private long millisUntilReady() throws Exception {
        long started = System.nanoTime();
        while (System.nanoTime() - started < TimeUnit.SECONDS.toNanos(10)) {
            if (ready(a) && ready(b)) {
                return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            }
            Thread.sleep(50);
        }
        return Long.MAX_VALUE;
    }

    private static boolean ready(TestGateway on) {
        HttpResponse<String> r = on.send(HttpRequest.newBuilder(on.uri("/ready")).GET().build());
        return r.statusCode() == 200 && TestGateway.json(r).path("redis").asText().equals("ok");
    }

    private void sql(String statement) throws Exception {
        try (Connection c = DriverManager.getConnection(stores.postgresUrl()); Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }

    private long count(String query, String... args) throws Exception {
        try (Connection c = DriverManager.getConnection(stores.postgresUrl());
             PreparedStatement ps = c.prepareStatement(query)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The hourly counters of every subject under this test's prefix, summed. */
    private long redisCount() {
        long sum = 0;
        try (JedisPooled direct = new JedisPooled(URI.create(SharedStores.REDIS_URL))) {
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                var page = direct.scan(cursor, new ScanParams().match(stores.redisPrefix() + "rl:*").count(500));
                for (String k : page.getResult()) {
                    if (k.matches(".*:h\\d+$")) { // the hour's counters (the month's count the same requests)
                        String v = direct.get(k);
                        sum += v == null ? 0 : Long.parseLong(v);
                    }
                }
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        }
        return sum;
    }
}
