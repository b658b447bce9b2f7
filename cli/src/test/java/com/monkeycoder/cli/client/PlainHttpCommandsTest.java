package com.monkeycoder.cli.client;

import com.monkeycoder.cli.CliRun;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.daemon.testing.MutableClock;
import com.monkeycoder.daemon.testing.SharedStores;
import com.monkeycoder.daemon.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Keys and passwords never go over plain http to another machine unless the user says so: the real commands, with a
 * base URL of 0.0.0.0 (not a loopback name; Linux delivers it on this machine, so nothing leaves loopback), where a listener counts every connection it is offered. Refused,
 * nothing connects; with --insecure or MONKEY_CODER_INSECURE=1 the listener passes the connection on to a real gateway.
 */
class PlainHttpCommandsTest {

    private static final String LIVE_KEY = "mk-live-plainhttp000000000000000000000000000000";

    @TempDir
    Path gatewayHome;
    @TempDir
    Path cliHome;

    private TestGateway gateway;
    private Forwarder forwarder;

    @BeforeEach
    void start() throws IOException {
        gateway = TestGateway.start(gatewayHome, Map.of());
        forwarder = new Forwarder(gateway.baseUrl());
    }

    @AfterEach
    void stop() throws IOException {
        if (forwarder != null) {
            forwarder.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    private Map<String, String> env(String... more) {
        Map<String, String> env = new HashMap<>();
        env.put("MONKEY_CODER_HOME", cliHome.toString());
        env.put("MONKEY_CODER_BASE_URL", forwarder.url());
        env.put("MONKEY_CODER_API_KEY", LIVE_KEY);
        env.put("MONKEY_CODER_PASSWORD", "correct horse battery");
        return CliRun.with(env, more);
    }

    @ParameterizedTest(name = "monkey {0}")
    @ValueSource(strings = {"implement --provider demo x", "chat", "models", "providers", "usage", "personas",
            "keys list", "keys create --name ci", "keys revoke key_1", "auth register --email a@example.com",
            "auth login --email a@example.com", "auth status", "auth logout"})
    void everyCommandThatSendsAKeyOrPasswordRefusesPlainHttpToAnotherMachine(String command) {
        CliRun run = CliRun.run(env(), command.split(" "));

        assertThat(run.exitCode()).as(run.allOutput()).isEqualTo(ExitCodes.CONFIG_OR_AUTH);
        assertThat(run.errLines()).singleElement().asString()
                .isEqualTo("monkey: refusing to send a key or password over plain http to " + forwarder.host()
                        + ": use https://" + forwarder.host() + ":" + forwarder.port() + ", or pass --insecure (or set"
                        + " MONKEY_CODER_INSECURE=1) if anyone on that network may read them");
        assertThat(run.out()).isEmpty();
        assertThat(forwarder.connections()).as("connections offered to " + forwarder.url()).isZero();
    }

    @Test
    void theFlagRefusesAsTheEnvironmentDoes() {
        CliRun run = CliRun.run(env("MONKEY_CODER_BASE_URL", null), "models", "--base-url", forwarder.url() + "/");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.CONFIG_OR_AUTH);
        assertThat(run.err()).startsWith("monkey: refusing to send a key or password over plain http");
        assertThat(forwarder.connections()).isZero();
    }

    @Test
    void doctorReportsTheRefusalAsAFailedCheckWithoutConnecting() {
        CliRun run = CliRun.run(env(), "doctor");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.CONFIG_OR_AUTH);
        assertThat(run.out()).contains("refusing to send a key or password over plain http to " + forwarder.host());
        assertThat(forwarder.connections()).isZero();
    }

    // The gateway behind the forwarder is a local daemon, which answers only loopback Host names: its refusal of
    // Host 0.0.0.0 proves the request (and its key) went over the wire. The shared-gateway test below goes all the way.
    private static final String HOST_REFUSED = "the local daemon answers only Host 127.0.0.1, localhost or [::1]";

    @Test
    void insecureSendsItAnyway() {
        CliRun flag = CliRun.run(env("MONKEY_CODER_API_KEY", TestGateway.KEY), "models", "--insecure");

        assertThat(flag.allOutput()).contains(HOST_REFUSED).doesNotContain("--insecure");
        assertThat(forwarder.connections()).isPositive();
    }

    @Test
    void monkeyCoderInsecureSendsItAnyway() {
        CliRun run = CliRun.run(env("MONKEY_CODER_API_KEY", TestGateway.KEY, "MONKEY_CODER_INSECURE", "1"),
                "implement", "--provider", "demo", "--no-stream", "create a REST API");

        assertThat(run.allOutput()).contains(HOST_REFUSED).doesNotContain("--insecure");
        assertThat(forwarder.connections()).isPositive();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"127.0.0.1", "localhost"})
    void plainHttpToThisMachineNeedsNoFlag(String host) {
        String url = gateway.baseUrl().replace("127.0.0.1", host);

        CliRun run = CliRun.run(env("MONKEY_CODER_BASE_URL", url, "MONKEY_CODER_API_KEY", TestGateway.KEY), "models");

        assertThat(run.exitCode()).as(run.allOutput()).isZero();
    }

    @Test
    void registeringOnASharedGatewayOverPlainHttpSendsThePasswordOnlyWithInsecure() throws IOException {
        Path sharedHome = cliHome.resolve("shared-gateway");
        try (SharedStores stores = SharedStores.create(SharedStores.Engine.POSTGRES, sharedHome);
             TestGateway shared = TestGateway.startShared(sharedHome, stores, Map.of(),
                     new MutableClock(Instant.parse("2026-01-15T10:00:00Z")));
             Forwarder toShared = new Forwarder(shared.baseUrl())) {
            Map<String, String> env = CliRun.with(env("MONKEY_CODER_API_KEY", null, "MONKEY_CODER_KEYRING", "off"),
                    "MONKEY_CODER_BASE_URL", toShared.url());

            CliRun refused = CliRun.run(env, "auth", "register", "--email", "eve@example.com");
            assertThat(refused.exitCode()).isEqualTo(ExitCodes.CONFIG_OR_AUTH);
            assertThat(toShared.connections()).isZero();

            CliRun insecure = CliRun.run(env, "auth", "register", "--email", "eve@example.com", "--insecure");
            assertThat(insecure.exitCode()).as(insecure.allOutput()).isZero();
            assertThat(insecure.out()).contains("Registered eve@example.com on " + toShared.url());
            assertThat(toShared.connections()).isPositive();
        }
    }

    /** Listens on loopback, counts the connections it accepts and pipes each to the gateway at {@code target}. */
    static final class Forwarder implements AutoCloseable {
        private final ServerSocket server;
        private final int targetPort;
        private final AtomicInteger connections = new AtomicInteger();

        Forwarder(String target) throws IOException {
            this.targetPort = Integer.parseInt(target.substring(target.lastIndexOf(':') + 1));
            this.server = new ServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Thread.ofVirtual().start(this::accept);
        }

        /**
         * 0.0.0.0: not a loopback name, so the CLI must treat it as a remote host, yet Linux delivers a connection to
         * it on this machine, so no traffic leaves loopback.
         */
        String host() {
            return "0.0.0.0";
        }

        int port() {
            return server.getLocalPort();
        }

        String url() {
            return "http://" + host() + ":" + port();
        }

        int connections() {
            return connections.get();
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    connections.incrementAndGet();
                    Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                    Thread.ofVirtual().start(() -> pipe(client, upstream));
                    Thread.ofVirtual().start(() -> pipe(upstream, client));
                } catch (IOException closed) {
                    return;
                }
            }
        }

        private static void pipe(Socket from, Socket to) {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException ended) {
                // either side closed
            } finally {
                try {
                    from.close();
                    to.close();
                } catch (IOException ignored) {
                    // closing
                }
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
