package com.monkeycoder.daemon.server;

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
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stored conversations on a shared gateway (PostgreSQL and Redis), two accounts: each sees only their own, and
 * another account's session id is answered exactly as a missing one, on every route and on /v1/execute.
 */
class SharedSessionsTest {

    static final String ALICES = "ses_alicesplan0001";

    @TempDir
    Path home;

    SharedStores stores;
    TestGateway gateway;
    String alice;
    String mallory;

    @BeforeEach
    void start() {
        stores = SharedStores.create(SharedStores.Engine.POSTGRES, home);
        gateway = TestGateway.startShared(home, stores, Map.of(), new MutableClock(Instant.parse("2026-01-15T10:00:00Z")));
        alice = register("alice@example.com");
        mallory = register("mallory@example.com");
        HttpResponse<String> r = execute(alice, ALICES, "alice's secret plan");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    @AfterEach
    void stop() {
        gateway.close();
        stores.close();
    }

    String register(String email) {
        HttpResponse<String> r = gateway.post("/v1/auth/register",
                "{\"email\":\"" + email + "\",\"password\":\"correct horse battery\"}", (String) null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return TestGateway.json(r).path("api_key").asText();
    }

    HttpResponse<String> execute(String key, String session, String prompt) {
        return gateway.post("/v1/execute", "{\"prompt\":\"" + prompt + "\",\"model\":\"demo/monkey-demo\","
                + "\"session_id\":\"" + session + "\"}", key);
    }

    /** The error without its timestamp, to compare two 404s word for word. */
    static JsonNode withoutTime(HttpResponse<String> r) {
        JsonNode error = TestGateway.json(r).path("error").deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) error).remove("timestamp");
        return error;
    }

    @Test
    void anotherAccountsSessionIsNotFoundExactlyAsAMissingOne() {
        HttpResponse<String> foreign = gateway.get("/v1/sessions/" + ALICES, mallory);
        HttpResponse<String> missing = gateway.get("/v1/sessions/ses_nosuchsession1", mallory);

        assertThat(foreign.statusCode()).isEqualTo(404);
        assertThat(withoutTime(foreign).toString())
                .isEqualTo(withoutTime(missing).toString().replace("ses_nosuchsession1", ALICES));
        assertThat(foreign.body()).doesNotContain("secret plan");
    }

    @Test
    void anotherAccountCannotDeleteOrContinueASessionNorSeeItListed() {
        assertThat(gateway.delete("/v1/sessions/" + ALICES, mallory).statusCode()).isEqualTo(404);

        HttpResponse<String> continued = execute(mallory, ALICES, "tell me the plan");
        assertThat(continued.statusCode()).isEqualTo(404);
        assertThat(TestGateway.json(continued).path("error").path("code").asText()).isEqualTo("NOT_FOUND");
        assertThat(continued.body()).doesNotContain("secret plan");

        assertThat(TestGateway.json(gateway.get("/v1/sessions", mallory)).path("sessions")).isEmpty();
        JsonNode kept = TestGateway.json(gateway.get("/v1/sessions/" + ALICES, alice));
        assertThat(kept.path("messages").findValuesAsText("content")).hasSize(2).first().isEqualTo("alice's secret plan");
    }

    @Test
    void eachAccountListsAndDeletesOnlyItsOwn() {
        execute(mallory, "ses_mallorys00001", "mallory's own");

        assertThat(TestGateway.json(gateway.get("/v1/sessions", alice)).path("sessions").findValuesAsText("id"))
                .containsExactly(ALICES);
        assertThat(TestGateway.json(gateway.get("/v1/sessions", mallory)).path("sessions").findValuesAsText("id"))
                .containsExactly("ses_mallorys00001");
        assertThat(gateway.delete("/v1/sessions/" + ALICES, alice).statusCode()).isEqualTo(204);
        assertThat(gateway.get("/v1/sessions/" + ALICES, alice).statusCode()).isEqualTo(404);
        assertThat(gateway.get("/v1/sessions/ses_mallorys00001", mallory).statusCode()).isEqualTo(200);
    }
}
