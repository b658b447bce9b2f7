package com.monkeycoder.daemon.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.daemon.providers.WireFixtures;
import com.monkeycoder.daemon.testing.TestGateway;
import com.monkeycoder.shared.Json;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** An output cap above what a model can write in one answer reaches it as the model's own maximum. */
class OutputCapTest {

    @TempDir
    Path home;

    private final MockWebServer openai = new MockWebServer();
    private TestGateway gateway;

    @BeforeEach
    void start() throws IOException {
        openai.start();
        gateway = TestGateway.start(home, Map.of("OPENAI_API_KEY", "sk-test-0000",
                "OPENAI_BASE_URL", openai.url("/v1").toString()));
    }

    @AfterEach
    void stop() throws IOException {
        gateway.close();
        openai.shutdown();
    }

    @Test
    void aCapAboveTheModelsMostIsLoweredToIt() throws Exception {
        openai.enqueue(WireFixtures.json("openai/chat-completion.json"));

        var response = gateway.post("/v1/chat/completions", """
                {"model":"openai/gpt-4.1-mini","max_tokens":200000,"messages":[{"role":"user","content":"hi"}]}""");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode sent = Json.mapper().readTree(openai.takeRequest(5, TimeUnit.SECONDS).getBody().readUtf8());
        assertThat(sent.path("max_completion_tokens").asInt()).as("gpt-4.1-mini writes at most 32,768").isEqualTo(32768);
    }

    @Test
    void aCapWithinTheModelsMostIsSentAsItCame() throws Exception {
        openai.enqueue(WireFixtures.json("openai/chat-completion.json"));

        gateway.post("/v1/chat/completions", """
                {"model":"openai/gpt-4.1-mini","max_tokens":512,"messages":[{"role":"user","content":"hi"}]}""");

        JsonNode sent = Json.mapper().readTree(openai.takeRequest(5, TimeUnit.SECONDS).getBody().readUtf8());
        assertThat(sent.path("max_completion_tokens").asInt()).isEqualTo(512);
    }
}
