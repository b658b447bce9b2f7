package com.monkeycoder.cli.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.CliRun;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.cli.daemon.DaemonControl;
import com.monkeycoder.daemon.testing.TestGateway;
import com.monkeycoder.shared.MonkeyPaths;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/** {@code monkey doctor}: every check, the fixes it suggests, exit 0 or 3, and never a key in its output. */
class DoctorCommandTest {

    private static final String UPSTREAM_KEY = "sk-test-upstream-key-doctor-0000";

    @TempDir
    Path home;

    private TestGateway gateway;
    private MockWebServer openai;

    @AfterEach
    void stop() throws IOException {
        if (gateway != null) {
            gateway.close();
        }
        if (openai != null) {
            openai.shutdown();
        }
    }

    /** A fake OpenAI that takes the key: its model list answers, as doctor's key check asks it. */
    private String acceptingOpenAi() throws IOException {
        openai = new MockWebServer();
        openai.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse().setHeader("Content-Type", "application/json")
                        .setBody("{\"object\":\"list\",\"data\":[{\"id\":\"gpt-4.1-mini\",\"object\":\"model\"}]}");
            }
        });
        openai.start();
        return openai.url("/v1").toString();
    }

    private Map<String, String> remoteWithOpenAi() throws IOException {
        gateway = TestGateway.start(home, Map.of("OPENAI_API_KEY", UPSTREAM_KEY, "OPENAI_BASE_URL", acceptingOpenAi()));
        return CliRun.remoteEnv(gateway);
    }

    /** The cells of the report line for {@code check}: status, then the detail. */
    private static String line(CliRun run, String check) {
        return run.outLines().stream().filter(l -> l.matches("^\\S+\\s+" + java.util.regex.Pattern.quote(check) + "\\s{2,}.*"))
                .findFirst().orElseThrow(() -> new AssertionError("no line for " + check + " in:\n" + run.out()));
    }

    @Test
    void everyCheckPassesAgainstAGatewayWithAProviderAndNoKeyIsPrinted() throws IOException {
        CliRun run = CliRun.run(remoteWithOpenAi(), "doctor");

        assertThat(run.exitCode()).as(run.out()).isZero();
        assertThat(line(run, "java")).startsWith("ok").contains("Java " + Runtime.version());
        assertThat(line(run, "state folder")).startsWith("ok").contains(home.resolve("state").toString());
        assertThat(line(run, "gateway")).startsWith("ok").contains(gateway.baseUrl(), "version 0.1.0");
        assertThat(line(run, "api key")).startsWith("ok").contains("MONKEY_CODER_API_KEY");
        assertThat(line(run, "authentication")).startsWith("ok");
        assertThat(line(run, "providers")).startsWith("ok").contains("1 configured");
        assertThat(line(run, "provider openai")).startsWith("ok").contains("OPENAI_API_KEY").contains("the key works");
        assertThat(line(run, "provider groq")).startsWith("--").contains("not configured");
        assertThat(run.out()).endsWith("All checks passed.\n").doesNotContain("provider demo");
        assertThat(run.allOutput()).doesNotContain(UPSTREAM_KEY).doesNotContain(TestGateway.KEY);
    }

    @Test
    void jsonListsEachCheckWithStatusAndFix() throws IOException {
        CliRun run = CliRun.run(remoteWithOpenAi(), "doctor", "--json");

        assertThat(run.exitCode()).isZero();
        JsonNode doc = TestGateway.parse(run.out());
        assertThat(doc.path("ok").asBoolean()).isTrue();
        assertThat(doc.path("checks")).extracting(c -> c.path("name").asText())
                .startsWith("java", "config folder", "data folder", "state folder", "config file", "gateway", "api key",
                        "authentication", "providers");
        assertThat(doc.path("checks")).filteredOn(c -> c.path("name").asText().equals("provider groq")).singleElement()
                .satisfies(c -> {
                    assertThat(c.path("status").asText()).isEqualTo("info");
                    assertThat(c.path("fix").asText()).contains("GROQ_API_KEY");
                });
        assertThat(run.out()).doesNotContain(UPSTREAM_KEY);
    }

    @Test
    void noConfiguredProviderFailsWithWhatToSetAndExitsThree() {
        gateway = TestGateway.start(home, Map.of("OLLAMA_BASE_URL", ""));
        assumeThat(gateway.gateway().providers().defaultCandidates()).as("providers configured without a key").isEmpty();

        CliRun run = CliRun.run(CliRun.remoteEnv(gateway), "doctor");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.CONFIG_OR_AUTH);
        assertThat(line(run, "providers")).startsWith("FAIL").contains("no provider is configured");
        assertThat(run.out()).containsPattern("fix: set one of OPENAI_API_KEY, ANTHROPIC_API_KEY, .*GROQ_API_KEY")
                .endsWith("1 check failed: see the fixes above.\n");
    }

    @Test
    void refusedKeyFailsAuthentication() throws IOException {
        Map<String, String> env = CliRun.with(remoteWithOpenAi(), "MONKEY_CODER_API_KEY", "mk-dev-wrong000000000000000000000000000000");

        CliRun run = CliRun.run(env, "doctor");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.CONFIG_OR_AUTH);
        assertThat(line(run, "authentication")).startsWith("FAIL").contains("refused the key");
        assertThat(run.out()).doesNotContain("mk-dev-wrong");
    }

    @Test
    void unreachableGatewayFailsWithWhereToLook() {
        Map<String, String> env = Map.of("MONKEY_CODER_HOME", home.toString(), "MONKEY_CODER_BASE_URL", "http://127.0.0.1:9",
                "MONKEY_CODER_API_KEY", "mk-live-x");

        CliRun run = CliRun.run(env, "doctor");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.CONFIG_OR_AUTH);
        assertThat(line(run, "gateway")).startsWith("FAIL").contains("cannot reach the gateway at http://127.0.0.1:9");
        assertThat(run.out()).contains("fix: check the URL (monkey config get base_url)");
    }

    @Test
    void missingApiKeyForASharedGatewayFails() throws IOException {
        Map<String, String> env = CliRun.with(remoteWithOpenAi(), "MONKEY_CODER_API_KEY", null);

        CliRun run = CliRun.run(env, "doctor");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.CONFIG_OR_AUTH);
        assertThat(line(run, "api key")).startsWith("FAIL").contains("MONKEY_CODER_API_KEY is not set");
    }

    @Test
    void stateFolderThatIsAFileFails() throws IOException {
        // The CLI's home differs from the gateway's; in it, "state" is a file.
        Map<String, String> cli = CliRun.with(remoteWithOpenAi(), "MONKEY_CODER_HOME", home.resolve("cli").toString());
        Files.createDirectories(home.resolve("cli"));
        Files.writeString(home.resolve("cli/state"), "not a folder");

        CliRun run = CliRun.run(cli, "doctor");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.CONFIG_OR_AUTH);
        assertThat(line(run, "state folder")).startsWith("FAIL").contains("exists but is not a folder");
        assertThat(line(run, "data folder")).startsWith("ok").contains("created on first use");
    }

    @Test
    void brokenConfigFileFails() throws IOException {
        Map<String, String> env = CliRun.with(remoteWithOpenAi(), "MONKEY_CODER_HOME", home.resolve("cli").toString());
        Files.createDirectories(home.resolve("cli/config"));
        Files.writeString(home.resolve("cli/config/config.json"), "{\"port\": \"eighty\"}");

        CliRun run = CliRun.run(env, "doctor");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.CONFIG_OR_AUTH);
        assertThat(line(run, "config file")).startsWith("FAIL").contains("port must be a whole number");
        assertThat(line(run, "providers")).startsWith("ok");
    }

    @Test
    void javaOlderThanTwentyOneFails() {
        Check check = Checks.java(Runtime.Version.parse("17.0.2"), "/opt/jdk17");

        assertThat(check.status()).isEqualTo(Check.Status.FAIL);
        assertThat(check.fix()).contains("JDK 21+");
    }

    /** The test gateway recorded as the local daemon, as DaemonCommandsTest does. */
    @Nested
    class LocalDaemon {

        private Map<String, String> localEnv(Map<String, String> gatewayEnv) throws IOException {
            gateway = TestGateway.start(home, gatewayEnv);
            MonkeyPaths paths = MonkeyPaths.from(gateway.env());
            Files.createDirectories(paths.stateDir());
            Files.writeString(paths.pidFile(), Long.toString(ProcessHandle.current().pid()));
            Files.writeString(paths.portFile(), Integer.toString(gateway.port()));
            Map<String, String> env = CliRun.with(gateway.env(), "MONKEY_CODER_PORT", Integer.toString(gateway.port()),
                    "MONKEY_CODER_BASE_URL", null, "MONKEY_CODER_API_KEY", null);
            assertThat(new DaemonControl(new CliContext(env, false)).running()).isPresent();
            return env;
        }

        @Test
        void runningDaemonPassesAndAKeyExportedAfterItStartedIsAWarningWithTheFix() throws IOException {
            Map<String, String> env = CliRun.with(localEnv(Map.of("OPENAI_API_KEY", UPSTREAM_KEY,
                    "OPENAI_BASE_URL", acceptingOpenAi())), "GROQ_API_KEY", "gsk-test-exported-later-0000");

            CliRun run = CliRun.run(env, "doctor");

            assertThat(run.exitCode()).as(run.out()).isZero();
            assertThat(line(run, "daemon")).startsWith("ok").contains("running on http://127.0.0.1:" + gateway.port());
            assertThat(line(run, "api key")).startsWith("ok").contains("MONKEY_CODER_LOCAL_KEY");
            assertThat(line(run, "provider groq")).startsWith("warn")
                    .contains("GROQ_API_KEY is set in this shell but the daemon does not see it");
            assertThat(run.out()).contains("fix: restart the daemon: monkey daemon stop");
            assertThat(run.allOutput()).doesNotContain("gsk-test-exported-later-0000").doesNotContain(UPSTREAM_KEY);
        }

        @Test
        void eachKeyIsTriedAndARefusedKeyAnUnreachableBaseUrlAndATimeoutGetTheirOwnFix() throws Exception {
            try (MockWebServer refusing = new MockWebServer(); MockWebServer silent = new MockWebServer()) {
                refusing.enqueue(new MockResponse().setResponseCode(401).setHeader("Content-Type", "application/json")
                        .setBody("{\"error\":{\"message\":\"Incorrect API key provided\",\"type\":\"invalid_request_error\"}}"));
                silent.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
                int closed;
                try (ServerSocket socket = new ServerSocket(0)) {
                    closed = socket.getLocalPort();
                }
                Map<String, String> env = localEnv(Map.of(
                        "OPENAI_API_KEY", UPSTREAM_KEY, "OPENAI_BASE_URL", refusing.url("/v1").toString(),
                        "ANTHROPIC_API_KEY", "sk-ant-test-doctor-0000", "ANTHROPIC_BASE_URL", "http://127.0.0.1:" + closed,
                        "GROQ_API_KEY", "gsk-test-doctor-0000", "GROQ_BASE_URL", silent.url("/openai/v1").toString()));

                CliRun run = CliRun.run(env, "doctor", "--timeout", "1");

                assertThat(run.exitCode()).as(run.out()).isEqualTo(ExitCodes.CONFIG_OR_AUTH);
                assertThat(run.err()).isEmpty();
                assertThat(line(run, "provider openai")).startsWith("FAIL")
                        .endsWith("configured (key in OPENAI_API_KEY), but openai refused the API key (HTTP 401)");
                assertThat(run.out()).contains("fix: check OPENAI_API_KEY (a typo, a revoked key, another provider's key): "
                        + "export the right one, then restart the daemon: monkey daemon start --restart");
                assertThat(line(run, "provider anthropic")).startsWith("FAIL")
                        .endsWith("cannot reach anthropic at http://127.0.0.1:" + closed + ": Failed to connect to /127.0.0.1:"
                                + closed);
                assertThat(run.out()).contains("fix: check ANTHROPIC_BASE_URL (unset it for the provider's own address), "
                        + "your network and proxy; then restart the daemon: monkey daemon start --restart");
                assertThat(line(run, "provider groq")).startsWith("warn")
                        .endsWith("groq at " + silent.url("/openai/v1").toString().replaceAll("/$", "")
                                + " did not answer within 1 s");
                assertThat(run.out()).contains("fix: it may be slow or down: try again (monkey doctor --timeout 20), "
                        + "or check GROQ_BASE_URL and your network");
                // Not one of them was told to check its key but the one whose key was refused.
                assertThat(run.outLines()).filteredOn(l -> l.contains("fix: check") && l.contains("_API_KEY")).hasSize(1);
                RecordedRequest tried = refusing.takeRequest(5, TimeUnit.SECONDS);
                assertThat(tried).isNotNull();
                assertThat(tried.getMethod() + " " + tried.getPath()).isEqualTo("GET /v1/models");
                assertThat(tried.getHeader("Authorization")).isEqualTo("Bearer " + UPSTREAM_KEY);
                assertThat(run.allOutput()).doesNotContain(UPSTREAM_KEY).doesNotContain("sk-ant-test-doctor-0000")
                        .doesNotContain("gsk-test-doctor-0000");
            }
        }

        @Test
        void keyFileOthersCanReadFails() throws IOException {
            Map<String, String> env = CliRun.with(localEnv(Map.of()), "MONKEY_CODER_LOCAL_KEY", null);
            Path keyFile = MonkeyPaths.from(env).localKeyFile();
            Files.writeString(keyFile, TestGateway.KEY + "\n");
            Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-r--r--"));

            CliRun run = CliRun.run(env, "doctor");

            assertThat(run.exitCode()).isEqualTo(ExitCodes.CONFIG_OR_AUTH);
            assertThat(line(run, "api key")).startsWith("FAIL").contains("can be read by other users");
            assertThat(run.out()).contains("fix: chmod 600 " + keyFile).doesNotContain(TestGateway.KEY);
        }

        @Test
        void daemonNotRunningWithNoStartIsAWarningAndStartsNothing() {
            Map<String, String> env = Map.of("MONKEY_CODER_HOME", home.toString());

            CliRun run = CliRun.run(env, "doctor", "--no-start");

            assertThat(run.exitCode()).isZero();
            assertThat(line(run, "daemon")).startsWith("warn").contains("not running");
            assertThat(MonkeyPaths.from(env).pidFile()).doesNotExist();
        }
    }
}
