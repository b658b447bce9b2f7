package com.monkeycoder.cli.dashboard;

import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.CliRun;
import com.monkeycoder.daemon.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code monkey dashboard}: a one-time link from the local daemon, printed with --print or where no browser can open. */
class DashboardCommandTest {

    @TempDir
    Path home;

    TestGateway gateway;
    Map<String, String> env;

    @BeforeEach
    void start() {
        gateway = TestGateway.start(home, Map.of());
        env = CliRun.remoteEnv(gateway);
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void printPrintsOnlyALinkThatSignsInOnce() {
        CliRun run = CliRun.run(env, "dashboard", "--print");

        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).isEmpty();
        String link = run.out().strip();
        assertThat(link).matches("http://127\\.0\\.0\\.1:" + gateway.port() + "/dashboard/login\\?token=[A-Za-z0-9_-]{43}");
        HttpRequest follow = HttpRequest.newBuilder(java.net.URI.create(link)).GET().build();
        HttpResponse<String> first = gateway.send(follow);
        assertThat(first.statusCode()).isEqualTo(303);
        assertThat(first.headers().firstValue("Set-Cookie").orElseThrow()).startsWith("monkey_session=");
        assertThat(gateway.send(follow).statusCode()).isEqualTo(401);
    }

    @Test
    void withoutADisplayItPrintsTheLinkAndSaysWhy() {
        Map<String, String> headless = new java.util.HashMap<>(env);
        headless.remove("DISPLAY");
        headless.remove("WAYLAND_DISPLAY");
        headless.remove("BROWSER");
        CliRun run = CliRun.run(headless, "dashboard");

        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).contains("works once, for 60 seconds");
        assertThat(run.out().strip()).contains("/dashboard/login?token=");
    }

    /**
     * The browser gets a page only this user can read, which sends it on to the link: a link on the browser's
     * command line would be readable by every user of the machine, who could redeem it first.
     */
    @Test
    void browserIsRunWithAPrivatePageThatLeadsToTheLink(@TempDir Path dir) throws Exception {
        Path seen = dir.resolve("seen.txt");
        Path script = dir.resolve("browser.sh");
        java.nio.file.Files.writeString(script, "#!/bin/sh\nprintf '%s' \"$1\" > '" + seen + "'\n");
        script.toFile().setExecutable(true);
        CliRun run = CliRun.run(CliRun.with(env, "BROWSER", script.toString()), "dashboard");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("Opened the dashboard");
        String argument = java.nio.file.Files.readString(seen);
        assertThat(argument).startsWith("file:").endsWith("dashboard-open.html").doesNotContain("token=");
        Path page = Path.of(java.net.URI.create(argument));
        assertThat(java.nio.file.Files.readString(page)).contains("http-equiv=\"refresh\"").contains("/dashboard/login?token=");
        if (!System.getProperty("os.name").toLowerCase().contains("win")) {
            assertThat(java.nio.file.Files.getPosixFilePermissions(page))
                    .containsExactlyInAnyOrderElementsOf(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        }
    }

    @Test
    void theBrowserCommandNeedsADisplayOrBrowser() {
        CliContext none = new CliContext(Map.of(), false);
        assertThat(Browsers.command(none, "http://x").isEmpty() || System.getProperty("os.name").toLowerCase().contains("mac")).isTrue();
        CliContext desktop = new CliContext(Map.of("DISPLAY", ":0"), false);
        if (System.getProperty("os.name").toLowerCase().contains("linux")) {
            assertThat(Browsers.command(desktop, "http://x")).containsExactly("xdg-open", "http://x");
        }
        CliContext chosen = new CliContext(Map.of("BROWSER", "firefox --new-tab:chromium"), false);
        assertThat(Browsers.command(chosen, "http://x")).containsExactly("firefox", "--new-tab", "http://x");
    }
}
