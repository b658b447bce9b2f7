package com.monkeycoder.cli.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.CliRun;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.cli.OpenAiAnswer;
import com.monkeycoder.cli.terminal.Stdin;
import com.monkeycoder.daemon.testing.TestGateway;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code monkey chat} as scripts run it (stdin a pipe, or {@code --quiet}): stdout carries the answers and nothing
 * else; and what slash commands refuse, in any mode, before a message could fail on it. Against a real gateway with
 * the offline demo (no delay) and a fake OpenAI where the test must see what was sent.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ChatScriptTest {

    private static final String DEMO = "Monkey Coder offline demo";

    @TempDir
    Path home;
    @TempDir
    Path work;

    private MockWebServer openai;
    private TestGateway gateway;
    private Map<String, String> env;

    @BeforeEach
    void start() throws IOException {
        openai = new MockWebServer();
        openai.start();
        gateway = TestGateway.start(home, Map.of("OPENAI_API_KEY", "sk-test-upstream-key-script-0000",
                "OPENAI_BASE_URL", openai.url("/v1").toString()));
        env = CliRun.remoteEnv(gateway);
    }

    @AfterEach
    void stop() throws IOException {
        gateway.close();
        openai.shutdown();
    }

    /** {@code printf STDIN | monkey chat FLAGS 2>file}: stdout and stderr are not terminals. */
    private CliRun chat(Stdin stdin, String... flags) {
        return chat(new CliContext(env, false).withStdin(stdin), flags);
    }

    private CliRun chat(CliContext context, String... flags) {
        List<String> args = new ArrayList<>(List.of("chat"));
        args.addAll(List.of(flags));
        return CliRun.run(context, args.toArray(String[]::new));
    }

    @Test
    void quietWithPipedStdinPrintsOnlyTheAnswerOnStdout() {
        // stderr on a terminal, as in a shell: --quiet keeps even the spinner off it
        CliRun run = chat(new CliContext(env, false).withTerminals(false, true).withStdin(Stdin.piped("what is a monad?\n")),
                "--quiet", "--provider", "demo");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains(DEMO).contains("what is a monad?")
                .doesNotContain("Chatting with").doesNotContain("you>").doesNotContain("/help");
        assertThat(run.out()).endsWith("\n");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void withoutQuietTheSpinnerWaitsOnAStderrTerminalNotOnStdout() {
        CliRun run = chat(new CliContext(env, false).withTerminals(false, true).withStdin(Stdin.piped("hello\n")),
                "--provider", "demo");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("**" + DEMO);
        assertThat(run.err()).contains("thinking").endsWith("\r\u001b[2K");
    }

    @Test
    void pipedStdinWithoutQuietKeepsStdoutToTheAnswersToo() {
        CliRun run = chat(Stdin.piped("first question\nsecond question\n"), "--provider", "demo");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("first question").contains("second question")
                .doesNotContain("Chatting with").doesNotContain("you>");
        assertThat(run.out().split(DEMO, -1)).as("one answer per line read").hasSize(3);
    }

    @Test
    void quietOnATerminalReadsLinesWithoutBannerOrPrompt() {
        CliRun run = chat(Stdin.typed("hello\n/exit\nnever sent\n"), "--quiet", "--provider", "demo");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains(DEMO).doesNotContain("Chatting with").doesNotContain("you>")
                .doesNotContain("never sent");
    }

    @Test
    void slashCommandRepliesGoToStderrAndALineEndingInABackslashContinues() throws Exception {
        openai.enqueue(OpenAiAnswer.stream("ok"));

        CliRun run = chat(Stdin.piped("/persona reviewer\nfirst line\\\nsecond line\n"), "--model", "openai/gpt-4.1-mini");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("ok\n");
        assertThat(run.errLines()).containsExactly("persona: reviewer");
        JsonNode messages = TestGateway.parse(openai.takeRequest(1, TimeUnit.SECONDS).getBody().readUtf8()).path("messages");
        assertThat(messages.path(messages.size() - 1).path("content").asText()).isEqualTo("first line\nsecond line");
    }

    @Test
    void aFailedAnswerIsOneLineOnStderrAndSetsTheExitCode() {
        CliRun run = chat(Stdin.piped("hello\n"), "--model", "openai/no-such-model");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines()).singleElement().asString().startsWith("monkey: ").contains("no-such-model");
    }

    @Test
    void unknownModelIsRefusedAtOnceAndTheModelStays() {
        CliRun run = chat(Stdin.piped("/model gpt-9\nhello\n"), "--provider", "demo");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.errLines()).containsExactly(
                "monkey: unknown model 'demo/gpt-9' (monkey models lists them); the model stays demo's default");
        assertThat(run.out()).as("the next message still goes to the demo").contains(DEMO);
    }

    @Test
    void unknownBareModelIsRefusedWithSuggestions() {
        CliRun run = chat(Stdin.piped("/model gpt-4.1-mimi\n/model gpt-4.1\n"), "--model", "openai/gpt-4.1-mini");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.errLines()).containsExactly(
                "monkey: unknown model 'gpt-4.1-mimi' (did you mean openai/gpt-4.1-mini?); the model stays openai/gpt-4.1-mini",
                "model: gpt-4.1");
        assertThat(openai.getRequestCount()).isZero();
    }

    @Test
    void unknownPersonaAndProviderAreRefusedAtOnceAndTheyStay() {
        CliRun run = chat(Stdin.piped("/persona pirate\n/provider nope\n/persona\n/provider\n"), "--provider", "demo",
                "--persona", "reviewer");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.errLines()).hasSize(4);
        assertThat(run.errLines().get(0)).startsWith("monkey: unknown persona 'pirate' (known: developer, ")
                .contains("reviewer").endsWith("); the persona stays reviewer");
        assertThat(run.errLines().get(1)).startsWith("monkey: unknown provider 'nope' (known: ").contains("demo")
                .endsWith("); the provider stays demo");
        assertThat(run.errLines().subList(2, 4)).containsExactly("persona: reviewer", "provider: demo (model: demo's default)");
    }

    @Test
    void refusalsOnTheReplSayTheSameOnItsScreen() {
        // The REPL shares the session: the same line, where the REPL writes.
        java.io.ByteArrayOutputStream screen = new java.io.ByteArrayOutputStream();
        CliContext terminal = new CliContext(env, true).withStdin(Stdin.typed("")).withTerminal(() ->
                new org.jline.terminal.impl.DumbTerminal("test", org.jline.terminal.Terminal.TYPE_DUMB,
                        new java.io.ByteArrayInputStream("/model gpt-9\n/persona pirate\n".getBytes()), screen,
                        java.nio.charset.StandardCharsets.UTF_8));

        CliRun run = CliRun.run(terminal, "chat", "--provider", "demo", "--no-history");

        assertThat(run.exitCode()).isZero();
        assertThat(screen.toString()).contains("monkey: unknown model 'demo/gpt-9'")
                .contains("monkey: unknown persona 'pirate'").contains("the persona stays the gateway's default");
    }

    @Test
    void saveIntoAFolderThatDoesNotExistIsRefusedAndCreatesNothing() {
        Path missing = work.resolve("no/such/dir/x.md");

        CliRun run = chat(Stdin.piped("hello\n/save " + missing + "\n"), "--provider", "demo");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.errLines()).containsExactly("monkey: cannot save to " + missing + ": the folder "
                + missing.getParent() + " does not exist (create it first)");
        assertThat(work.resolve("no")).doesNotExist();
    }

    @Test
    void theTranscriptNamesTheModelOfEachTurn() throws IOException {
        openai.enqueue(OpenAiAnswer.stream("Paris."));
        Path transcript = work.resolve("chat.md");
        Path json = work.resolve("chat.json");

        CliRun run = chat(Stdin.piped("capital of France?\n/model demo/monkey-demo\nand now?\n/save " + transcript
                + "\n/save " + json + "\n"), "--model", "openai/gpt-4.1-mini");

        assertThat(run.exitCode()).as(run.err()).isZero();
        String md = Files.readString(transcript);
        assertThat(md).startsWith("# Chat with openai/gpt-4.1-mini, demo/monkey-demo\n")
                .contains("## Assistant (openai/gpt-4.1-mini)\n\nParis.\n")
                .contains("## Assistant (demo/monkey-demo)\n\n**" + DEMO);
        JsonNode saved = TestGateway.parse(Files.readString(json));
        assertThat(saved.path("messages")).filteredOn(m -> m.path("role").asText().equals("assistant"))
                .extracting(m -> m.path("model").asText()).containsExactly("openai/gpt-4.1-mini", "demo/monkey-demo");
    }

    @Test
    void maxTokensIsSentAsTheAnswersCap() throws Exception {
        openai.enqueue(OpenAiAnswer.stream("ok"));

        CliRun run = chat(Stdin.piped("hello\n"), "--model", "openai/gpt-4.1-mini", "--max-tokens", "50");

        assertThat(run.exitCode()).as(run.err()).isZero();
        RecordedRequest sent = openai.takeRequest(1, TimeUnit.SECONDS);
        assertThat(TestGateway.parse(sent.getBody().readUtf8()).path("max_completion_tokens").asInt()).isEqualTo(50);
    }

    @Test
    void aMaxTokensUnderOneIsAUsageError() {
        CliRun run = chat(Stdin.piped("hello\n"), "--provider", "demo", "--max-tokens", "0");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines()).containsExactly("monkey: --max-tokens must be a whole number of at least 1, not 0");
    }
}
