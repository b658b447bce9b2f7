package com.monkeycoder.cli.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.CliRun;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.cli.OpenAiAnswer;
import com.monkeycoder.cli.terminal.Stdin;
import com.monkeycoder.daemon.testing.TestGateway;
import com.monkeycoder.shared.MonkeyPaths;
import okhttp3.mockwebserver.MockWebServer;
import org.jline.reader.impl.DefaultParser;
import org.jline.reader.Candidate;
import org.jline.reader.Parser;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The REPL itself, driven through JLine's dumb terminal with scripted input against a real gateway: the offline
 * demo, or a fake OpenAI where the test must see what was sent.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ChatReplTest {

    @TempDir
    Path home;
    @TempDir
    Path work;

    private MockWebServer openai;
    private TestGateway gateway;
    private Map<String, String> env;
    private final ByteArrayOutputStream screen = new ByteArrayOutputStream();
    private Terminal terminal;

    @BeforeEach
    void start() throws IOException {
        openai = new MockWebServer();
        openai.start();
        gateway = TestGateway.start(home, Map.of("OPENAI_API_KEY", "sk-test-upstream-key-repl-0000",
                "OPENAI_BASE_URL", openai.url("/v1").toString()));
        env = CliRun.remoteEnv(gateway);
    }

    @AfterEach
    void stop() throws IOException {
        gateway.close();
        openai.shutdown();
    }

    private CliContext onTerminal(InputStream keyboard) {
        // stdin is the terminal: the REPL, not the chat for scripts
        return new CliContext(env, true).withStdin(Stdin.typed("")).withTerminal(() -> {
            terminal = new DumbTerminal("test", Terminal.TYPE_DUMB, keyboard, screen, StandardCharsets.UTF_8);
            return terminal;
        });
    }

    private CliRun chat(String typed, String... flags) {
        List<String> args = new ArrayList<>(List.of("chat"));
        args.addAll(List.of(flags));
        return CliRun.run(onTerminal(new ByteArrayInputStream(typed.getBytes(StandardCharsets.UTF_8))), args.toArray(String[]::new));
    }

    private String screen() {
        return screen.toString(StandardCharsets.UTF_8);
    }

    @Test
    void answersAMessageShowsUsageSavesAndExits() {
        CliRun run = chat("create a REST API\n/usage\n/save " + work.resolve("chat.md") + "\n/exit\n", "--provider", "demo");

        assertThat(run.exitCode()).as(screen()).isZero();
        assertThat(screen()).contains("Chatting with demo's default").contains("you> ")
                .contains("Monkey Coder offline demo").contains("Your task: \"create a REST API\"")
                .contains("This session: 1 answer");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void saveWritesTheConversationRelativeToTheWorkingFolder() throws IOException {
        Path file = work.resolve("chat.md");

        CliRun run = chat("hello\n/save " + file + "\n", "--provider", "demo");

        assertThat(run.exitCode()).isZero();
        assertThat(Files.readString(file)).contains("## You\n\nhello\n").contains("## Assistant (demo/monkey-demo)\n\n**Monkey Coder offline demo.**");
    }

    @Test
    void endOfInputLikeCtrlDExitsCleanly() {
        CliRun run = chat("", "--provider", "demo");

        assertThat(run.exitCode()).isZero();
        assertThat(screen()).contains("Chatting with");
    }

    @Test
    void historyIsSavedInTheStateFolderReadableByItsOwnerOnly() throws IOException {
        chat("first message\n/usage\n", "--provider", "demo");

        Path history = MonkeyPaths.from(env).stateDir().resolve("chat_history");
        assertThat(Files.readString(history)).contains("first message").contains("/usage");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(history))).isEqualTo("rw-------");
    }

    @Test
    void theAnswerIsShownWithoutItsControlCharacters() {
        openai.enqueue(OpenAiAnswer.stream("Paris\u001b[2K\u001b[1A is\r big\u009b\u0007.\n"));

        CliRun run = chat("capital of France?\n", "--model", "openai/gpt-4.1-mini");

        assertThat(run.exitCode()).as(screen()).isZero();
        assertThat(screen()).contains("Paris[2K[1A is big.\n").doesNotContain("\u001b[2K").doesNotContain("\u009b")
                .doesNotContain("\u0007").doesNotContain(" is\r");
    }

    @Test
    void trailingBackslashContinuesTheMessageOnTheNextLine() throws Exception {
        openai.enqueue(OpenAiAnswer.stream("ok"));

        CliRun run = chat("first line\\\nsecond line\n", "--model", "openai/gpt-4.1-mini");

        assertThat(run.exitCode()).as(screen()).isZero();
        JsonNode sent = TestGateway.parse(openai.takeRequest(1, TimeUnit.SECONDS).getBody().readUtf8());
        JsonNode messages = sent.path("messages");
        assertThat(messages.path(messages.size() - 1).path("content").asText()).isEqualTo("first line\nsecond line");
    }

    @Test
    void conversationIsKeptAcrossTurnsAndClearForgetsIt() throws Exception {
        openai.enqueue(OpenAiAnswer.stream("Paris."));
        openai.enqueue(OpenAiAnswer.stream("2.1 million."));
        openai.enqueue(OpenAiAnswer.stream("Hello."));

        CliRun run = chat("capital of France?\nits population?\n/clear\nhi\n", "--model", "openai/gpt-4.1-mini");

        assertThat(run.exitCode()).as(screen()).isZero();
        assertThat(userAndAssistantMessages()).hasSize(1);
        assertThat(userAndAssistantMessages()).hasSize(3);
        assertThat(userAndAssistantMessages()).as("after /clear").hasSize(1);
        assertThat(screen()).contains("Paris.", "2.1 million.", "Hello.", "Cleared the conversation (2 turns)");
    }

    @Test
    void failedAnswerIsReportedAndTheReplGoesOnButTheExitCodeSaysSo() {
        CliRun run = chat("hello\n/provider demo\nhello again\n", "--model", "openai/no-such-model");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(screen()).contains("monkey: ").contains("no-such-model").contains("Monkey Coder offline demo");
    }

    @Test
    void ctrlCStopsTheAnswerButNotTheRepl(@TempDir Path slowHome) throws Exception {
        // A slow demo, so that the answer is still streaming when the test presses Ctrl-C.
        gateway.close();
        gateway = TestGateway.start(slowHome, Map.of("MONKEY_CODER_DEMO_DELAY_MS", "20"));
        env = CliRun.remoteEnv(gateway);
        PipedOutputStream keys = new PipedOutputStream();
        PipedInputStream keyboard = new PipedInputStream(keys);
        CompletableFuture<CliRun> running = CompletableFuture.supplyAsync(
                () -> CliRun.run(onTerminal(keyboard), "chat", "--provider", "demo"));

        keys.write("tell me about the demo\n".getBytes(StandardCharsets.UTF_8));
        keys.flush();
        waitFor(() -> screen().contains("Monkey Coder offline demo"));
        terminal.raise(Terminal.Signal.INT);
        waitFor(() -> screen().contains("(stopped"));
        keys.write("/save stopped.md\n/exit\n".getBytes(StandardCharsets.UTF_8));
        keys.flush();
        CliRun run = running.get(10, TimeUnit.SECONDS);

        assertThat(run.exitCode()).as(screen()).isZero();
        assertThat(screen()).contains("(stopped; this turn is not kept in the conversation)")
                .doesNotContain("Then restart the daemon") // the end of the demo's answer never came
                .contains("Nothing to save yet.");
    }

    @Test
    void ctrlCAtThePromptDropsTheLineAndKeepsTheReplRunning() throws Exception {
        PipedOutputStream keys = new PipedOutputStream();
        PipedInputStream keyboard = new PipedInputStream(keys);
        CompletableFuture<CliRun> running = CompletableFuture.supplyAsync(
                () -> CliRun.run(onTerminal(keyboard), "chat", "--provider", "demo"));

        keys.write("half a thou".getBytes(StandardCharsets.UTF_8));
        keys.flush();
        waitFor(() -> screen().contains("you> "));
        Thread.sleep(100); // the reader has taken the partial line
        terminal.raise(Terminal.Signal.INT);
        waitFor(() -> screen().split("you> ", -1).length == 3); // a fresh prompt
        keys.write("/usage\n/exit\n".getBytes(StandardCharsets.UTF_8));
        keys.flush();
        CliRun run = running.get(10, TimeUnit.SECONDS);

        assertThat(run.exitCode()).as(screen()).isZero();
        assertThat(screen()).contains("This session: 0 answers").doesNotContain("Monkey Coder offline demo");
    }

    @Test
    void completionOffersTheSlashCommandsThenTheNamesEachTakes() {
        ChatCompleter completer = new ChatCompleter(() -> List.of("openai/gpt-4.1", "demo/monkey-demo"),
                () -> List.of("openai", "demo"), () -> List.of("developer", "backend"));
        Parser parser = new DefaultParser();

        assertThat(complete(completer, parser, "/")).containsExactlyElementsOf(SlashCommand.NAMES);
        assertThat(complete(completer, parser, "/model ")).containsExactly("openai/gpt-4.1", "demo/monkey-demo");
        assertThat(complete(completer, parser, "/persona b")).contains("backend");
        assertThat(complete(completer, parser, "/provider ")).containsExactly("openai", "demo");
        assertThat(complete(completer, parser, "hello wor")).isEmpty();
    }

    private static List<String> complete(ChatCompleter completer, Parser parser, String typed) {
        List<Candidate> candidates = new ArrayList<>();
        completer.complete(null, parser.parse(typed, typed.length(), Parser.ParseContext.COMPLETE), candidates);
        return candidates.stream().map(Candidate::value).toList();
    }

    private List<JsonNode> userAndAssistantMessages() throws InterruptedException {
        var request = openai.takeRequest(1, TimeUnit.SECONDS);
        assertThat(request).isNotNull();
        List<JsonNode> kept = new ArrayList<>();
        TestGateway.parse(request.getBody().readUtf8()).path("messages").forEach(m -> {
            if (!m.path("role").asText().equals("system")) {
                kept.add(m);
            }
        });
        return kept;
    }

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out");
            }
            Thread.sleep(10);
        }
    }
}
