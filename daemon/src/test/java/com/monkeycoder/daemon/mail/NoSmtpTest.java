package com.monkeycoder.daemon.mail;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
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
 * A shared gateway without {@code SMTP_URL}: registration credits at once, nothing is sent (a GreenMail server is
 * listening, and receives nothing), and the routes that need a mail say which setting turns it on.
 */
class NoSmtpTest {

    @TempDir
    Path home;

    SharedStores stores;
    GreenMail smtp;
    TestGateway gateway;

    @BeforeEach
    void start() {
        stores = SharedStores.create(SharedStores.Engine.SQLITE, home);
        smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        smtp.start();
        // Password hashing is slow on purpose; on a busy machine it can outlast the 5 s given to routes without a key.
        gateway = TestGateway.startShared(home, stores, Map.of("MONKEY_CODER_UNAUTHENTICATED_TIMEOUT", "60"), new MutableClock(Instant.parse("2026-01-15T10:00:00Z")));
    }

    @AfterEach
    void stop() {
        gateway.close();
        smtp.stop();
        stores.close();
    }

    @Test
    void registrationCreditsAtOnceAndNothingIsSent() throws Exception {
        HttpResponse<String> r = gateway.post("/v1/auth/register",
                "{\"email\":\"ada@example.com\",\"password\":\"correct horse battery\"}", (String) null);
        assertThat(r.statusCode()).isEqualTo(201);
        JsonNode account = TestGateway.json(r);
        String key = account.path("api_key").asText();
        assertThat(account.path("credit_micros").asLong()).isEqualTo(1_000_000);
        assertThat(account.path("verification_sent").asBoolean()).isFalse();
        assertThat(TestGateway.json(gateway.get("/usage", key)).path("credit_micros").asLong()).isEqualTo(1_000_000);
        assertThat(gateway.post("/v1/auth/keys", "{\"name\":\"ci\"}", key).statusCode()).isEqualTo(201);

        Thread.sleep(200);
        assertThat(smtp.getReceivedMessages()).isEmpty();
        // The starter credits went through the once-only grant, so an account made now never gets them twice.
        assertThat(gateway.gateway().accounts().account(account.path("user_id").asText()).orElseThrow()
                .emailVerified()).isFalse();
    }

    @Test
    void mailRoutesAnswer503NamingSmtpUrl() {
        String key = TestGateway.json(gateway.post("/v1/auth/register",
                "{\"email\":\"bo@example.com\",\"password\":\"correct horse battery\"}", (String) null)).path("api_key").asText();

        for (HttpResponse<String> r : new HttpResponse[]{
                gateway.post("/v1/auth/password/forgot", "{\"email\":\"bo@example.com\"}", (String) null),
                gateway.post("/v1/auth/password/reset", "{\"token\":\"mkr_x\",\"password\":\"a brand new passphrase\"}",
                        (String) null),
                gateway.post("/v1/auth/verify/resend", "", key)}) {
            assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
            JsonNode error = TestGateway.json(r).path("error");
            assertThat(error.path("code").asText()).isEqualTo("SERVICE_UNAVAILABLE");
            assertThat(error.path("message").asText()).contains("SMTP_URL");
            assertThat(error.path("details").path("reason").asText()).isEqualTo("mail_not_configured");
        }
    }
}
