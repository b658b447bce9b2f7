package com.monkeycoder.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.daemon.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code --json}, a failing command prints an error envelope on stdout (so a script that parses stdout gets
 * JSON either way) besides its one line on stderr and its exit code: the gateway's envelope when the gateway
 * refused, the same shape with the CLI's own code otherwise. Without {@code --json}, stdout stays empty.
 */
class JsonErrorEnvelopeTest {

    @TempDir
    Path home;

    private TestGateway gateway;
    private Map<String, String> env;

    @BeforeEach
    void start() {
        gateway = TestGateway.start(home, Map.of());
        env = CliRun.remoteEnv(gateway);
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    private static JsonNode error(CliRun run) {
        return TestGateway.parse(run.out()).path("error");
    }

    @Test
    void aRequestTheGatewayRefusesPrintsItsEnvelopeWithTheExitCode() {
        CliRun run = CliRun.run(env, "implement", "--json", "--model", "openai/gpt-4.1-mimi", "x");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        JsonNode error = error(run);
        assertThat(error.path("code").asText()).isEqualTo("BAD_REQUEST");
        assertThat(error.path("statusCode").asInt()).isEqualTo(400);
        assertThat(error.path("exit_code").asInt()).isEqualTo(ExitCodes.USAGE);
        assertThat(error.path("message").asText()).contains("gpt-4.1-mimi");
        assertThat(error.path("details").path("model").asText()).isEqualTo("openai/gpt-4.1-mimi");
        assertThat(run.errLines()).singleElement().asString().startsWith("monkey: unknown model 'openai/gpt-4.1-mimi'");
    }

    @Test
    void aRefusedKeyOnAListCommandIsUnauthorizedAndExit3() {
        CliRun run = CliRun.run(CliRun.with(env, "MONKEY_CODER_API_KEY", "mk-dev-wrong0000000000000000000000000000000000"),
                "models", "--json");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.CONFIG_OR_AUTH);
        assertThat(error(run).path("code").asText()).isEqualTo("UNAUTHORIZED");
        assertThat(error(run).path("exit_code").asInt()).isEqualTo(ExitCodes.CONFIG_OR_AUTH);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.out()).doesNotContain("mk-dev-wrong");
    }

    @Test
    void theCliOwnErrorsHaveTheSameShape() {
        CliRun run = CliRun.run(env, "implement", "--json", "--max-tokens", "0", "x");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(TestGateway.parse(run.out())).isEqualTo(TestGateway.parse("""
                {"error": {"code": "USAGE_ERROR", "message": "--max-tokens must be a whole number of at least 1, not 0",
                           "details": {}, "exit_code": 2}}"""));
        assertThat(run.errLines()).containsExactly("monkey: --max-tokens must be a whole number of at least 1, not 0");
    }

    @Test
    void aBadCommandLineToACommandWithJsonIsAUsageEnvelope() {
        CliRun run = CliRun.run(env, "usage", "--json", "--frobnicate");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(error(run).path("code").asText()).isEqualTo("USAGE_ERROR");
        assertThat(error(run).path("message").asText()).contains("--frobnicate");
        assertThat(run.errLines().getFirst()).startsWith("monkey: ").contains("--frobnicate");
    }

    @Test
    void anUnreachableGatewayIsAProviderOrNetworkEnvelope() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        CliRun run = CliRun.run(CliRun.with(env, "MONKEY_CODER_BASE_URL", "http://127.0.0.1:" + closedPort),
                "providers", "--json");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.PROVIDER_OR_NETWORK);
        assertThat(error(run).path("code").asText()).isEqualTo("PROVIDER_OR_NETWORK_ERROR");
        assertThat(error(run).path("exit_code").asInt()).isEqualTo(ExitCodes.PROVIDER_OR_NETWORK);
        assertThat(run.errLines()).hasSize(1);
    }

    @Test
    void withoutJsonStdoutStaysEmpty() {
        CliRun run = CliRun.run(env, "implement", "--model", "openai/gpt-4.1-mimi", "x");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.out()).isEmpty();
    }
}
