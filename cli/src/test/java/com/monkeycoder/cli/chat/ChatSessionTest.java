package com.monkeycoder.cli.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.cli.ExitException;
import com.monkeycoder.cli.OpenAiAnswer;
import com.monkeycoder.cli.client.Cancellation;
import com.monkeycoder.cli.client.Connection;
import com.monkeycoder.cli.client.GatewayClient;
import com.monkeycoder.cli.config.ModelChoice;
import com.monkeycoder.daemon.testing.OpenAiFixtures;
import com.monkeycoder.daemon.testing.TestGateway;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The chat's state without a terminal: turns kept across requests, slash commands, /save. */
class ChatSessionTest {

    @TempDir
    Path home;
    @TempDir
    Path work;

    private MockWebServer openai;
    private TestGateway gateway;
    private ChatSession session;
    private final StringWriter printed = new StringWriter();
    private final PrintWriter out = new PrintWriter(printed, true);

    @BeforeEach
    void start() throws IOException {
        openai = new MockWebServer();
        openai.start();
        gateway = TestGateway.start(home, Map.of("OPENAI_API_KEY", "sk-test-upstream-key-chat-0000",
                "OPENAI_BASE_URL", openai.url("/v1").toString()));
        GatewayClient client = new GatewayClient(new Connection(gateway.baseUrl(), TestGateway.KEY, false));
        session = new ChatSession(client, new ModelChoice(null, "openai/gpt-4.1-mini", null), null, null, work);
    }

    @AfterEach
    void stop() throws IOException {
        gateway.close();
        openai.shutdown();
    }

    private String ask(String text) {
        StringBuilder streamed = new StringBuilder();
        session.ask(text, streamed::append, new Cancellation());
        return streamed.toString();
    }

    @Test
    void eachRequestCarriesTheTurnsBeforeIt() throws Exception {
        openai.enqueue(OpenAiAnswer.stream("Paris."));
        openai.enqueue(OpenAiAnswer.stream("About 2.1 million."));

        assertThat(ask("capital of France?")).isEqualTo("Paris.");
        assertThat(ask("and its population?")).isEqualTo("About 2.1 million.");

        openai.takeRequest(1, TimeUnit.SECONDS);
        JsonNode second = TestGateway.parse(openai.takeRequest(1, TimeUnit.SECONDS).getBody().readUtf8());
        assertThat(second.path("messages")).filteredOn(m -> !m.path("role").asText().equals("system"))
                .extracting(m -> m.path("role").asText() + ": " + m.path("content").asText())
                .containsExactly("user: capital of France?", "assistant: Paris.", "user: and its population?");
        assertThat(session.conversation().turns()).isEqualTo(2);
    }

    @Test
    void aFailedTurnIsNotKept() {
        openai.enqueue(OpenAiFixtures.json(500, "error-500.json"));

        assertThatThrownBy(() -> ask("hello")).isInstanceOfSatisfying(ExitException.class,
                e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.PROVIDER_OR_NETWORK));
        assertThat(session.conversation().isEmpty()).isTrue();
    }

    @Test
    void aCancelledTurnIsNotKept() {
        Cancellation cancelled = new Cancellation();
        cancelled.cancel();
        openai.enqueue(OpenAiAnswer.stream("never read"));

        assertThatThrownBy(() -> session.ask("hello", t -> { }, cancelled)).isInstanceOf(Cancellation.Cancelled.class);
        assertThat(session.conversation().isEmpty()).isTrue();
    }

    @Test
    void clearForgetsTheConversation() {
        openai.enqueue(OpenAiAnswer.stream("hi"));
        ask("hello");

        session.handle(new SlashCommand.Clear(), out);

        assertThat(session.conversation().isEmpty()).isTrue();
        assertThat(printed.toString()).contains("Cleared the conversation (1 turn)");
    }

    @Test
    void modelProviderAndPersonaCommandsChangeTheNextRequest() throws Exception {
        session.handle(new SlashCommand.Persona("reviewer"), out);
        session.handle(new SlashCommand.Model("openai/gpt-4.1-nano"), out);
        openai.enqueue(OpenAiAnswer.stream("ok"));
        ask("look at this");

        JsonNode sent = TestGateway.parse(openai.takeRequest(1, TimeUnit.SECONDS).getBody().readUtf8());
        assertThat(sent.path("model").asText()).isEqualTo("gpt-4.1-nano");
        assertThat(sent.path("messages").path(0).path("content").asText()).contains("code reviewer");

        session.handle(new SlashCommand.Provider("demo"), out);
        assertThat(session.choice().provider()).isEqualTo("demo");
        assertThat(session.choice().model()).as("a model of another provider is dropped").isNull();
        session.handle(new SlashCommand.Model(null), out);
        assertThat(printed.toString()).contains("persona: reviewer", "model: openai/gpt-4.1-nano", "model: demo's default");
    }

    @Test
    void saveWritesMarkdownOrJsonWithEveryTurn() throws IOException {
        openai.enqueue(OpenAiAnswer.stream("Paris."));
        ask("capital of France?");
        Files.createDirectories(work.resolve("notes"));

        session.handle(new SlashCommand.Save("notes/chat.md"), out);
        session.handle(new SlashCommand.Save("chat.json"), out);

        assertThat(work.resolve("notes/chat.md")).hasContent("""
                # Chat with openai/gpt-4.1-mini

                ## You

                capital of France?

                ## Assistant (openai/gpt-4.1-mini)

                Paris.""");
        JsonNode json = TestGateway.parse(Files.readString(work.resolve("chat.json")));
        assertThat(json.path("model").asText()).isEqualTo("openai/gpt-4.1-mini");
        assertThat(json.path("messages")).extracting(m -> m.path("role").asText()).containsExactly("user", "assistant");
        assertThat(json.path("messages").path(1).path("model").asText()).isEqualTo("openai/gpt-4.1-mini");
        assertThat(printed.toString()).contains("Saved 1 turn to " + work.resolve("notes/chat.md"));
    }

    @Test
    void saveBeforeAnyTurnSavesNothing() {
        session.handle(new SlashCommand.Save("empty.md"), out);

        assertThat(printed.toString()).contains("Nothing to save yet.");
        assertThat(work.resolve("empty.md")).doesNotExist();
    }

    @Test
    void usageShowsTheSessionAndTheGatewaysTotals() {
        openai.enqueue(OpenAiAnswer.stream("Paris."));
        ask("capital of France?");

        session.handle(new SlashCommand.Usage(), out);

        assertThat(printed.toString()).containsPattern("This session: 1 answer · tokens 24 in / 1 out · cost \\$\\S+")
                .contains("Gateway, last 24 hours: 1 request ·");
    }

    @Test
    void exitEndsTheSessionAndOtherCommandsDoNot() {
        assertThat(session.handle(new SlashCommand.Exit(), out)).isEqualTo(ChatSession.Next.EXIT);
        assertThat(session.handle(new SlashCommand.Help(), out)).isEqualTo(ChatSession.Next.CONTINUE);
        assertThat(session.handle(new SlashCommand.Invalid("unknown command /x"), out)).isEqualTo(ChatSession.Next.CONTINUE);
        assertThat(printed.toString()).contains("/save FILE").contains("monkey: unknown command /x");
    }
}
