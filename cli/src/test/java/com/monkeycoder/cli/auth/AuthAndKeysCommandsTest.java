package com.monkeycoder.cli.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.cli.CliRun;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.daemon.testing.MutableClock;
import com.monkeycoder.daemon.testing.SharedStores;
import com.monkeycoder.daemon.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real {@code monkey auth} and {@code monkey keys} commands against a shared gateway on PostgreSQL + Redis, on
 * a machine without a session bus (as CI and SSH sessions are), so the key goes to the 0600 file.
 */
class AuthAndKeysCommandsTest {

    @TempDir
    Path gatewayHome;

    @TempDir
    Path cliHome;

    private SharedStores stores;
    private TestGateway gateway;
    private Map<String, String> env;

    @BeforeEach
    void start() {
        stores = SharedStores.create(SharedStores.Engine.POSTGRES, gatewayHome);
        gateway = TestGateway.startShared(gatewayHome, stores, Map.of(), new MutableClock(Instant.parse("2026-01-15T10:00:00Z")));
        env = new HashMap<>();
        env.put("MONKEY_CODER_HOME", cliHome.toString());
        env.put("MONKEY_CODER_BASE_URL", gateway.baseUrl());
        env.put("MONKEY_CODER_PASSWORD", "correct horse battery");
    }

    @AfterEach
    void stop() {
        gateway.close();
        stores.close();
    }

    private Path credentialsFile() {
        return cliHome.resolve("config/credentials.json");
    }

    private CliRun register(String email) {
        CliRun run = CliRun.run(env, "auth", "register", "--email", email);
        assertThat(run.exitCode()).as(run.allOutput()).isZero();
        return run;
    }

    @Test
    void registerSavesTheKeyInA0600FileWithANoticeAndCommandsUseIt() throws Exception {
        CliRun run = register("ada@example.com");

        assertThat(run.out()).contains("Registered ada@example.com on " + gateway.baseUrl() + " (tier free, credits $1.00)")
                .contains("saved in file " + credentialsFile());
        assertThat(run.errLines()).singleElement().asString().startsWith("monkey: no OS keyring (no D-Bus session")
                .contains(credentialsFile().toString());
        assertThat(run.allOutput()).doesNotContainPattern("mk-live-[0-9A-Za-z]{20,}");
        assertThat(Files.getPosixFilePermissions(credentialsFile())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        JsonNode saved = TestGateway.parse(Files.readString(credentialsFile())).path("gateways").path(gateway.baseUrl());
        assertThat(saved.path("api_key").asText()).startsWith("mk-live-");

        CliRun task = CliRun.run(env, "implement", "--provider", "demo", "--no-stream", "create a REST API");
        assertThat(task.exitCode()).as(task.allOutput()).isZero();
        assertThat(task.out()).contains("create a REST API");
    }

    @Test
    void doctorChecksTheGatewayWithTheSavedKeyAsTheOtherCommandsDo() {
        register("fay@example.com");

        CliRun doctor = CliRun.run(env, "doctor", "--json");

        JsonNode checks = TestGateway.parse(doctor.out()).path("checks");
        assertThat(checks).filteredOn(c -> c.path("name").asText().equals("api key")).singleElement()
                .satisfies(c -> {
                    assertThat(c.path("status").asText()).isEqualTo("ok");
                    assertThat(c.path("detail").asText()).isEqualTo("from file " + credentialsFile() + " (mode 0600)");
                });
        assertThat(checks).filteredOn(c -> c.path("name").asText().equals("authentication")).singleElement()
                .satisfies(c -> assertThat(c.path("status").asText()).isEqualTo("ok"));
        // The test gateway has no provider key: that is the one check allowed to fail here.
        assertThat(checks).filteredOn(c -> c.path("status").asText().equals("fail"))
                .extracting(c -> c.path("name").asText()).containsOnly("providers");
        assertThat(doctor.err()).isEmpty();
        assertThat(doctor.allOutput()).doesNotContainPattern("mk-live-[0-9A-Za-z]{20,}");
    }

    @Test
    void statusSaysWhichStoreHoldsTheKeyAndWhatTheGatewaySaysOfIt() {
        register("bea@example.com");

        // The gateway's clock says 10:00 UTC, so its hour ends at 11:00 UTC: 16:30 in India, 12:00 in Paris.
        CliRun status = CliRun.run(CliRun.with(env, "TZ", "Asia/Kolkata"), "auth", "status");
        CliRun paris = CliRun.run(CliRun.with(env, "TZ", "Europe/Paris"), "auth", "status");

        assertThat(status.exitCode()).isZero();
        assertThat(status.out()).contains("Gateway  " + gateway.baseUrl())
                .contains("from file " + credentialsFile() + " (mode 0600)")
                .contains("Account  bea@example.com")
                .contains("Tier     free: 0 of 100 requests this hour (resets at 16:30 IST)\n")
                .contains("Credits  $1.00\n");
        assertThat(paris.out()).contains("requests this hour (resets at 12:00 CET)\n");

        CliRun json = CliRun.run(env, "auth", "status", "--json");
        JsonNode body = TestGateway.parse(json.out());
        assertThat(body.path("logged_in").asBoolean()).isTrue();
        assertThat(body.path("key_source").asText()).startsWith("file ");
        assertThat(body.path("store").asText()).contains("no D-Bus session");
    }

    @Test
    void theEnvironmentsKeyAlwaysWins() {
        register("cal@example.com");
        Map<String, String> withEnv = CliRun.with(env, "MONKEY_CODER_API_KEY", "mk-live-0000000000000000000000000000000000000000000");

        CliRun status = CliRun.run(withEnv, "auth", "status");

        assertThat(status.exitCode()).isEqualTo(ExitCodes.CONFIG_OR_AUTH);
        assertThat(status.out()).contains("from the environment (MONKEY_CODER_API_KEY)").contains("refuses this key");
        assertThat(CliRun.run(withEnv, "usage").exitCode()).isEqualTo(ExitCodes.CONFIG_OR_AUTH);
    }

    @Test
    void aRefusedKeyFromTheEnvironmentIsToBeUnsetOrFixedNotLoggedInAgain() {
        register("dee@example.com");
        Map<String, String> withEnv = CliRun.with(env, "MONKEY_CODER_API_KEY", "mk-live-0000000000000000000000000000000000000000000");

        CliRun status = CliRun.run(withEnv, "auth", "status");
        CliRun json = CliRun.run(withEnv, "auth", "status", "--json");

        assertThat(status.exitCode()).isEqualTo(ExitCodes.CONFIG_OR_AUTH);
        assertThat(status.err()).isEmpty();
        assertThat(status.outLines()).filteredOn(l -> l.startsWith("Problem")).singleElement().asString()
                .startsWith("Problem  the gateway refuses this key (")
                .endsWith("): unset MONKEY_CODER_API_KEY or fix it (it takes precedence over a key saved by 'monkey auth login')");
        assertThat(json.exitCode()).isEqualTo(ExitCodes.CONFIG_OR_AUTH);
        assertThat(TestGateway.parse(json.out()).path("fix").asText()).startsWith("unset MONKEY_CODER_API_KEY or fix it");
    }

    @Test
    void loginReplacesTheSavedKeyAndRevokesTheOldOne() {
        register("dan@example.com");
        String first = TestGateway.parse(readFile()).path("gateways").path(gateway.baseUrl()).path("api_key").asText();

        CliRun login = CliRun.run(env, "auth", "login", "--email", "dan@example.com");

        assertThat(login.exitCode()).as(login.allOutput()).isZero();
        assertThat(login.out()).contains("Logged in as dan@example.com");
        String second = TestGateway.parse(readFile()).path("gateways").path(gateway.baseUrl()).path("api_key").asText();
        assertThat(second).isNotEqualTo(first);
        assertThat(gateway.get("/usage", first).statusCode()).isEqualTo(401);
        assertThat(gateway.get("/usage", second).statusCode()).isEqualTo(200);
    }

    @Test
    void aWrongPasswordExits3AndKeepsNothing() {
        register("eve@example.com");
        String before = readFile();

        CliRun login = CliRun.run(CliRun.with(env, "MONKEY_CODER_PASSWORD", "wrong horse battery"),
                "auth", "login", "--email", "eve@example.com");

        assertThat(login.exitCode()).isEqualTo(ExitCodes.CONFIG_OR_AUTH);
        assertThat(login.err()).isEqualTo("monkey: wrong email or password" + System.lineSeparator());
        assertThat(readFile()).isEqualTo(before);
    }

    @Test
    void aBadEmailIsAUsageError() {
        CliRun run = CliRun.run(env, "auth", "register", "--email", "not-an-email");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("email is not an email address");
    }

    @Test
    void logoutRevokesAndForgetsTheKey() {
        register("fay@example.com");
        String key = TestGateway.parse(readFile()).path("gateways").path(gateway.baseUrl()).path("api_key").asText();

        CliRun logout = CliRun.run(env, "auth", "logout");

        assertThat(logout.exitCode()).isZero();
        assertThat(logout.out()).contains("revoked and removed from file");
        assertThat(gateway.get("/usage", key).statusCode()).isEqualTo(401);
        CliRun status = CliRun.run(env, "auth", "status");
        assertThat(status.exitCode()).isEqualTo(ExitCodes.CONFIG_OR_AUTH);
        assertThat(status.out()).contains("Key      none: run 'monkey auth login");
        CliRun task = CliRun.run(env, "usage");
        assertThat(task.exitCode()).isEqualTo(ExitCodes.CONFIG_OR_AUTH);
        assertThat(task.err()).contains("monkey auth login");
    }

    @Test
    void keysAreCreatedListedAndRevoked() {
        register("gus@example.com");

        CliRun created = CliRun.run(env, "keys", "create", "--name", "ci", "--expires-in-days", "30");
        assertThat(created.exitCode()).as(created.allOutput()).isZero();
        String ciKey = created.outLines().getLast();
        assertThat(ciKey).startsWith("mk-live-");
        assertThat(created.out()).contains("(ci), expires 2026-02-14 10:00. It is shown this once");
        assertThat(gateway.get("/usage", ciKey).statusCode()).isEqualTo(200);

        CliRun list = CliRun.run(env, "keys", "list");
        assertThat(list.exitCode()).isZero();
        assertThat(list.out()).doesNotContain(ciKey);
        assertThat(list.outLines().getFirst()).startsWith("ID").contains("PREFIX").endsWith("STATUS");
        String ciId = list.outLines().stream().filter(l -> l.contains(" ci ")).findFirst().orElseThrow().split("\\s+")[0];
        assertThat(list.tableRow(ciId)).contains(ciKey.substring(0, 12) + "…", "ci", "2026-02-14 10:00", "active");

        CliRun revoked = CliRun.run(env, "keys", "revoke", ciId);
        assertThat(revoked.exitCode()).isZero();
        assertThat(revoked.out()).contains("Revoked " + ciId);
        assertThat(gateway.get("/usage", ciKey).statusCode()).isEqualTo(401);
        assertThat(CliRun.run(env, "keys", "list", "--json").out()).contains("\"revoked\"");
        assertThat(CliRun.run(env, "keys", "revoke", ciId).exitCode()).as("already revoked").isEqualTo(ExitCodes.USAGE);
    }

    /** The gateway names request fields and routes; the CLI says the flags and commands a user types instead. */
    @Test
    void refusedKeyAndAccountRequestsNameTheFlagsAndCommands() {
        register("ivy@example.com");

        CliRun perHour = CliRun.run(env, "keys", "create", "--name", "bot", "--requests-per-hour", "101");
        CliRun days = CliRun.run(env, "keys", "create", "--expires-in-days", "0");
        CliRun again = CliRun.run(env, "auth", "register", "--email", "ivy@example.com");
        CliRun revoke = CliRun.run(env, "keys", "revoke", "no-such-key");

        for (CliRun run : java.util.List.of(perHour, days, again, revoke)) {
            assertThat(run.exitCode()).as(run.allOutput()).isEqualTo(ExitCodes.USAGE);
            assertThat(run.out()).isEmpty();
        }
        assertThat(perHour.errLines()).containsExactly("monkey: --requests-per-hour must be from 1 to your tier's 100");
        assertThat(days.errLines()).containsExactly("monkey: --expires-in-days must be a whole number from 1 to 3650");
        assertThat(again.errLines()).last().isEqualTo(
                "monkey: email is already registered: log in instead (monkey auth login)");
        assertThat(revoke.errLines()).containsExactly(
                "monkey: you have no active key no-such-key (monkey keys list lists them)");
    }

    @Test
    void aKeysLimitEndsInA429WithWhenToRetryAndExit4() {
        register("hal@example.com");
        String limited = CliRun.run(env, "keys", "create", "--requests-per-hour", "1").outLines().getLast();
        Map<String, String> withLimited = CliRun.with(env, "MONKEY_CODER_API_KEY", limited);

        assertThat(CliRun.run(withLimited, "implement", "--provider", "demo", "--no-stream", "one").exitCode()).isZero();
        CliRun refused = CliRun.run(withLimited, "implement", "--provider", "demo", "--no-stream", "two");

        assertThat(refused.exitCode()).isEqualTo(ExitCodes.LIMITS);
        // The gateway's clock stands at 10:00 UTC: its hour ends in an hour, said in minutes, not 3600s.
        assertThat(refused.errLines()).containsExactly(
                "monkey: rate limit of 1 requests per hour reached (this key's own limit); try again in 60 min");
    }

    @Test
    void accountCommandsOnTheLocalBaseUrlExplainThatTheDaemonNeedsNoLogin() {
        Map<String, String> local = CliRun.with(env, "MONKEY_CODER_BASE_URL", "local");

        CliRun register = CliRun.run(local, "auth", "register", "--email", "a@example.com");
        CliRun keys = CliRun.run(local, "keys", "list");
        CliRun status = CliRun.run(local, "auth", "status");

        assertThat(register.exitCode()).isEqualTo(ExitCodes.CONFIG_OR_AUTH);
        assertThat(register.err()).contains("accounts live on a shared gateway").contains("--base-url");
        assertThat(keys.exitCode()).isEqualTo(ExitCodes.CONFIG_OR_AUTH);
        assertThat(status.exitCode()).isZero();
        assertThat(status.out()).contains("the local daemon (no account needed)");
    }

    @Test
    void aKeyringThatCannotAnswerFallsBackToTheFileInTime() {
        Map<String, String> busButNoKeyring = CliRun.with(env, "DBUS_SESSION_BUS_ADDRESS",
                "unix:path=" + cliHome.resolve("no-such-bus"));
        long started = System.nanoTime();

        CliRun run = CliRun.run(busButNoKeyring, "auth", "register", "--email", "ivy@example.com");

        assertThat(run.exitCode()).as(run.allOutput()).isZero();
        assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(15_000);
        assertThat(run.errLines()).singleElement().asString().startsWith("monkey: no OS keyring (the OS keyring");
        assertThat(Files.exists(credentialsFile())).isTrue();
        assertThat(CliRun.run(busButNoKeyring, "auth", "status").out()).contains("from file " + credentialsFile());
    }

    private String readFile() {
        try {
            return Files.readString(credentialsFile());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
