package com.monkeycoder.daemon.server;

import com.monkeycoder.daemon.ledger.LedgerRow;
import com.monkeycoder.daemon.testing.OpenAiFixtures;
import com.monkeycoder.daemon.testing.TestGateway;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okio.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A client that hangs up mid-stream: the upstream call is cancelled and what was generated is still billed. */
class ClientAbortTest {

    @TempDir
    Path home;

    @Test
    void hangingUpMidStreamCancelsUpstreamAndRecordsTheTokensSoFar() throws Exception {
        try (MockWebServer openai = new MockWebServer()) {
            openai.start();
            // 60 chunks, one every 100 ms: six seconds if read to the end.
            StringBuilder wire = new StringBuilder();
            for (int i = 0; i < 60; i++) {
                wire.append("data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4.1-mini\","
                        + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"word").append(i).append(" \"},\"finish_reason\":null}]}\n\n");
            }
            wire.append("data: [DONE]\n\n");
            byte[] bytes = wire.toString().getBytes(StandardCharsets.UTF_8);
            openai.enqueue(new MockResponse().setHeader("Content-Type", "text/event-stream")
                    .setBody(new Buffer().write(bytes)).throttleBody(bytes.length / 60, 100, TimeUnit.MILLISECONDS));

            try (TestGateway gateway = TestGateway.start(home, Map.of("OPENAI_API_KEY", "sk-test",
                    "OPENAI_BASE_URL", openai.url("/v1").toString()))) {
                String requestId;
                String body = "{\"prompt\":\"count\",\"model\":\"openai/gpt-4.1-mini\",\"stream\":true}";
                try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
                    OutputStream out = socket.getOutputStream();
                    out.write(("POST /v1/execute HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TestGateway.KEY
                            + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                            .getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                    requestId = null;
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        if (line.regionMatches(true, 0, "X-Request-Id:", 0, 13)) {
                            requestId = line.substring(13).strip();
                        }
                        if (line.contains("word2 ")) {
                            break; // three words in: hang up
                        }
                    }
                }
                assertThat(requestId).isNotNull();

                LedgerRow row = awaitRow(gateway, requestId);
                assertThat(row.status()).isEqualTo("client_closed");
                assertThat(row.estimated()).isTrue();
                assertThat(row.completionTokens()).isPositive();
                // Read to its end the upstream stream takes 6 s; cancelled, the row comes long before that.
                assertThat(row.latencyMs()).isLessThan(4_000);
                assertThat(gateway.get("/health").statusCode()).isEqualTo(200);
            }
        }
    }

    private static LedgerRow awaitRow(TestGateway gateway, String requestId) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            Optional<LedgerRow> row = gateway.gateway().ledger().find(requestId);
            if (row.isPresent()) {
                return row.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no ledger row for " + requestId);
    }
}
