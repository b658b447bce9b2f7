package com.monkeycoder.cli.commands;

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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code monkey implement} sends: attached files and piped text in the prompt (or piped text as the task when
 * there is no TASK; nothing read with {@code --no-stdin}; a notice while a slow pipe is read), the task type, the
 * {@code --max-tokens} cap, and what it prints with {@code --extract}, on a terminal (spinner, colours) and off one.
 */
class ImplementContextTest {

    private static final String UPSTREAM_KEY = "sk-test-upstream-key-context-0000";

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
        gateway = TestGateway.start(home, Map.of("OPENAI_API_KEY", UPSTREAM_KEY, "OPENAI_BASE_URL", openai.url("/v1").toString()));
        env = CliRun.remoteEnv(gateway);
    }

    @AfterEach
    void stop() throws IOException {
        gateway.close();
        openai.shutdown();
    }

    @Test
    void attachedFilesAreSentAsFencedBlocksNamedByTheirPath() throws Exception {
        Path file = Files.writeString(work.resolve("Parser.java"), "class Parser {\n  String s = \"```\";\n}\n");
        openai.enqueue(OpenAiAnswer.stream("ok"));

        CliRun run = CliRun.run(env, "implement", "--model", "openai/gpt-4.1-mini", "-f", file.toString(), "write tests");

        assertThat(run.exitCode()).as(run.err()).isZero();
        String prompt = lastUserMessage(upstream());
        assertThat(prompt).startsWith("write tests\n\n")
                .contains("````java " + file + "\nclass Parser {\n  String s = \"```\";\n}\n````\n");
    }

    @Test
    void pipedStdinIsAttachedAfterTheFiles() throws Exception {
        Path file = Files.writeString(work.resolve("a.py"), "print(1)\n");
        openai.enqueue(OpenAiAnswer.stream("ok"));
        String diff = "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n";

        CliRun run = CliRun.run(new CliContext(env, false).withStdin(Stdin.piped(diff)),
                "implement", "--model", "openai/gpt-4.1-mini", "--file", file.toString(), "review this");

        assertThat(run.exitCode()).as(run.err()).isZero();
        String prompt = lastUserMessage(upstream());
        assertThat(prompt.indexOf("```python " + file)).isPositive()
                .isLessThan(prompt.indexOf("```diff (stdin)\n" + diff + "```"));
    }

    @Test
    void emptyStdinAttachesNothing() throws Exception {
        openai.enqueue(OpenAiAnswer.stream("ok"));

        CliRun run = CliRun.run(new CliContext(env, false).withStdin(Stdin.piped("  \n")),
                "implement", "--model", "openai/gpt-4.1-mini", "say hi");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(lastUserMessage(upstream())).isEqualTo("say hi");
    }

    @Test
    void missingOrBinaryFileIsAUsageErrorAndNothingIsSent() throws IOException {
        Path binary = Files.write(work.resolve("logo.png"), new byte[]{(byte) 0x89, 'P', 'N', 'G', 0, 0, (byte) 0xff});

        CliRun missing = CliRun.run(env, "implement", "--provider", "demo", "-f", work.resolve("nope.txt").toString(), "x");
        CliRun notText = CliRun.run(env, "implement", "--provider", "demo", "-f", binary.toString(), "x");
        CliRun folder = CliRun.run(env, "implement", "--provider", "demo", "-f", work.toString(), "x");

        assertThat(missing.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.errLines()).containsExactly("monkey: cannot attach " + work.resolve("nope.txt") + ": no such file");
        assertThat(notText.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(notText.err()).contains("not UTF-8 text");
        assertThat(folder.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(folder.err()).contains("it is a folder");
        assertThat(openai.getRequestCount()).isZero();
    }

    @Test
    void taskTypeDefaultsToCodeGenerationAndTaskChangesTheInstructions() throws Exception {
        openai.enqueue(OpenAiAnswer.stream("ok"));
        openai.enqueue(OpenAiAnswer.stream("ok"));

        CliRun byDefault = CliRun.run(env, "implement", "--model", "openai/gpt-4.1-mini", "x");
        String defaultSystem = systemMessage(upstream());
        CliRun testing = CliRun.run(env, "implement", "--model", "openai/gpt-4.1-mini", "--task", "testing", "x");
        String testingSystem = systemMessage(upstream());

        assertThat(byDefault.exitCode()).isZero();
        assertThat(testing.exitCode()).isZero();
        assertThat(defaultSystem).contains("Implement what is asked");
        assertThat(testingSystem).contains("Write tests for the given code").doesNotContain("Implement what is asked");
    }

    @Test
    void unknownTaskTypeIsAUsageError() {
        CliRun run = CliRun.run(env, "implement", "--provider", "demo", "--task", "poetry", "x");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.errLines()).singleElement().asString().startsWith("monkey: --task is not a known task type")
                .contains("code_review").doesNotContain("task_type");
    }

    @Test
    void extractPrintsOnlyTheCodeBlocks() {
        openai.enqueue(OpenAiAnswer.stream("Here:\n\n```bash backup.sh\n#!/bin/sh\ncp -r notes /tmp\n```\n\nand\n\n"
                + "```\necho done\n```\nEnjoy.\n"));

        CliRun run = CliRun.run(env, "implement", "--model", "openai/gpt-4.1-mini", "--extract", "backup script");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("#!/bin/sh\ncp -r notes /tmp\n\necho done\n");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void extractWithoutCodeBlocksFailsInsteadOfPrintingNothing() {
        openai.enqueue(OpenAiAnswer.stream("I cannot help with that."));

        CliRun run = CliRun.run(env, "implement", "--model", "openai/gpt-4.1-mini", "--extract", "x");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.UNEXPECTED);
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines()).singleElement().asString().contains("no code blocks");
    }

    @Test
    void spinnerDrawsOnATerminalsStderrAndErasesItselfBeforeTheAnswer() {
        CliRun run = CliRun.run(new CliContext(env, false).withTerminals(false, true),
                "implement", "--provider", "demo", "create a REST API");

        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).startsWith("\r").contains("waiting for the answer").endsWith("\r\u001b[2K");
        assertThat(run.out()).contains("Monkey Coder offline demo").doesNotContain("waiting", "\r");
    }

    @Test
    void noSpinnerWhenStderrIsNotATerminalOrWithQuiet() {
        CliRun piped = CliRun.run(env, "implement", "--provider", "demo", "create a REST API");
        CliRun quiet = CliRun.run(new CliContext(env, true).withTerminals(true, true),
                "implement", "--provider", "demo", "--quiet", "create a REST API");

        assertThat(piped.err()).isEmpty();
        assertThat(quiet.err()).isEmpty();
        assertThat(quiet.out()).contains("Monkey Coder offline demo");
    }

    @Test
    void flagsThatOnlyMeanSomethingWithWriteAreUsageErrorsWithout() {
        assertThat(CliRun.run(env, "implement", "--yes", "x").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(CliRun.run(env, "implement", "--dry-run", "x").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(CliRun.run(env, "implement", "--extract", "--json", "x").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(openai.getRequestCount()).isZero();
    }

    private CliContext piped(String text) {
        return new CliContext(env, false).withStdin(Stdin.piped(text));
    }

    @Test
    void withoutATaskThePipedTextIsTheTask() throws Exception {
        openai.enqueue(OpenAiAnswer.stream("ok"));

        CliRun run = CliRun.run(piped("write hello world\n"), "implement", "--model", "openai/gpt-4.1-mini");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("ok\n");
        assertThat(run.err()).isEmpty();
        assertThat(lastUserMessage(upstream())).isEqualTo("write hello world");
    }

    @Test
    void withATaskThePipedTextIsContextAsBefore() throws Exception {
        openai.enqueue(OpenAiAnswer.stream("ok"));

        CliRun run = CliRun.run(piped("some log line\n"), "implement", "--model", "openai/gpt-4.1-mini", "explain this");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(lastUserMessage(upstream()))
                .isEqualTo("explain this\n\nContext:\n\n```text (stdin)\nsome log line\n```\n");
    }

    @Test
    void theDemoAnswersAPipedTask() {
        CliRun run = CliRun.run(piped("create a REST API"), "implement", "--provider", "demo");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Monkey Coder offline demo").contains("Your task: \"create a REST API\"");
    }

    @Test
    void noTaskAndNothingPipedIsAUsageErrorThatSaysBothWays() {
        CliRun run = CliRun.run(piped(" \n"), "implement", "--provider", "demo");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines()).containsExactly(
                "monkey: Missing TASK: say what to build (monkey implement \"create a REST API\"), or pipe it into stdin"
                        + " (see 'monkey implement --help')");
    }

    @Test
    void noStdinLeavesAPipeThatNeverClosesUnread() throws Exception {
        PipedOutputStream writer = new PipedOutputStream();
        CliContext neverCloses = new CliContext(env, false).withStdin(Stdin.of(new PipedInputStream(writer), false));

        CliRun run = CompletableFuture.supplyAsync(() -> CliRun.run(neverCloses, "implement", "--provider", "demo",
                "--no-stdin", "hi")).get(10, TimeUnit.SECONDS);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Monkey Coder offline demo").doesNotContain("Context");
        writer.close();
    }

    @Test
    void noStdinWithoutATaskIsTheUsageError() {
        CliRun run = CliRun.run(piped("write hello world"), "implement", "--provider", "demo", "--no-stdin");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).startsWith("monkey: Missing TASK");
    }

    @Test
    void aSlowPipeGetsANoticeOnATerminalsStderrAfterASecond() throws Exception {
        CliRun run = slowPipe(true);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.errLines()).first().isEqualTo("monkey: reading stdin... (pass --no-stdin not to read it)");
        assertThat(run.out()).contains("late context");
    }

    @Test
    void aSlowPipeGetsNoNoticeWhenStderrIsNotATerminal() throws Exception {
        CliRun run = slowPipe(false);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).isEmpty();
    }

    /** {@code (sleep 1.5; echo late context) | monkey implement --provider demo --no-stream "hi"}. */
    private CliRun slowPipe(boolean stderrIsATerminal) throws Exception {
        PipedOutputStream writer = new PipedOutputStream();
        CliContext context = new CliContext(env, false).withTerminals(false, stderrIsATerminal)
                .withStdin(Stdin.of(new PipedInputStream(writer), false));
        CompletableFuture<CliRun> running = CompletableFuture.supplyAsync(
                () -> CliRun.run(context, "implement", "--provider", "demo", "--no-stream", "hi"));
        Thread.sleep(1_500);
        writer.write("late context\n".getBytes(StandardCharsets.UTF_8));
        writer.close();
        return running.get(20, TimeUnit.SECONDS);
    }

    @Test
    void maxTokensIsSentAsTheAnswersCap() throws Exception {
        openai.enqueue(OpenAiAnswer.stream("ok"));

        CliRun run = CliRun.run(env, "implement", "--model", "openai/gpt-4.1-mini", "--max-tokens", "123", "x");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode sent = TestGateway.parse(upstream().getBody().readUtf8());
        assertThat(sent.path("max_completion_tokens").asInt()).isEqualTo(123);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-5"})
    void aMaxTokensUnderOneIsAUsageErrorAndNothingIsSent(String value) {
        CliRun run = CliRun.run(env, "implement", "--provider", "demo", "--max-tokens", value, "x");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines()).containsExactly("monkey: --max-tokens must be a whole number of at least 1, not " + value);
        assertThat(gateway.get("/v1/billing/usage?days=1").body()).contains("\"requests\":0");
    }

    @Test
    void aMaxTokensThatIsNotANumberIsAUsageError() {
        CliRun run = CliRun.run(env, "implement", "--provider", "demo", "--max-tokens", "lots", "x");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines().getFirst()).startsWith("monkey: ").contains("--max-tokens").contains("lots");
    }

    private RecordedRequest upstream() throws InterruptedException {
        RecordedRequest r = openai.takeRequest(2, TimeUnit.SECONDS);
        assertThat(r).as("a request reached the fake OpenAI").isNotNull();
        return r;
    }

    private static String lastUserMessage(RecordedRequest upstream) {
        JsonNode messages = TestGateway.parse(upstream.getBody().readUtf8()).path("messages");
        return messages.path(messages.size() - 1).path("content").asText();
    }

    private static String systemMessage(RecordedRequest upstream) {
        JsonNode messages = TestGateway.parse(upstream.getBody().readUtf8()).path("messages");
        return messages.path(0).path("role").asText().equals("system") ? messages.path(0).path("content").asText() : "";
    }
}
