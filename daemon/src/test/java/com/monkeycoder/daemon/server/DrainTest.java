package com.monkeycoder.daemon.server;

import com.monkeycoder.daemon.testing.TestGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Stopping the gateway lets the requests in flight finish, ledger row included, then refuses new ones. */
@Timeout(60)
class DrainTest {

    @TempDir
    Path home;

    @Test
    void stoppingFinishesTheStreamInFlightThenRefusesNewRequests() throws Exception {
        TestGateway gateway = TestGateway.start(home, Map.of("MONKEY_CODER_DEMO_DELAY_MS", "5"));
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(gateway.uri("/v1/execute"))
                .header("Authorization", "Bearer " + TestGateway.KEY)
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"prompt\":\"a long answer\",\"model\":\"demo/monkey-demo\",\"stream\":true}"))
                .build();
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        String requestId = TestGateway.requestId(response);
        BufferedReader body = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
        StringBuilder received = new StringBuilder(body.readLine()).append('\n'); // the stream has started

        CompletableFuture<Void> stopped = CompletableFuture.runAsync(gateway::close);
        for (String line = body.readLine(); line != null; line = body.readLine()) {
            received.append(line).append('\n');
        }
        stopped.get();

        assertThat(received.toString()).contains("event: done").doesNotContain("event: error");
        assertThat(received.toString().split("event: delta", -1)).as("the stream went on after the stop began").hasSizeGreaterThan(50);
        // The row was committed before the stream's last event, and survives the stop.
        try (var ledger = com.monkeycoder.daemon.ledger.JdbcLedger.sqlite(home.resolve("data/monkey.db"))) {
            assertThat(ledger.count(requestId)).isEqualTo(1);
        }
        assertThatThrownBy(() -> client.send(request, HttpResponse.BodyHandlers.ofString()))
                .as("a stopped gateway takes no new request").isInstanceOf(java.io.IOException.class);
    }
}
