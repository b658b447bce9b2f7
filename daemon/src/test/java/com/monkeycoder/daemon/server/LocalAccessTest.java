package com.monkeycoder.daemon.server;

import com.monkeycoder.daemon.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The local daemon's access rules (issue 11, items 11, 13 and 17): it answers only requests addressed to loopback
 * by name, keeps /metrics open on loopback, and keeps its files to the user.
 */
class LocalAccessTest {

    @TempDir
    Path home;

    TestGateway gateway;

    @BeforeEach
    void start() {
        gateway = TestGateway.start(home, Map.of());
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    /** A raw GET with the Host header given (HttpClient will not send a chosen Host); the status line's code. */
    private int statusWithHost(String path, String host) throws IOException {
        try (Socket s = new Socket("127.0.0.1", gateway.port())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer " + TestGateway.KEY
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String head = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            return Integer.parseInt(head.substring(9, 12));
        }
    }

    @Test
    void aDnsRebindingHostIsRefusedOnEveryRoute() throws IOException {
        for (String path : new String[]{"/health", "/metrics", "/v1/models", "/nowhere"}) {
            assertThat(statusWithHost(path, "attacker.example:" + gateway.port())).as(path).isEqualTo(403);
            assertThat(statusWithHost(path, "attacker.example")).as(path).isEqualTo(403);
        }
        assertThat(statusWithHost("/health", "127.0.0.1.nip.io:" + gateway.port())).isEqualTo(403);
        assertThat(statusWithHost("/health", "localhost:" + (gateway.port() + 1))).isEqualTo(403);
    }

    @Test
    void loopbackNamesWithThePortAreServed() throws IOException {
        int port = gateway.port();
        for (String host : new String[]{"127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port, "LOCALHOST:" + port,
                "localhost"}) {
            assertThat(statusWithHost("/health", host)).as(host).isEqualTo(200);
        }
        assertThat(statusWithHost("/metrics", "localhost:" + port)).isEqualTo(200);
    }

    @Test
    void metricsStayOpenWithoutATokenOnLoopback() {
        assertThat(gateway.get("/metrics", null).statusCode()).isEqualTo(200);
    }

    @Test
    void theDatabaseTheKeyTheStateFilesAndTheirFoldersAreTheUsersAlone() throws IOException {
        assertThat(gateway.post("/v1/execute", "{\"prompt\":\"hi\",\"model\":\"demo/monkey-demo\"}").statusCode())
                .isEqualTo(200);
        Path data = home.resolve("data");
        assertThat(mode(data)).isEqualTo("rwx------");
        assertThat(mode(home.resolve("state"))).isEqualTo("rwx------");
        assertThat(mode(data.resolve("monkey.db"))).isEqualTo("rw-------");
        for (String extra : new String[]{"monkey.db-wal", "monkey.db-shm"}) {
            if (Files.exists(data.resolve(extra))) {
                assertThat(mode(data.resolve(extra))).as(extra).isEqualTo("rw-------");
            }
        }
        assertThat(data.resolve("monkey.db-wal")).exists();
    }

    @Test
    void anOlderVersionsLooseFilesAreTightenedAtStart() throws IOException {
        gateway.close();
        Path db = home.resolve("data/monkey.db");
        Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(home.resolve("data"), PosixFilePermissions.fromString("rwxr-xr-x"));
        gateway = TestGateway.start(home, Map.of());
        assertThat(mode(db)).isEqualTo("rw-------");
        assertThat(mode(home.resolve("data"))).isEqualTo("rwx------");
    }

    static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
