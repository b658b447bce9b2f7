package com.monkeycoder.daemon.cache;

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
 * On a shared gateway each account has its own cached answers: the same cacheable request from another account is a
 * miss, so a hit never tells one tenant what another asked, nor hands it an answer the other paid for.
 */
class SharedCacheIsolationTest {

    private static final String DETERMINISTIC = """
            {"prompt":"the secret roadmap of account A","model":"demo/monkey-demo","model_config":{"temperature":0}}""";

    @TempDir
    Path home;

    private SharedStores stores;
    private TestGateway gateway;

    @BeforeEach
    void start() {
        stores = SharedStores.create(SharedStores.Engine.SQLITE, home);
        gateway = TestGateway.startShared(home, stores, Map.of(), new MutableClock(Instant.parse("2026-01-15T10:00:00Z")));
    }

    @AfterEach
    void stop() {
        gateway.close();
        stores.close();
    }

    private String register(String email) {
        HttpResponse<String> r = gateway.post("/v1/auth/register",
                "{\"email\":\"" + email + "\",\"password\":\"correct horse battery\"}", (String) null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return TestGateway.json(r).path("api_key").asText();
    }

    @Test
    void anotherAccountsIdenticalRequestIsAMissWhileTheSameAccountHits() {
        String alice = register("alice@example.com");
        String bob = register("bob@example.com");

        HttpResponse<String> first = gateway.post("/v1/execute", DETERMINISTIC, alice);
        HttpResponse<String> again = gateway.post("/v1/execute", DETERMINISTIC, alice);
        HttpResponse<String> other = gateway.post("/v1/execute", DETERMINISTIC, bob);

        assertThat(first.headers().firstValue("X-Monkey-Cache")).contains("MISS");
        assertThat(again.headers().firstValue("X-Monkey-Cache")).contains("HIT");
        assertThat(other.headers().firstValue("X-Monkey-Cache")).as("bob must not learn alice asked this").contains("MISS");
        JsonNode bobs = TestGateway.json(other);
        assertThat(bobs.path("cached").asBoolean()).isFalse();
    }
}
