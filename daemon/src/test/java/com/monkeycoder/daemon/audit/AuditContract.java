package com.monkeycoder.daemon.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.daemon.accounts.AccountChanges;
import com.monkeycoder.daemon.store.Database;
import com.monkeycoder.daemon.store.Housekeeping;
import com.monkeycoder.daemon.testing.MutableClock;
import com.monkeycoder.daemon.testing.SharedStores;
import com.monkeycoder.daemon.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit log on a shared gateway, written once and run on each engine ({@link SqliteAuditTest},
 * {@link PostgresAuditTest}): what account actions it records, who may read which events, paging and filters,
 * retention, and balance changes written once per reference with their entry.
 */
abstract class AuditContract {

    @TempDir
    Path home;

    MutableClock clock = new MutableClock(Instant.parse("2026-03-01T09:00:00Z"));
    SharedStores stores;
    TestGateway gateway;

    abstract SharedStores.Engine engine();

    @BeforeEach
    void start() {
        stores = SharedStores.create(engine(), home);
        gateway = TestGateway.startShared(home, stores, Map.of("MONKEY_CODER_ADMIN_EMAILS", "ops@example.com"), clock);
    }

    @AfterEach
    void stop() {
        gateway.close();
        stores.close();
    }

    private HttpResponse<String> post(String path, String json, String key) {
        HttpRequest.Builder b = HttpRequest.newBuilder(gateway.uri(path)).header("Content-Type", "application/json")
                .header("User-Agent", "audit-test/1.0").POST(HttpRequest.BodyPublishers.ofString(json));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return gateway.send(b.build());
    }

    private JsonNode register(String email) {
        HttpResponse<String> r = post("/v1/auth/register", "{\"email\":\"" + email
                + "\",\"password\":\"correct horse battery\"}", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return TestGateway.json(r);
    }

    private JsonNode audit(String query, String key) {
        HttpResponse<String> r = gateway.get("/v1/audit" + query, key);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return TestGateway.json(r);
    }

    /** The actions of a page, leaving out the starter credits each registration grants (in the same millisecond). */
    private static List<String> actions(JsonNode page) {
        List<String> out = new ArrayList<>();
        events(page).forEach(e -> out.add(e.path("action").asText()));
        return out;
    }

    private static List<JsonNode> events(JsonNode page) {
        List<JsonNode> out = new ArrayList<>();
        page.path("events").forEach(e -> {
            if (!e.path("details").path("kind").asText().equals("starter")) {
                out.add(e);
            }
        });
        return out;
    }

    @Test
    void accountActionsAreRecordedNewestFirstWithTheClientsAddressAndAgent() {
        JsonNode alice = register("alice@example.com");
        String key = alice.path("api_key").asText();
        clock.advance(Duration.ofSeconds(1));
        assertThat(post("/v1/auth/login", "{\"email\":\"alice@example.com\",\"password\":\"wrong password!\"}", null)
                .statusCode()).isEqualTo(401);
        clock.advance(Duration.ofSeconds(1));
        assertThat(post("/v1/auth/login", "{\"email\":\"alice@example.com\",\"password\":\"correct horse battery\"}",
                null).statusCode()).isEqualTo(200);
        clock.advance(Duration.ofSeconds(1));
        HttpResponse<String> created = post("/v1/auth/keys", "{\"name\":\"ci\"}", key);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String keyId = TestGateway.json(created).path("key_id").asText();
        clock.advance(Duration.ofSeconds(1));
        assertThat(gateway.delete("/v1/auth/keys/" + keyId, key).statusCode()).isEqualTo(204);

        JsonNode page = audit("", key);
        assertThat(actions(page)).containsExactly("key_revoked", "key_created", "login", "login_failed", "register");
        JsonNode revoked = events(page).get(0);
        assertThat(revoked.path("target").asText()).isEqualTo(keyId);
        assertThat(revoked.path("account_id").asText()).isEqualTo(alice.path("user_id").asText());
        assertThat(revoked.path("actor").asText()).isEqualTo(alice.path("user_id").asText());
        assertThat(revoked.path("client_address").asText()).isEqualTo("127.0.0.1");
        assertThat(events(page).get(1).path("user_agent").asText()).isEqualTo("audit-test/1.0");
        assertThat(revoked.path("time").asText()).isEqualTo("2026-03-01T09:00:04Z");
        assertThat(events(page).get(1).path("details").path("name").asText()).isEqualTo("ci");
        assertThat(events(page).get(3).path("details").path("reason").asText()).isEqualTo("wrong_password");
        assertThat(page.toString()).doesNotContain("correct horse", "wrong password", "mk-");
    }

    @Test
    void anAccountSeesOnlyItsOwnEventsAndAnAdminSeesEveryAccount() {
        String alice = register("alice@example.com").path("api_key").asText();
        JsonNode bob = register("bob@example.com");
        String admin = register("ops@example.com").path("api_key").asText();

        assertThat(events(audit("", alice))).hasSize(1);
        assertThat(audit("", alice).path("events")).allSatisfy(e -> assertThat(e.path("account_id").asText())
                .isNotEqualTo(bob.path("user_id").asText()));
        HttpResponse<String> peek = gateway.get("/v1/audit?account=" + bob.path("user_id").asText(), alice);
        assertThat(peek.statusCode()).isEqualTo(403);
        assertThat(peek.body()).contains("admin");

        assertThat(events(audit("", admin))).hasSize(3);
        JsonNode onlyBob = audit("?account=" + bob.path("user_id").asText(), admin);
        assertThat(events(onlyBob)).hasSize(1);
        assertThat(onlyBob.path("events")).allSatisfy(e -> assertThat(e.path("account_id").asText())
                .isEqualTo(bob.path("user_id").asText()));
    }

    @Test
    void pagesFollowTheCursorAndFiltersNarrowByActionAndTime() {
        String key = register("alice@example.com").path("api_key").asText();
        for (int i = 0; i < 4; i++) {
            clock.advance(Duration.ofMinutes(1));
            assertThat(post("/v1/auth/keys", "{\"name\":\"k" + i + "\"}", key).statusCode()).isEqualTo(201);
        }
        JsonNode first = audit("?limit=2&action=key_created", key);
        assertThat(first.path("events")).hasSize(2);
        assertThat(first.path("next").isTextual()).isTrue();
        JsonNode second = audit("?limit=2&action=key_created&before=" + first.path("next").asText(), key);
        assertThat(second.path("events")).hasSize(2);
        assertThat(second.path("next").isTextual()).as("no page after the last").isFalse();
        List<String> names = new ArrayList<>();
        for (JsonNode p : List.of(first, second)) {
            p.path("events").forEach(e -> names.add(e.path("details").path("name").asText()));
        }
        assertThat(names).containsExactly("k3", "k2", "k1", "k0");

        assertThat(actions(audit("?action=register", key))).containsExactly("register");
        assertThat(audit("?action=key_created&since=2026-03-01T09:02:30Z", key).path("events")).hasSize(2);
        assertThat(events(audit("?until=2026-03-01T09:00:30Z", key))).hasSize(1);

        assertThat(gateway.get("/v1/audit?action=drop_tables", key).statusCode()).isEqualTo(422);
        assertThat(gateway.get("/v1/audit?since=yesterday", key).statusCode()).isEqualTo(422);
        assertThat(gateway.get("/v1/audit?before=%27%20OR%201%3D1%20--", key).statusCode()).isIn(400, 422);
        assertThat(gateway.get("/v1/audit?limit=100000", key).statusCode()).isEqualTo(422);
        assertThat(gateway.get("/v1/audit", (String) null).statusCode()).isEqualTo(401);
    }

    @Test
    void retentionDeletesOnlyEventsOlderThanItsCutoff() throws Exception {
        String key = register("alice@example.com").path("api_key").asText();
        clock.advance(Duration.ofDays(400));
        assertThat(post("/v1/auth/keys", "{\"name\":\"late\"}", key).statusCode()).isEqualTo(201);
        try (Database db = database()) {
            JdbcAuditLog log = new JdbcAuditLog(db, clock);
            try (Housekeeping housekeeping = new Housekeeping(clock, Map.of("audit log",
                    now -> log.purgeOlderThan(now - Duration.ofDays(365).toMillis())))) {
                assertThat(housekeeping.runNow()).containsKey("audit log");
            }
        }
        assertThat(actions(audit("", key))).containsExactly("key_created");
    }

    @Test
    void aBalanceChangeWithAReferenceHappensOnceAndWritesItsEntryWithIt() throws Exception {
        JsonNode alice = register("alice@example.com");
        String id = alice.path("user_id").asText();
        long before = TestGateway.json(gateway.get("/usage", alice.path("api_key").asText())).path("credit_micros").asLong();
        try (Database db = database()) {
            AccountChanges changes = new AccountChanges(db, new JdbcAuditLog(db, clock), clock);
            AuditEvent event = AuditEvent.of(AuditActions.CREDITS_ADDED, id, AuditEvent.STRIPE, "evt_1", Origin.SYSTEM,
                    Map.of("amount_micros", 10_000_000));
            assertThat(changes.adjustCredits(id, 10_000_000, AccountChanges.Kind.PURCHASE, "evt_1", null, event)).isTrue();
            assertThat(changes.adjustCredits(id, 10_000_000, AccountChanges.Kind.PURCHASE, "evt_1", null, event)).isFalse();
            assertThat(changes.adjustCredits("usr_nobody", 5, AccountChanges.Kind.ADMIN, null, "x", event)).isFalse();
            assertThat(changes.creditHistory(id, 10)).filteredOn(a -> a.kind().equals(AccountChanges.Kind.PURCHASE))
                    .singleElement().satisfies(a -> assertThat(a.amountMicros()).isEqualTo(10_000_000));
        }
        long after = TestGateway.json(gateway.get("/usage", alice.path("api_key").asText())).path("credit_micros").asLong();
        assertThat(after - before).isEqualTo(10_000_000);
        assertThat(audit("?action=credits_added", alice.path("api_key").asText()).path("events"))
                .filteredOn(e -> e.path("actor").asText().equals(AuditEvent.STRIPE)).hasSize(1);
    }

    @Test
    void eventsWrittenInOneMillisecondKeepTheOrderTheyWereWrittenIn() throws Exception {
        // Verifying an address writes email_verified and then the starter credits in one transaction, in one
        // millisecond: the log must not show the credits first.
        try (Database db = database()) {
            JdbcAuditLog log = new JdbcAuditLog(db, clock);
            List<String> written = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                written.add(log.record(AuditEvent.of(AuditActions.LOGIN, "usr_same_ms", "usr_same_ms", "step-" + i,
                        Origin.SYSTEM, Map.of())).target());
            }
            List<String> newestFirst = log.page(new AuditQuery("usr_same_ms", null, null, null, null, 100)).events()
                    .stream().map(AuditEvent::target).toList();
            assertThat(newestFirst).containsExactlyElementsOf(written.reversed());
        }
    }

    private Database database() throws Exception {
        return Database.open(stores.databaseUrl(), 2);
    }
}
