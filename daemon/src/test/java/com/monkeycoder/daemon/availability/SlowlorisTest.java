package com.monkeycoder.daemon.availability;

import com.monkeycoder.daemon.testing.SharedStores;
import com.monkeycoder.daemon.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11, item 9: a thousand connections trickling their headers (and some a login body) must not keep a normal
 * client from its answers. The attack comes from ten loopback addresses (127.0.0.2-11, 100 each) against a shared
 * gateway with a cap of 64 connections per address and 2-second parse and unauthenticated timeouts; the normal
 * client (127.0.0.1) keeps asking meanwhile.
 */
class SlowlorisTest {

    private static final int ADDRESSES = 10;
    private static final int PER_ADDRESS = 100;
    private static final int CAP = 64;
    private static final long TIMEOUT_MS = 2000;
    private static final long ATTACK_MS = 6000;

    @TempDir
    Path home;

    private SharedStores stores;
    private TestGateway gateway;

    @BeforeEach
    void start() {
        stores = SharedStores.create(SharedStores.Engine.SQLITE, home);
        gateway = TestGateway.startShared(home.resolve("g"), stores, Map.of(
                "MONKEY_CODER_REQUEST_PARSE_TIMEOUT", "2",
                "MONKEY_CODER_NO_REQUEST_TIMEOUT", "2",
                "MONKEY_CODER_UNAUTHENTICATED_TIMEOUT", "2",
                "MONKEY_CODER_MAX_CONNECTIONS_PER_ADDRESS", String.valueOf(CAP)), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        gateway.close();
        stores.close();
    }

    /** How one attacking connection ended. */
    private enum End { REFUSED_AT_ONCE, CLOSED_BY_SERVER, STILL_OPEN, COULD_NOT_CONNECT }

    private record Attack(End end, long heldMs, boolean body) {
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void aThousandTricklingConnectionsLeaveANormalClientItsAnswers() throws Exception {
        String key = registerEnterprise();
        List<Attack> attacks = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch connected = new CountDownLatch(ADDRESSES * PER_ADDRESS);
        List<Thread> threads = new ArrayList<>();
        for (int a = 0; a < ADDRESSES; a++) {
            InetAddress from = InetAddress.getByName("127.0.0." + (a + 2));
            for (int i = 0; i < PER_ADDRESS; i++) {
                boolean body = i % 5 == 0; // a fifth trickle a login body after whole headers
                threads.add(Thread.ofVirtual().start(() -> attacks.add(trickle(from, body, connected))));
            }
        }
        connected.await(10, TimeUnit.SECONDS);

        // The normal client, meanwhile: one request after another for the attack's length.
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        List<Long> latencies = new ArrayList<>();
        AtomicInteger fiveHundreds = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ATTACK_MS - 1000);
        while (System.nanoTime() < until) {
            long started = System.nanoTime();
            try {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(gateway.uri("/v1/execute"))
                        .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + key)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"hi\",\"model\":\"demo/monkey-demo\"}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() >= 500) {
                    fiveHundreds.incrementAndGet();
                } else if (r.statusCode() != 200) {
                    failures.incrementAndGet();
                }
            } catch (IOException e) {
                failures.incrementAndGet();
            }
            latencies.add(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - started));
        }
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(20));
        }

        Collections.sort(latencies);
        Map<End, Long> ends = new java.util.EnumMap<>(End.class);
        attacks.forEach(x -> ends.merge(x.end(), 1L, Long::sum));
        long maxHeld = attacks.stream().filter(x -> x.end() == End.CLOSED_BY_SERVER).mapToLong(Attack::heldMs).max()
                .orElse(0);
        System.out.printf("slowloris: %d attacking connections from %d addresses: %s, longest held %d ms; normal client"
                        + " %d requests, p50 %.1f ms, p99 %.1f ms, max %.1f ms, 5xx %d, other failures %d%n",
                attacks.size(), ADDRESSES, ends, maxHeld, latencies.size(), pct(latencies, 50) / 1000.0,
                pct(latencies, 99) / 1000.0, latencies.getLast() / 1000.0, fiveHundreds.get(), failures.get());

        assertThat(fiveHundreds.get()).isZero();
        assertThat(failures.get()).isZero();
        assertThat(latencies).hasSizeGreaterThan(20);
        assertThat(attacks).hasSize(ADDRESSES * PER_ADDRESS);
        assertThat(ends.getOrDefault(End.STILL_OPEN, 0L)).as("no trickle outlives the timeouts").isZero();
        assertThat(ends.getOrDefault(End.REFUSED_AT_ONCE, 0L)).as("the per-address cap")
                .isGreaterThanOrEqualTo((long) ADDRESSES * (PER_ADDRESS - CAP));
        assertThat(maxHeld).as("held at most the timeout, and a little").isLessThan(TIMEOUT_MS + 1500);
    }

    /** Headers past 64 KiB are refused (Undertow's default let 1 MiB through). */
    @Test
    void headersPast64KiBAreRefused() throws Exception {
        String key = registerEnterprise();
        HttpResponse<String> small = gateway.send(HttpRequest.newBuilder(gateway.uri("/v1/models"))
                .header("Authorization", "Bearer " + key).header("X-Junk", "x".repeat(32 * 1024)).GET().build());
        assertThat(small.statusCode()).isEqualTo(200);
        int status;
        try {
            status = gateway.send(HttpRequest.newBuilder(gateway.uri("/v1/models"))
                    .header("Authorization", "Bearer " + key).header("X-Junk", "x".repeat(80 * 1024)).GET().build())
                    .statusCode();
        } catch (RuntimeException closed) {
            status = -1; // the connection was closed instead of answered
        }
        assertThat(status).isNotEqualTo(200);
    }

    /**
     * Opens a connection from {@code from} and sends a request's start, then one more header line (or, after whole
     * headers, one body byte of a login) every 250 ms until the server closes it or the attack is over.
     */
    private Attack trickle(InetAddress from, boolean body, CountDownLatch connected) {
        long started = System.nanoTime();
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(from, 0));
            try {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), gateway.port()), 5000);
            } catch (IOException e) {
                return new Attack(End.COULD_NOT_CONNECT, 0, body);
            } finally {
                connected.countDown();
            }
            started = System.nanoTime();
            s.setSoTimeout(250);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            String start = body
                    ? "POST /v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 4000\r\n\r\n{"
                    : "POST /v1/auth/login HTTP/1.1\r\nHost: x\r\n";
            boolean first = true;
            int line = 0;
            while (System.nanoTime() - started < TimeUnit.MILLISECONDS.toNanos(ATTACK_MS)) {
                try {
                    out.write((first ? start : body ? " " : "X-Trickle-" + line++ + ": a\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    first = false;
                    if (in.read() == -1) {
                        return closed(started, body);
                    }
                    return closed(started, body); // an answer (an error status) and then the close
                } catch (SocketTimeoutException stillOpen) {
                    // no word from the server: trickle on
                } catch (IOException reset) {
                    return closed(started, body);
                }
            }
            return new Attack(End.STILL_OPEN, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), body);
        } catch (IOException e) {
            return new Attack(End.COULD_NOT_CONNECT, 0, body);
        }
    }

    private static Attack closed(long started, boolean body) {
        long held = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        return new Attack(held < 300 ? End.REFUSED_AT_ONCE : End.CLOSED_BY_SERVER, held, body);
    }

    private String registerEnterprise() throws Exception {
        HttpResponse<String> r = gateway.post("/v1/auth/register",
                "{\"email\":\"normal@example.com\",\"password\":\"correct horse battery\"}", (String) null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        try (Connection c = gateway.gateway().database().connection(); Statement st = c.createStatement()) {
            st.execute("UPDATE accounts SET tier = 'enterprise'");
        }
        return TestGateway.json(r).path("api_key").asText();
    }

    private static long pct(List<Long> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
