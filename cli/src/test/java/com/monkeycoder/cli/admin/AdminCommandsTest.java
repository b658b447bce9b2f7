package com.monkeycoder.cli.admin;

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

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real {@code monkey admin}, {@code monkey audit}, {@code monkey keys create --test --allow-ip} and
 * {@code monkey daemon admin create} commands against a shared gateway on PostgreSQL + Redis.
 */
class AdminCommandsTest {

    private static final String PASSWORD = "correct horse battery";

    @TempDir
    Path gatewayHome;

    @TempDir
    Path cliHome;

    private SharedStores stores;
    private TestGateway gateway;
    private String adminKey;

    @BeforeEach
    void start() {
        stores = SharedStores.create(SharedStores.Engine.POSTGRES, gatewayHome);
        gateway = TestGateway.startShared(gatewayHome, stores, Map.of("MONKEY_CODER_ADMIN_EMAIL", "root@example.com",
                "MONKEY_CODER_ADMIN_PASSWORD", PASSWORD), new MutableClock(Instant.parse("2026-01-15T10:00:00Z")));
        adminKey = login("root@example.com").path("api_key").asText();
    }

    @AfterEach
    void stop() {
        gateway.close();
        stores.close();
    }

    private JsonNode login(String email) {
        HttpResponse<String> r = gateway.post("/v1/auth/login", "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD
                + "\"}", (String) null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return TestGateway.json(r);
    }

    private JsonNode register(String email) {
        HttpResponse<String> r = gateway.post("/v1/auth/register", "{\"email\":\"" + email + "\",\"password\":\""
                + PASSWORD + "\"}", (String) null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return TestGateway.json(r);
    }

    /** The CLI talking to the gateway with {@code key}. */
    private Map<String, String> cli(String key) {
        Map<String, String> env = new HashMap<>();
        env.put("MONKEY_CODER_HOME", cliHome.toString());
        env.put("MONKEY_CODER_BASE_URL", gateway.baseUrl());
        env.put("MONKEY_CODER_API_KEY", key);
        return env;
    }

    /** The CLI on the gateway's server: its database settings, no gateway URL. */
    private Map<String, String> server() {
        Map<String, String> env = new HashMap<>(stores.gatewayEnv());
        env.put("MONKEY_CODER_HOME", gatewayHome.toString());
        env.put("MONKEY_CODER_PASSWORD", PASSWORD);
        return env;
    }

    @Test
    void adminCreditsAddsWithAReasonAndAuditShowsWhoAndWhy() {
        JsonNode user = register("ada@example.com");

        CliRun added = CliRun.run(cli(adminKey), "admin", "credits", "ada@example.com", "--add", "5.00",
                "--reason", "support ticket 1234");
        CliRun removed = CliRun.run(cli(adminKey), "admin", "credits", user.path("user_id").asText(), "--remove",
                "1.50", "--reason", "double refund");

        assertThat(added.exitCode()).as(added.allOutput()).isZero();
        assertThat(added.out()).startsWith("Added $5.00 to ada@example.com (" + user.path("user_id").asText()
                + "): tier free, credits $6.00");
        assertThat(removed.exitCode()).as(removed.allOutput()).isZero();
        assertThat(removed.out()).contains("Removed $1.50 from ada@example.com").contains("credits $4.50");

        CliRun audit = CliRun.run(cli(adminKey), "audit", "--action", "credits_added");
        assertThat(audit.exitCode()).as(audit.allOutput()).isZero();
        assertThat(audit.outLines().getFirst()).startsWith("TIME (UTC)").contains("ACTION").contains("DETAILS");
        // The admin's grant and the starter credits every registration gets.
        assertThat(audit.outLines()).hasSize(3);
        assertThat(audit.outLines()).filteredOn(l -> l.contains("support ticket")).singleElement()
                .satisfies(l -> assertThat(l).contains("credits_added").contains(user.path("user_id").asText())
                        .contains("reason=\"support ticket 1234\"")
                        .contains(login("root@example.com").path("user_id").asText()));

        CliRun json = CliRun.run(cli(user.path("api_key").asText()), "audit", "--json");
        assertThat(json.exitCode()).as(json.allOutput()).isZero();
        JsonNode events = TestGateway.parse(json.out()).path("events");
        // The gateway's clock stands still in this test, so the three share one millisecond: any order.
        assertThat(events).extracting(e -> e.path("action").asText())
                .containsExactlyInAnyOrder("credits_removed", "credits_added", "credits_added", "register");
        assertThat(events).filteredOn(e -> e.path("action").asText().equals("credits_removed")).singleElement()
                .satisfies(e -> assertThat(e.path("details").path("reason").asText()).isEqualTo("double refund"));
    }

    @Test
    void adminCreditsNeedsAReasonAnAmountAndAnAdminKey() {
        JsonNode user = register("bob@example.com");
        String id = user.path("user_id").asText();

        CliRun noReason = CliRun.run(cli(adminKey), "admin", "credits", id, "--add", "5");
        CliRun both = CliRun.run(cli(adminKey), "admin", "credits", id, "--add", "5", "--remove", "1", "--reason", "x");
        CliRun negative = CliRun.run(cli(adminKey), "admin", "credits", id, "--add", "-5", "--reason", "x");
        CliRun notAdmin = CliRun.run(cli(user.path("api_key").asText()), "admin", "credits", id, "--add", "100",
                "--reason", "free money");
        CliRun unknown = CliRun.run(cli(adminKey), "admin", "credits", "nobody@example.com", "--add", "1", "--reason", "x");

        assertThat(noReason.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(noReason.err()).contains("--reason");
        assertThat(both.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(negative.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(notAdmin.exitCode()).isEqualTo(ExitCodes.CONFIG_OR_AUTH);
        assertThat(notAdmin.errLines()).singleElement().asString().startsWith("monkey: ").contains("admin");
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.err()).contains("no account with the email nobody@example.com");
        assertThat(TestGateway.json(gateway.get("/usage", user.path("api_key").asText())).path("credit_micros").asLong())
                .isEqualTo(1_000_000);
    }

    @Test
    void auditShowsAtMostTheLimitAndSaysWhenThereIsMore() {
        register("cat@example.com");
        register("dot@example.com");

        CliRun two = CliRun.run(cli(adminKey), "audit", "--limit", "2", "--action", "register");
        CliRun bad = CliRun.run(cli(adminKey), "audit", "--since", "yesterday");

        assertThat(two.exitCode()).as(two.allOutput()).isZero();
        assertThat(two.outLines()).hasSize(3);
        assertThat(two.out()).doesNotContain("More events");
        CliRun one = CliRun.run(cli(adminKey), "audit", "--limit", "1", "--action", "register");
        assertThat(one.out()).contains("More events");
        assertThat(bad.exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void adminTierDisableAndAccountsChangeAndListAccounts() {
        JsonNode user = register("eve@example.com");
        String key = user.path("api_key").asText();

        CliRun tier = CliRun.run(cli(adminKey), "admin", "tier", "eve@example.com", "pro");
        CliRun disable = CliRun.run(cli(adminKey), "admin", "disable", "eve@example.com", "--reason", "abuse");
        CliRun list = CliRun.run(cli(adminKey), "admin", "accounts", "--email", "eve@");

        assertThat(tier.exitCode()).as(tier.allOutput()).isZero();
        assertThat(tier.out()).contains("tier pro");
        assertThat(disable.out()).startsWith("Disabled eve@example.com").contains("disabled");
        assertThat(gateway.get("/usage", key).statusCode()).isEqualTo(403);
        assertThat(list.tableRow(user.path("user_id").asText())).contains("eve@example.com", "pro", "disabled");
        assertThat(CliRun.run(cli(adminKey), "admin", "enable", user.path("user_id").asText()).exitCode()).isZero();
        assertThat(gateway.get("/usage", key).statusCode()).isEqualTo(200);
    }

    @Test
    void keysCreateMakesATestKeyLimitedToAnAddressBlock() {
        String key = register("ci@example.com").path("api_key").asText();

        CliRun run = CliRun.run(cli(key), "keys", "create", "--name", "ci", "--scope", "chat", "--test",
                "--allow-ip", "203.0.113.0/24");

        assertThat(run.exitCode()).as(run.allOutput()).isZero();
        assertThat(run.outLines().getFirst()).contains("a test key (demo provider only, no cost)")
                .contains("scopes chat").contains("only from 203.0.113.0/24");
        String made = run.outLines().getLast();
        assertThat(made).startsWith("mk-test-");
        // The test runs on 127.0.0.1, outside the key's block.
        HttpResponse<String> refused = gateway.post("/v1/execute", "{\"prompt\":\"hi\",\"model\":\"demo\"}", made);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("ip_not_allowed");

        CliRun bad = CliRun.run(cli(key), "keys", "create", "--allow-ip", "not-a-block");
        assertThat(bad.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(bad.errLines()).singleElement().asString().contains("allowed_cidrs");
    }

    @Test
    void daemonAdminCreateMakesANewAccountAnAdminOrPromotesAnExistingOne() {
        CliRun created = CliRun.run(server(), "daemon", "admin", "create", "--email", "Ops@Example.com");
        JsonNode user = register("later@example.com");
        CliRun promoted = CliRun.run(server(), "daemon", "admin", "create", "--email", "later@example.com");
        CliRun again = CliRun.run(server(), "daemon", "admin", "create", "--email", "later@example.com");

        assertThat(created.exitCode()).as(created.allOutput()).isZero();
        assertThat(created.outLines().getFirst()).matches("Created ops@example\\.com \\(usr_[0-9a-f]+\\) as an administrator\\.");
        assertThat(promoted.out()).startsWith("Made later@example.com (" + user.path("user_id").asText() + ") an administrator.");
        assertThat(again.out()).contains("is an administrator already");
        assertThat(created.allOutput() + promoted.allOutput()).doesNotContain(PASSWORD);

        assertThat(login("ops@example.com").path("scopes")).extracting(JsonNode::asText).contains("admin");
        assertThat(login("later@example.com").path("scopes")).extracting(JsonNode::asText).contains("admin");
        JsonNode events = TestGateway.json(gateway.get("/v1/audit?action=admin_created", adminKey)).path("events");
        assertThat(events).hasSize(3).allSatisfy(e -> assertThat(e.path("actor").asText()).isEqualTo("system"));
    }

    @Test
    void daemonAdminCreateSaysWhatIsMissing() {
        Map<String, String> noDatabase = CliRun.with(server(), "DATABASE_URL", null);
        CliRun missing = CliRun.run(noDatabase, "daemon", "admin", "create", "--email", "ops@example.com");
        CliRun badEmail = CliRun.run(server(), "daemon", "admin", "create", "--email", "not-an-email");
        CliRun shortPassword = CliRun.run(CliRun.with(server(), "MONKEY_CODER_PASSWORD", "short"), "daemon", "admin",
                "create", "--email", "new@example.com");

        assertThat(missing.exitCode()).isEqualTo(ExitCodes.CONFIG_OR_AUTH);
        assertThat(missing.errLines()).singleElement().asString().contains("DATABASE_URL");
        assertThat(badEmail.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(badEmail.err()).contains("email");
        assertThat(shortPassword.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(shortPassword.err()).contains("password").doesNotContain("short\n");
    }
}
