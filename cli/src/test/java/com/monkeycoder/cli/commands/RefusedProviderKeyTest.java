package com.monkeycoder.cli.commands;

import com.monkeycoder.cli.CliRun;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.daemon.testing.MutableClock;
import com.monkeycoder.daemon.testing.SharedStores;
import com.monkeycoder.daemon.testing.TestGateway;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A provider that refuses its key (a fake OpenAI answering 401): a configuration problem, exit 3 as the README's
 * exit codes have it, with a message that says whose key it is. On the local daemon the user's own: check
 * OPENAI_API_KEY; on a shared gateway the operator's, which its users cannot fix.
 */
class RefusedProviderKeyTest {

    private static final String UPSTREAM_KEY = "sk-test-refused-upstream-key-0000";

    @TempDir
    Path home;

    private MockWebServer openai;
    private TestGateway gateway;

    @BeforeEach
    void start() throws IOException {
        openai = new MockWebServer();
        openai.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse().setResponseCode(401).setHeader("Content-Type", "application/json")
                        .setBody("{\"error\":{\"message\":\"Incorrect API key provided: sk-test-****0000\","
                                + "\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}");
            }
        });
        openai.start();
    }

    @AfterEach
    void stop() throws IOException {
        if (gateway != null) {
            gateway.close();
        }
        openai.shutdown();
    }

    private Map<String, String> openAi() {
        return Map.of("OPENAI_API_KEY", UPSTREAM_KEY, "OPENAI_BASE_URL", openai.url("/v1").toString());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"--stream", "--no-stream"})
    void onTheLocalDaemonItSaysWhichVariableToCheckAndExits3(String streaming) {
        gateway = TestGateway.start(home, openAi());
        String[] args = streaming.equals("--stream")
                ? new String[]{"implement", "--provider", "openai", "write a CSV parser"}
                : new String[]{"implement", "--provider", "openai", "--no-stream", "write a CSV parser"};

        CliRun run = CliRun.run(CliRun.remoteEnv(gateway), args);

        assertThat(run.exitCode()).isEqualTo(ExitCodes.CONFIG_OR_AUTH);
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines()).containsExactly("monkey: openai refused the API key in OPENAI_API_KEY (HTTP 401): "
                + "check OPENAI_API_KEY, then restart the daemon with it (monkey daemon start --restart)");
        assertThat(run.allOutput()).doesNotContain("operator").doesNotContain(UPSTREAM_KEY);
    }

    @Test
    void onASharedGatewayItIsTheOperatorsKeyAndExits3() {
        try (SharedStores stores = SharedStores.create(SharedStores.Engine.POSTGRES, home)) {
            gateway = TestGateway.startShared(home, stores, openAi(), new MutableClock(Instant.parse("2026-01-15T10:00:00Z")));
            Map<String, String> env = new HashMap<>();
            env.put("MONKEY_CODER_HOME", home.resolve("cli").toString());
            env.put("MONKEY_CODER_BASE_URL", gateway.baseUrl());
            env.put("MONKEY_CODER_PASSWORD", "correct horse battery");
            assertThat(CliRun.run(env, "auth", "register", "--email", "key@example.com").exitCode()).isZero();

            CliRun run = CliRun.run(env, "implement", "--provider", "openai", "--no-stream", "write a CSV parser");

            assertThat(run.exitCode()).isEqualTo(ExitCodes.CONFIG_OR_AUTH);
            assertThat(run.out()).isEmpty();
            assertThat(run.errLines()).containsExactly("monkey: openai refused the gateway's API key (HTTP 401): "
                    + "the gateway's operator must check it");
            assertThat(run.allOutput()).doesNotContain("OPENAI_API_KEY").doesNotContain(UPSTREAM_KEY);
            // Only the operator may have the gateway try its keys: a user's doctor goes without, and says no more.
            CliRun doctor = CliRun.run(env, "doctor", "--json");
            assertThat(TestGateway.parse(doctor.out()).path("checks"))
                    .filteredOn(c -> c.path("name").asText().equals("provider openai")).singleElement()
                    .satisfies(c -> assertThat(c.path("status").asText()).isEqualTo("ok"));
        } finally {
            if (gateway != null) {
                gateway.close();
                gateway = null;
            }
        }
    }
}
