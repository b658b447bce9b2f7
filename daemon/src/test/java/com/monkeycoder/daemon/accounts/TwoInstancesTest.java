package com.monkeycoder.daemon.accounts;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.daemon.testing.MutableClock;
import com.monkeycoder.daemon.testing.SharedStores;
import com.monkeycoder.daemon.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two gateway instances sharing one PostgreSQL schema and one Redis prefix, as N instances behind a load
 * balancer do: one global limit, revocations seen everywhere at once, one ledger row per request.
 */
class TwoInstancesTest {

    @TempDir
    Path home;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T09:15:00Z"));
    private SharedStores stores;
    private TestGateway a;
    private TestGateway b;

    @BeforeEach
    void start() throws Exception {
        stores = SharedStores.create(SharedStores.Engine.POSTGRES, home);
        a = TestGateway.startShared(home.resolve("a"), stores, Map.of(), clock);
        b = TestGateway.startShared(home.resolve("b"), stores, Map.of(), clock);
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
        stores.close();
    }

    private String register(TestGateway on, String email) {
        HttpResponse<String> r = on.post("/v1/auth/register",
                "{\"email\":\"" + email + "\",\"password\":\"correct horse battery\"}", (String) null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return TestGateway.json(r).path("api_key").asText();
    }

    private static HttpResponse<String> demo(TestGateway on, String key) {
        return on.post("/v1/execute", "{\"prompt\":\"hello\",\"model\":\"demo/monkey-demo\"}", key);
    }

    /** Sends {@code n} demo requests at once, alternating between the instances. */
    private List<HttpResponse<String>> concurrently(int n, String key) throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
            List<Future<HttpResponse<String>>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                TestGateway on = i % 2 == 0 ? a : b;
                futures.add(pool.submit(() -> demo(on, key)));
            }
            List<HttpResponse<String>> out = new ArrayList<>();
            for (Future<HttpResponse<String>> f : futures) {
                out.add(f.get());
            }
            return out;
        }
    }

    private long ledgerRows() throws Exception {
        try (Connection c = a.gateway().database().connection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM ledger")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void aLimitOfNPerHourAdmitsExactlyNAcrossBothInstances() throws Exception {
        String first = register(a, "ann@example.com");
        HttpResponse<String> created = b.post("/v1/auth/keys", "{\"requests_per_hour\":10}", first);
        String key = TestGateway.json(created).path("api_key").asText();

        List<HttpResponse<String>> responses = concurrently(40, key);

        assertThat(responses).filteredOn(r -> r.statusCode() == 200).hasSize(10);
        assertThat(responses).filteredOn(r -> r.statusCode() == 429).hasSize(30);
        assertThat(ledgerRows()).isEqualTo(10);
        JsonNode usage = TestGateway.json(b.get("/usage", key));
        assertThat(usage.path("requests_used").asLong()).isEqualTo(10);
        assertThat(usage.path("requests_remaining").asLong()).isZero();
    }

    @Test
    void aKeyRevokedOnOneInstanceIsRefusedOnTheOtherAtOnce() {
        String first = register(a, "ben@example.com");
        JsonNode created = TestGateway.json(a.post("/v1/auth/keys", "{\"name\":\"laptop\"}", first));
        String key = created.path("api_key").asText();
        assertThat(demo(b, key).statusCode()).as("b now holds the key in its auth cache").isEqualTo(200);
        assertThat(demo(a, key).statusCode()).isEqualTo(200);

        assertThat(a.delete("/v1/auth/keys/" + created.path("key_id").asText(), first).statusCode()).isEqualTo(204);

        assertThat(demo(b, key).statusCode()).isEqualTo(401);
        assertThat(demo(a, key).statusCode()).isEqualTo(401);
        assertThat(demo(b, first).statusCode()).isEqualTo(200);
    }

    @Test
    void theLedgerHoldsEveryRequestOfBothInstancesOnce() throws Exception {
        String key = register(b, "cleo@example.com");

        List<HttpResponse<String>> responses = concurrently(40, key);

        assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
        assertThat(ledgerRows()).isEqualTo(40);
        for (HttpResponse<String> r : responses) {
            String id = TestGateway.json(r).path("request_id").asText();
            assertThat(a.gateway().ledger().count(id)).as(id).isEqualTo(1);
        }
        JsonNode report = TestGateway.json(a.get("/v1/billing/usage?days=1", key));
        assertThat(report.path("totals").path("requests").asLong()).isEqualTo(40);
    }
}
