package com.monkeycoder.daemon.metrics;

import com.monkeycoder.daemon.ledger.CommitHook;
import com.monkeycoder.daemon.ledger.JdbcLedger;
import com.monkeycoder.daemon.ledger.LedgerException;
import com.monkeycoder.daemon.ledger.LedgerRow;
import com.monkeycoder.daemon.store.Database;
import com.monkeycoder.daemon.testing.TestGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code GET /ready}: 200 while serving, 503 while draining or while the ledger cannot take rows. */
class ReadinessTest {

    @TempDir
    Path home;

    @Test
    void readyWhileServingThen503WhileDraining() throws Exception {
        // A slow demo stream keeps the gateway draining long enough to ask it.
        TestGateway gateway = TestGateway.start(home, Map.of("MONKEY_CODER_DEMO_DELAY_MS", "100"));
        try {
            HttpRequest plain = HttpRequest.newBuilder(gateway.uri("/ready")).GET().build();
            HttpResponse<String> ready = gateway.send(plain);
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(TestGateway.json(ready).path("status").asText()).isEqualTo("ready");

            HttpResponse<InputStream> stream = HttpClient.newHttpClient().send(HttpRequest.newBuilder(gateway.uri("/v1/execute"))
                    .header("Authorization", "Bearer " + TestGateway.KEY)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"a long answer\",\"model\":\"demo/monkey-demo\",\"stream\":true}"))
                    .build(), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(stream.statusCode()).isEqualTo(200);
            CompletableFuture<Void> draining = CompletableFuture.runAsync(gateway::close);

            int status = 200;
            for (int i = 0; i < 500 && status == 200 && !draining.isDone(); i++) {
                status = gateway.send(plain).statusCode();
                if (status == 200) {
                    Thread.sleep(10);
                }
            }
            assertThat(status).isEqualTo(503);
            stream.body().transferTo(java.io.OutputStream.nullOutputStream());
            draining.get();
        } finally {
            gateway.close();
        }
    }

    /**
     * Issue 11, item 7: one failed commit used to leave the ledger unhealthy until a commit succeeded, which needs
     * the traffic a balancer withholds from an instance whose /ready says 503. Its writer now probes the store.
     */
    @Test
    void theLedgerRecoversOnItsOwnAfterAFailedCommit() throws Exception {
        AtomicBoolean fail = new AtomicBoolean(true);
        CommitHook failOnce = new CommitHook() {
            @Override
            public void inTransaction(Connection connection, List<LedgerRow> rows) throws SQLException {
                if (fail.getAndSet(false)) {
                    throw new SQLException("the store went away", "08006");
                }
            }

            @Override
            public void committed(List<LedgerRow> rows) {
            }
        };
        try (JdbcLedger ledger = new JdbcLedger(Database.sqlite(home.resolve("data/monkey.db")), failOnce)) {
            assertThatThrownBy(() -> ledger.record(row("r1"))).isInstanceOf(LedgerException.class);
            assertThat(ledger.healthy()).isFalse();

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!ledger.healthy() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }

            assertThat(ledger.healthy()).as("healthy again with no traffic, within 5 s").isTrue();
            ledger.record(row("r2"));
            assertThat(ledger.count("r2")).isEqualTo(1);
        }
    }

    private static LedgerRow row(String id) {
        return new LedgerRow(id, System.currentTimeMillis(), "local", "local", "execute", "demo", "monkey-demo", 1, 1,
                0, 0, 0, false, false, 1, "ok", null, null, 0, null);
    }

    @Test
    void theLedgerIsUnhealthyOnceItsFileIsGoneOrItIsClosed() throws Exception {
        Path db = home.resolve("data/monkey.db");
        JdbcLedger ledger = JdbcLedger.sqlite(db);
        assertThat(ledger.healthy()).isTrue();

        Files.delete(db);
        assertThat(ledger.healthy()).isFalse();

        ledger.close();
        assertThat(ledger.healthy()).isFalse();
    }
}
