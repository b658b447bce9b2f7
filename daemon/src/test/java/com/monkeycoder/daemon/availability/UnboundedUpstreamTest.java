package com.monkeycoder.daemon.availability;

import com.monkeycoder.daemon.testing.LedgerRows;
import com.monkeycoder.daemon.testing.OpenAiFixtures;
import com.monkeycoder.daemon.testing.TestGateway;
import com.monkeycoder.shared.sse.SseEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11, item 10: an upstream whose output never ends — one endless line, one endless event, events without end,
 * an endless error body — ends its request with a 502 (or, once the stream began, the stream's error event) and a
 * ledger row, within bounded time and memory; the next request through the same gateway is served.
 */
class UnboundedUpstreamTest {

    private static final byte[] CHUNK = ("data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,"
            + "\"model\":\"gpt-4.1-mini\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"hi \"},"
            + "\"finish_reason\":null}]}\n\n").getBytes(StandardCharsets.UTF_8);
    private static final byte[] DONE = ("data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,"
            + "\"model\":\"gpt-4.1-mini\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],"
            + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1,\"total_tokens\":4}}\n\ndata: [DONE]\n\n")
            .getBytes(StandardCharsets.UTF_8);

    /** What the fake upstream does with the next request. */
    enum Mode { ENDLESS_LINE, ENDLESS_EVENT, ENDLESS_EVENTS, ENDLESS_ERROR_BODY, GOOD }

    @TempDir
    Path home;

    private ServerSocket upstream;
    private volatile Mode mode = Mode.GOOD;
    private TestGateway gateway;

    @BeforeEach
    void start() throws IOException {
        upstream = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::serve);
        gateway = TestGateway.start(home, Map.of(
                "OPENAI_API_KEY", "sk-test-openai-0000",
                "OPENAI_BASE_URL", "http://127.0.0.1:" + upstream.getLocalPort() + "/v1",
                "MONKEY_CODER_UPSTREAM_DEADLINE", "3"));
    }

    @AfterEach
    void stop() throws IOException {
        gateway.close();
        upstream.close();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void anEndlessLineAfterTheFirstEventEndsTheStreamWithAnErrorAndARow() {
        mode = Mode.ENDLESS_LINE;
        assertStreamFailsWithRow("line ran past");
        assertStillServes();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void anEndlessEventEndsTheStreamWithAnErrorAndARow() {
        mode = Mode.ENDLESS_EVENT;
        assertStreamFailsWithRow("event's data ran past");
        assertStillServes();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void eventsWithoutEndStopAtTheCallDeadline() {
        mode = Mode.ENDLESS_EVENTS;
        long started = System.nanoTime();
        assertStreamFailsWithRow("openai");
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)).isLessThan(10);
        assertStillServes();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void anEndlessErrorBodyIsA502WithARow() {
        mode = Mode.ENDLESS_ERROR_BODY;
        HttpResponse<String> r = gateway.post("/v1/chat/completions",
                "{\"model\":\"openai/gpt-4.1-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(502);
        assertThat(r.body().length()).isLessThan(4096);
        assertThat(LedgerRows.forRequest(gateway, TestGateway.requestId(r))).hasSize(1);
        assertStillServes();
    }

    private void assertStreamFailsWithRow(String says) {
        HttpResponse<String> r = gateway.post("/v1/chat/completions", "{\"model\":\"openai/gpt-4.1-mini\",\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(r.statusCode()).isEqualTo(200); // the stream began with the first event
        List<SseEvent> events = TestGateway.events(r.body());
        SseEvent last = events.getLast();
        assertThat(last.data()).contains("error").contains(says);
        assertThat(events).noneMatch(e -> e.data().equals("[DONE]"));
        List<LedgerRows.Row> rows = LedgerRows.forRequest(gateway, TestGateway.requestId(r));
        assertThat(rows).hasSize(1);
    }

    private void assertStillServes() {
        mode = Mode.GOOD;
        HttpResponse<String> ok = gateway.post("/v1/chat/completions",
                "{\"model\":\"openai/gpt-4.1-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"again\"}]}");
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    }

    private void serve() {
        while (!upstream.isClosed()) {
            try {
                Socket s = upstream.accept();
                Thread.ofVirtual().start(() -> answer(s));
            } catch (IOException closed) {
                return;
            }
        }
    }

    /** Reads one request, then answers as {@link #mode} says, until the gateway hangs up. */
    private void answer(Socket s) {
        try (s) {
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
            int length = 0;
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                if (line.toLowerCase().startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).strip());
                }
            }
            char[] body = new char[length];
            for (int read = 0; read < length; ) {
                int n = in.read(body, read, length - read);
                if (n < 0) {
                    return;
                }
                read += n;
            }
            OutputStream out = s.getOutputStream();
            Mode now = mode;
            if (now == Mode.GOOD && !new String(body).replace(" ", "").contains("\"stream\":true")) {
                byte[] json = OpenAiFixtures.bytes("chat-completion.json");
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + json.length
                        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(json);
                out.flush();
                return;
            }
            if (now == Mode.ENDLESS_ERROR_BODY) {
                out.write("HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                endless(out, (byte) 'x');
                return;
            }
            out.write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(CHUNK);
            out.flush();
            switch (now) {
                case GOOD -> out.write(DONE);
                case ENDLESS_LINE -> {
                    out.write("data: ".getBytes(StandardCharsets.US_ASCII));
                    endless(out, (byte) 'a');
                }
                case ENDLESS_EVENT -> {
                    byte[] line = ("data: " + "b".repeat(8000) + "\n").getBytes(StandardCharsets.US_ASCII);
                    while (true) {
                        out.write(line);
                    }
                }
                case ENDLESS_EVENTS -> {
                    while (true) {
                        out.write(CHUNK);
                        out.flush();
                        Thread.sleep(2);
                    }
                }
                default -> {
                }
            }
            out.flush();
        } catch (IOException | InterruptedException gone) {
            // the gateway hung up: what a bounded reader does
        }
    }

    private static void endless(OutputStream out, byte b) throws IOException {
        byte[] block = new byte[64 * 1024];
        Arrays.fill(block, b);
        while (true) {
            out.write(block);
        }
    }
}
