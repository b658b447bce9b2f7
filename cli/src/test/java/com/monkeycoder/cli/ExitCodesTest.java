package com.monkeycoder.cli;

import com.monkeycoder.daemon.testing.OpenAiFixtures;
import com.monkeycoder.daemon.testing.TestGateway;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Every failure ends with the documented exit code and exactly one {@code monkey: } line on stderr,
 * never a stack trace and never the provider's key.
 */
class ExitCodesTest {

    private static final String UPSTREAM_KEY = "sk-test-upstream-key-exitcodes-0000";
    /** Short, so the timeout case costs under a second; the fake answers everything else at once. */
    private static final Duration UPSTREAM_TIMEOUT = Duration.ofMillis(600);

    @TempDir
    Path home;

    private MockWebServer openai;
    private TestGateway gateway;
    private Map<String, String> env;

    @BeforeEach
    void start() throws IOException {
        openai = new MockWebServer();
        openai.start();
        gateway = TestGateway.start(home, Map.of(
                "OPENAI_API_KEY", UPSTREAM_KEY,
                "OPENAI_BASE_URL", openai.url("/v1").toString()), UPSTREAM_TIMEOUT);
        env = CliRun.remoteEnv(gateway);
    }

    @AfterEach
    void stop() throws IOException {
        gateway.close();
        openai.shutdown();
    }

    @Test
    void noConfiguredProviderIsAConfigurationErrorNamingTheEnvVars(@TempDir Path otherHome) {
        // TestGateway points OLLAMA_BASE_URL at a dead port, which the gateway counts as a configured Ollama; blank
        // it so no provider is configured, unless an Ollama really answers on its default port on this machine.
        try (TestGateway bare = TestGateway.start(otherHome, Map.of("OLLAMA_BASE_URL", ""))) {
            assumeThat(bare.gateway().providers().defaultCandidates()).as("providers configured without a key").isEmpty();

            CliRun run = CliRun.run(CliRun.remoteEnv(bare), "implement", "create a REST API");

            assertThat(run.exitCode()).as("%s", run).isEqualTo(ExitCodes.CONFIG_OR_AUTH);
            assertThat(run.out()).isEmpty();
            assertOneErrorLine(run).contains("OPENAI_API_KEY");

            CliRun named = CliRun.run(CliRun.remoteEnv(bare), "implement", "--provider", "openai", "create a REST API");

            assertThat(named.exitCode()).as("%s", named).isEqualTo(ExitCodes.CONFIG_OR_AUTH);
            assertOneErrorLine(named).contains("openai").contains("OPENAI_API_KEY");
        }
    }

    @Test
    void wrongApiKeyIsAnAuthenticationError() {
        CliRun run = CliRun.run(CliRun.with(env, "MONKEY_CODER_API_KEY", "mk-dev-wrong0000000000000000000000000000000000"),
                "implement", "--provider", "demo", "create a REST API");

        assertThat(run.exitCode()).as("%s", run).isEqualTo(ExitCodes.CONFIG_OR_AUTH);
        assertThat(run.out()).isEmpty();
        assertOneErrorLine(run);
    }

    static Stream<Arguments> requestsTheGatewayRefuses() {
        return Stream.of(
                Arguments.of(Named.of("unknown provider", new String[]{"--provider", "openia"}), "openia"),
                Arguments.of(Named.of("unknown persona", new String[]{"--provider", "demo", "--persona", "wizard"}),
                        "persona"),
                Arguments.of(Named.of("model of another provider than --provider",
                        new String[]{"--provider", "demo", "--model", "openai/gpt-4.1-mini"}), "model"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requestsTheGatewayRefuses")
    void requestTheGatewayRefusesIsAUsageError(String[] flags, String mentioned) {
        String[] args = Stream.concat(Stream.concat(Stream.of("implement"), Stream.of(flags)), Stream.of("create a REST API"))
                .toArray(String[]::new);

        CliRun run = CliRun.run(env, args);

        assertThat(run.exitCode()).as("%s", run).isEqualTo(ExitCodes.USAGE);
        assertThat(run.out()).isEmpty();
        assertOneErrorLine(run).contains(mentioned);
        assertThat(openai.getRequestCount()).isZero();
    }

    @Test
    void blankTaskIsAUsageErrorWithAnExample() {
        CliRun run = CliRun.run(env, "implement", "--provider", "demo", "  ");

        assertThat(run.exitCode()).as("%s", run).isEqualTo(ExitCodes.USAGE);
        assertOneErrorLine(run).contains("monkey implement \"create a REST API\"");
    }

    @Test
    void unknownModelIsAUsageErrorWithSuggestions() {
        CliRun run = CliRun.run(env, "implement", "--model", "openai/gpt-4.1-mimi", "create a REST API");

        assertThat(run.exitCode()).as("%s", run).isEqualTo(ExitCodes.USAGE);
        assertThat(run.out()).isEmpty();
        assertOneErrorLine(run).contains("gpt-4.1-mimi").contains("openai/gpt-4.1-mini");
        assertThat(openai.getRequestCount()).isZero();
    }

    /** The gateway's errors in the CLI's words: the flag rather than the request field, a command rather than a route. */
    @ParameterizedTest(name = "monkey implement {0}")
    @CsvSource(delimiter = '|', value = {
            "--model gpt-5-turbo                | monkey: unknown model 'gpt-5-turbo' (monkey models lists them)",
            "--model sonet                      | monkey: unknown model 'sonet'; did you mean sonnet, perplexity/sonar?",
            "--provider demo --task refactor    | monkey: --task is not a known task type: use one of [code_generation, "
                    + "code_review, testing, documentation, refactoring, question]",
            "--provider demo --persona wizard   | monkey: --persona is not a known persona: use one of [developer, "
                    + "backend, frontend, devops, tester, reviewer, docs]",
            "--provider demo --temperature 3    | monkey: --temperature must be between 0 and 2",
    })
    void gatewayErrorNamesTheFlagAndTheCommand(String flags, String line) {
        String[] args = Stream.concat(Stream.concat(Stream.of("implement"), Stream.of(flags.split(" "))),
                Stream.of("create a REST API")).toArray(String[]::new);

        CliRun run = CliRun.run(env, args);

        assertThat(run.exitCode()).as("%s", run).isEqualTo(ExitCodes.USAGE);
        assertThat(run.out()).isEmpty();
        assertOneErrorLine(run).isEqualTo(line);
        assertThat(openai.getRequestCount()).isZero();
    }

    static Stream<Arguments> badCommandLines() {
        return Stream.of(
                Arguments.of(Named.of("unknown option", new String[]{"implement", "--frobnicate", "create a REST API"}),
                        "--frobnicate", "monkey implement"),
                Arguments.of(Named.of("missing TASK", new String[]{"implement", "--provider", "demo"}),
                        "TASK", "monkey implement"),
                Arguments.of(Named.of("unknown subcommand", new String[]{"implemnt", "x"}), "implemnt", "monkey"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCommandLines")
    void badCommandLineIsAUsageErrorWithAHelpHint(String[] args, String named, String command) {
        CliRun run = CliRun.run(env, args);

        assertThat(run.exitCode()).as("%s", run).isEqualTo(ExitCodes.USAGE);
        assertThat(run.out()).isEmpty();
        assertOneErrorLine(run).startsWith("monkey: ").contains(named).endsWith(" (see '" + command + " --help')");
        assertThat(openai.getRequestCount()).isZero();
    }

    @ParameterizedTest(name = "monkey {0}")
    @CsvSource(delimiter = '|', value = {
            "implment hi                   | monkey: unknown command 'implment'; did you mean 'implement'? (see 'monkey --help')",
            "chta                          | monkey: unknown command 'chta'; did you mean 'chat'? (see 'monkey --help')",
            "frobnicate                    | monkey: unknown command 'frobnicate' (see 'monkey --help')",
            "implement --modle x hi        | monkey: unknown option '--modle'; did you mean '--model'? (see 'monkey implement --help')",
            "keys crate                    | monkey: unknown command 'crate'; did you mean 'create'? (see 'monkey keys --help')",
    })
    void mistypedNameIsOneLineWithTheNearestName(String typed, String line) {
        CliRun run = CliRun.run(env, typed.split(" "));

        assertThat(run.exitCode()).as("%s", run).isEqualTo(ExitCodes.USAGE);
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines()).containsExactly(line);
    }

    /** A provider refusing its key is not among them: that is configuration, exit 3 (RefusedProviderKeyTest). */
    static Stream<Arguments> upstreamFailures() {
        return Stream.of(
                Arguments.of(Named.<Supplier<MockResponse>>of("upstream 500",
                        () -> OpenAiFixtures.json(500, "error-500.json")), "500"),
                Arguments.of(Named.<Supplier<MockResponse>>of("upstream 429",
                        () -> OpenAiFixtures.json(429, "error-429.json")), "429"),
                Arguments.of(Named.<Supplier<MockResponse>>of("upstream timeout",
                        () -> new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE)), "in time"),
                Arguments.of(Named.<Supplier<MockResponse>>of("upstream hangs up",
                        () -> new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AT_START)), "openai"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("upstreamFailures")
    void upstreamFailureIsAProviderError(Supplier<MockResponse> upstream, String mentioned) {
        openai.enqueue(upstream.get());

        CliRun run = CliRun.run(env, "implement", "--model", "openai/gpt-4.1-mini", "create a REST API");

        assertThat(run.exitCode()).as("%s", run).isEqualTo(ExitCodes.PROVIDER_OR_NETWORK);
        assertThat(run.out()).isEmpty();
        assertOneErrorLine(run).contains(mentioned);
    }

    @Test
    void upstreamFailureWithoutStreamingIsAProviderErrorToo() {
        openai.enqueue(OpenAiFixtures.json(500, "error-500.json"));

        CliRun run = CliRun.run(env, "implement", "--no-stream", "--model", "openai/gpt-4.1-mini", "create a REST API");

        assertThat(run.exitCode()).as("%s", run).isEqualTo(ExitCodes.PROVIDER_OR_NETWORK);
        assertThat(run.out()).isEmpty();
        assertOneErrorLine(run);
    }

    @Test
    void midStreamFailureKeepsWhatArrivedAndIsAProviderError() {
        openai.enqueue(OpenAiFixtures.eventStream("chat-completion-stream-error.txt"));

        CliRun run = CliRun.run(env, "implement", "--model", "openai/gpt-4.1-mini", "create a REST API");

        assertThat(run.exitCode()).as("%s", run).isEqualTo(ExitCodes.PROVIDER_OR_NETWORK);
        assertThat(run.out()).isEqualTo("Monkeys\n");
        assertOneErrorLine(run);
    }

    @Test
    void unreachableGatewayIsANetworkError() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + closedPort;

        CliRun run = CliRun.run(CliRun.with(env, "MONKEY_CODER_BASE_URL", url), "implement", "--provider", "demo", "x");

        assertThat(run.exitCode()).as("%s", run).isEqualTo(ExitCodes.PROVIDER_OR_NETWORK);
        assertOneErrorLine(run).contains(url);
    }

    static Stream<Arguments> badConnectionSettings() {
        return Stream.of(
                Arguments.of(Named.<UnaryOperator<Map<String, String>>>of("remote base URL without MONKEY_CODER_API_KEY",
                        env -> CliRun.with(env, "MONKEY_CODER_API_KEY", null)), "MONKEY_CODER_API_KEY"),
                Arguments.of(Named.<UnaryOperator<Map<String, String>>>of("remote base URL with a blank MONKEY_CODER_API_KEY",
                        env -> CliRun.with(env, "MONKEY_CODER_API_KEY", " ")), "MONKEY_CODER_API_KEY"),
                Arguments.of(Named.<UnaryOperator<Map<String, String>>>of("base URL that is not http(s)",
                        env -> CliRun.with(env, "MONKEY_CODER_BASE_URL", "ftp://127.0.0.1:21")), "ftp://127.0.0.1:21"),
                Arguments.of(Named.<UnaryOperator<Map<String, String>>>of("base URL without a scheme",
                        env -> CliRun.with(env, "MONKEY_CODER_BASE_URL", "gateway.example.com")), "gateway.example.com"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badConnectionSettings")
    void badConnectionSettingIsAConfigurationError(UnaryOperator<Map<String, String>> change, String mentioned) {
        CliRun run = CliRun.run(change.apply(env), "implement", "--provider", "demo", "create a REST API");

        assertThat(run.exitCode()).as("%s", run).isEqualTo(ExitCodes.CONFIG_OR_AUTH);
        assertThat(run.out()).isEmpty();
        assertOneErrorLine(run).contains(mentioned);
    }

    @Test
    void otherCommandsMapErrorsTheSameWay() {
        Map<String, String> wrongKey = CliRun.with(env, "MONKEY_CODER_API_KEY", "mk-dev-wrong0000000000000000000000000000000000");
        for (String command : new String[]{"usage", "models", "providers"}) {
            CliRun run = CliRun.run(wrongKey, command);

            assertThat(run.exitCode()).as(command).isEqualTo(ExitCodes.CONFIG_OR_AUTH);
            assertThat(run.out()).as(command).isEmpty();
            assertOneErrorLine(run);
        }
    }

    /** Exactly one line, {@code monkey: ...}, no stack trace, no provider key; returns the line for more checks. */
    private static org.assertj.core.api.AbstractStringAssert<?> assertOneErrorLine(CliRun run) {
        assertThat(run.errLines()).as("stderr").hasSize(1);
        assertThat(run.err()).doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(run.allOutput()).doesNotContain(UPSTREAM_KEY).doesNotContain(TestGateway.KEY);
        return assertThat(run.errLines().getFirst()).startsWith("monkey: ");
    }
}
