package com.monkeycoder.cli.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.CliRun;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.daemon.testing.TestGateway;
import com.monkeycoder.shared.MonkeyPaths;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code monkey daemon status|stop}, and commands in local mode (base URL {@code local}). No test here starts a
 * daemon process: "a running daemon" is the in-process test gateway, recorded in the state folder with this test
 * JVM's pid, so {@code daemon stop} must never run while those files exist.
 */
class DaemonCommandsTest {

    @TempDir
    Path home;

    /** A state folder with no daemon in it. */
    @Nested
    class NoDaemon {

        private Map<String, String> env;

        @BeforeEach
        void env() {
            env = Map.of("MONKEY_CODER_HOME", home.toString());
        }

        @Test
        void statusSaysNotRunningAndExitsThree() {
            CliRun run = CliRun.run(env, "daemon", "status");

            assertThat(run.exitCode()).isEqualTo(ExitCodes.CONFIG_OR_AUTH);
            assertThat(run.outLines()).singleElement().asString().contains("not running").contains("monkey daemon start");
            assertThat(run.err()).isEmpty();
        }

        @Test
        void statusJsonSaysNotRunning() {
            CliRun run = CliRun.run(env, "daemon", "status", "--json");

            assertThat(run.exitCode()).isEqualTo(ExitCodes.CONFIG_OR_AUTH);
            JsonNode status = TestGateway.parse(run.out());
            assertThat(status.path("running").asBoolean(true)).isFalse();
            assertThat(status.has("pid")).isFalse();
            assertThat(status.path("state_dir").asText()).isEqualTo(home.resolve("state").toString());
        }

        @Test
        void stopWithNoneRunningSaysSoAndSucceeds() {
            CliRun run = CliRun.run(env, "daemon", "stop");

            assertThat(run.exitCode()).isZero();
            assertThat(run.out()).contains("not running");
            assertThat(run.err()).isEmpty();
        }

        @Test
        void daemonWithoutASubcommandIsAUsageError() {
            CliRun run = CliRun.run(env, "daemon");

            assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(run.out()).isEmpty();
            assertThat(run.errLines()).containsExactly(
                    "monkey: say what to do: start, stop, status, run, logs or admin (see 'monkey daemon --help')");
        }

        @Test
        void staleStateFilesAreNotADaemonAndStopCleansThemUp() throws IOException {
            MonkeyPaths paths = MonkeyPaths.from(env);
            Files.createDirectories(paths.stateDir());
            Files.writeString(paths.pidFile(), Long.toString(deadPid()));
            Files.writeString(paths.portFile(), "9");

            assertThat(CliRun.run(env, "daemon", "status").exitCode()).isEqualTo(ExitCodes.CONFIG_OR_AUTH);
            CliRun stop = CliRun.run(env, "daemon", "stop");

            assertThat(stop.exitCode()).isZero();
            assertThat(stop.out()).contains("not running");
            assertThat(paths.pidFile()).doesNotExist();
            assertThat(paths.portFile()).doesNotExist();
        }

        @Test
        void aCommandThatStartsTheDaemonShowsASpinnerWhileItStartsOnATerminalsStderr() {
            // A daemon JVM that cannot start (an option no JVM knows) fails at once: the start is all this test sees.
            Map<String, String> failing = CliRun.with(env, "MONKEY_CODER_DAEMON_JAVA_OPTS", "-XX:+MonkeyNoSuchOption");

            CliRun onTerminal = CliRun.run(new CliContext(failing, false).withTerminals(false, true),
                    "implement", "--provider", "demo", "hi");
            CliRun offTerminal = CliRun.run(failing, "implement", "--provider", "demo", "hi");

            assertThat(onTerminal.exitCode()).isEqualTo(ExitCodes.CONFIG_OR_AUTH);
            assertThat(onTerminal.out()).isEmpty();
            assertThat(onTerminal.err()).contains(" starting the local daemon 0.")
                    .contains("\r\u001b[2Kmonkey: the daemon did not start");
            assertThat(offTerminal.exitCode()).isEqualTo(ExitCodes.CONFIG_OR_AUTH);
            assertThat(offTerminal.errLines()).singleElement().asString().startsWith("monkey: the daemon did not start");
        }

        /** The pid of a process that has exited (a finished child of this JVM). */
        private static long deadPid() {
            try {
                Process p = new ProcessBuilder("true").start();
                p.waitFor();
                return p.pid();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** The test gateway recorded as the local daemon; commands reach it with the base URL {@code local}. */
    @Nested
    class LocalDaemon {

        private TestGateway gateway;
        private Map<String, String> env;

        @BeforeEach
        void start() throws IOException {
            gateway = TestGateway.start(home, Map.of());
            MonkeyPaths paths = MonkeyPaths.from(gateway.env());
            Files.createDirectories(paths.stateDir());
            Files.writeString(paths.pidFile(), Long.toString(ProcessHandle.current().pid()));
            Files.writeString(paths.portFile(), Integer.toString(gateway.port()));
            // The gateway's env plus its port, and no base URL: local mode. Should the CLI ever think the daemon
            // is down and start one, that one would fail on this port rather than linger.
            env = CliRun.with(gateway.env(), "MONKEY_CODER_PORT", Integer.toString(gateway.port()),
                    "MONKEY_CODER_BASE_URL", null, "MONKEY_CODER_API_KEY", null);
            assertThat(new DaemonControl(new CliContext(env, false)).running())
                    .as("the test gateway counts as the running daemon").isPresent();
        }

        @AfterEach
        void stop() {
            gateway.close();
        }

        @Test
        void statusSaysRunningWithItsPort() {
            CliRun run = CliRun.run(env, "daemon", "status");

            assertThat(run.exitCode()).isZero();
            assertThat(run.err()).isEmpty();
            assertThat(run.out()).contains("running on http://127.0.0.1:" + gateway.port())
                    .contains("pid " + ProcessHandle.current().pid()).contains("version 0.1.0");
        }

        @Test
        void statusJsonSaysRunningWithPidPortAndVersion() {
            CliRun run = CliRun.run(env, "daemon", "status", "--json");

            assertThat(run.exitCode()).isZero();
            JsonNode status = TestGateway.parse(run.out());
            assertThat(status.path("running").asBoolean()).isTrue();
            assertThat(status.path("port").asInt()).isEqualTo(gateway.port());
            assertThat(status.path("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
            assertThat(status.path("version").asText()).isEqualTo("0.1.0");
        }

        @Test
        void startWhenRunningSaysSoAndStartsNothing() {
            CliRun run = CliRun.run(env, "daemon", "start");

            assertThat(run.exitCode()).isZero();
            assertThat(run.out()).contains("already running on port " + gateway.port());
        }

        @Test
        void startOnTheSamePortSaysItIsRunning() {
            CliRun run = CliRun.run(env, "daemon", "start", "--port", Integer.toString(gateway.port()));

            assertThat(run.exitCode()).isZero();
            assertThat(run.out()).contains("already running on port " + gateway.port());
            assertThat(run.err()).isEmpty();
        }

        @Test
        void startOnAnotherPortIsRefusedSayingWhereItRunsAndHowToMoveIt() {
            int other = gateway.port() == 65535 ? 65534 : gateway.port() + 1;

            CliRun run = CliRun.run(env, "daemon", "start", "--port", Integer.toString(other));

            assertThat(run.exitCode()).isEqualTo(ExitCodes.CONFIG_OR_AUTH);
            assertThat(run.out()).isEmpty();
            assertThat(run.errLines()).containsExactly("monkey: the daemon is already running on port " + gateway.port()
                    + " (pid " + ProcessHandle.current().pid() + "), not " + other
                    + ": restart it there with 'monkey daemon start --port " + other + " --restart'");
        }

        @Test
        void implementReachesTheDaemonWithTheKeyFromTheEnvironment() {
            CliRun run = CliRun.run(env, "implement", "--provider", "demo", "create a REST API");

            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.out()).contains("Monkey Coder offline demo");
            assertThat(run.err()).isEmpty();
        }

        @Test
        void implementReachesTheDaemonWithTheKeyFromItsKeyFile() throws IOException {
            MonkeyPaths paths = MonkeyPaths.from(env);
            Files.writeString(paths.localKeyFile(), TestGateway.KEY + "\n");

            CliRun run = CliRun.run(CliRun.with(env, "MONKEY_CODER_LOCAL_KEY", null),
                    "implement", "--provider", "demo", "create a REST API");

            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.out()).contains("Monkey Coder offline demo");
        }

        @Test
        void missingLocalKeyIsAConfigurationError() {
            CliRun run = CliRun.run(CliRun.with(env, "MONKEY_CODER_LOCAL_KEY", null),
                    "implement", "--provider", "demo", "create a REST API");

            assertThat(run.exitCode()).isEqualTo(ExitCodes.CONFIG_OR_AUTH);
            assertThat(run.out()).isEmpty();
            assertThat(run.errLines()).singleElement().asString().startsWith("monkey: ").contains("local.key");
        }

        @Test
        void usageCountsRequestsMadeInLocalMode() {
            assertThat(CliRun.run(env, "implement", "--provider", "demo", "create a REST API").exitCode()).isZero();

            CliRun run = CliRun.run(env, "usage", "--json");

            assertThat(run.exitCode()).isZero();
            assertThat(TestGateway.parse(run.out()).path("totals").path("requests").asLong()).isEqualTo(1);
        }
    }
}
