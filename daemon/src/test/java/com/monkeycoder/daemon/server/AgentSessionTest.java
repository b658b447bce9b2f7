package com.monkeycoder.daemon.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.daemon.ledger.LedgerRow;
import com.monkeycoder.daemon.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Agent sessions on the ledger: each row names the session its client sent, and usage groups by it. */
class AgentSessionTest {

    private static final String MESSAGE = """
            {"model":"demo/monkey-demo","max_tokens":256,"messages":[{"role":"user","content":"hi"}]}""";
    private static final String CHAT = """
            {"model":"demo/monkey-demo","messages":[{"role":"user","content":"hi"}]}""";

    @TempDir
    Path home;

    private TestGateway gateway;

    @BeforeEach
    void start() {
        gateway = TestGateway.start(home, Map.of());
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    private static Map<String, String> headers(String name, String value) {
        return Map.of("Authorization", "Bearer " + TestGateway.KEY, name, value);
    }

    @Test
    void claudeCodesSessionHeaderIsRecordedOnTheRow() throws Exception {
        HttpResponse<String> response = gateway.post("/v1/messages", MESSAGE,
                headers("x-claude-code-session-id", "9f1c2d3e-session"));

        assertThat(response.statusCode()).isEqualTo(200);
        String requestId = response.headers().firstValue("X-Request-Id").orElseThrow();
        LedgerRow row = gateway.gateway().ledger().find(requestId).orElseThrow();
        assertThat(row.sessionId()).isEqualTo("9f1c2d3e-session");
    }

    @Test
    void usageIsGroupedByAgentSessionAndRequestsWithoutOneAreLeftOut() {
        gateway.post("/v1/messages", MESSAGE, headers("x-claude-code-session-id", "claude-1"));
        gateway.post("/v1/messages", MESSAGE, headers("x-claude-code-session-id", "claude-1"));
        gateway.post("/v1/chat/completions", CHAT, headers("X-Monkey-Session", "script-7"));
        gateway.post("/v1/chat/completions", CHAT);

        JsonNode usage = TestGateway.json(gateway.get("/v1/billing/usage"));

        assertThat(usage.path("totals").path("requests").asLong()).isEqualTo(4);
        JsonNode sessions = usage.path("by_session");
        assertThat(sessions.size()).isEqualTo(2);
        assertThat(sessions.findValuesAsText("key")).containsExactly("claude-1", "script-7");
        assertThat(sessions.path(0).path("requests").asLong()).isEqualTo(2);
        assertThat(sessions.path(1).path("requests").asLong()).isEqualTo(1);
    }

    @Test
    void anOverlongSessionNameIsCutNotRefused() throws Exception {
        HttpResponse<String> response = gateway.post("/v1/chat/completions", CHAT, headers("X-Monkey-Session", "s".repeat(500)));

        String requestId = response.headers().firstValue("X-Request-Id").orElseThrow();
        assertThat(gateway.gateway().ledger().find(requestId).orElseThrow().sessionId()).hasSize(128);
    }
}
