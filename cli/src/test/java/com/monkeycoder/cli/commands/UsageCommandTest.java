package com.monkeycoder.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.cli.CliRun;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.daemon.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code monkey usage} shows what the gateway's ledger recorded for requests made through the CLI. */
class UsageCommandTest {

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

    @Test
    void withNoRequestsSaysZeroAndPrintsNoTables() {
        CliRun run = CliRun.run(env, "usage");

        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).contains("Requests 0").doesNotContain("MODEL");
    }

    @Test
    void tableShowsTheDemoModelWithBothRequests() {
        makeTwoDemoRequests();

        CliRun run = CliRun.run(env, "usage");

        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).contains("Requests 2 (0 failed, 0 cached)");
        assertThat(run.tableRow("demo/monkey-demo")).as("the by-model row").element(1).isEqualTo("2");
        assertThat(run.tableRow("demo")).as("the by-provider row").element(1).isEqualTo("2");
        String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
        assertThat(run.out()).contains("Requests per day")
                .containsPattern(java.util.regex.Pattern.quote(today) + "  #{40}\\s+2  \\$0\\.00");
    }

    @Test
    void theWindowIsShownToTheMinuteInTheUsersTimeZone() {
        CliRun india = CliRun.run(CliRun.with(env, "TZ", "Asia/Kolkata"), "usage");
        CliRun utc = CliRun.run(CliRun.with(env, "TZ", "UTC"), "usage", "--days", "7");
        JsonNode raw = TestGateway.parse(CliRun.run(CliRun.with(env, "TZ", "Asia/Kolkata"), "usage", "--json").out());

        assertThat(india.exitCode()).isZero();
        String minute = "\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}";
        assertThat(india.outLines().getFirst())
                .matches("Usage over the last 30 days \\(" + minute + " IST to " + minute + " IST\\)");
        assertThat(utc.outLines().getFirst())
                .matches("Usage over the last 7 days \\(" + minute + " UTC to " + minute + " UTC\\)");
        java.time.ZonedDateTime to = Instant.parse(raw.path("to").asText()).atZone(java.time.ZoneId.of("Asia/Kolkata"));
        assertThat(india.outLines().getFirst()).contains(to.toLocalDate().toString());
        assertThat(raw.path("from").asText()).as("--json keeps the gateway's instants").matches(".*T.*Z");
    }

    @Test
    void jsonIsTheGatewaysReport() {
        makeTwoDemoRequests();

        CliRun run = CliRun.run(env, "usage", "--json");

        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).isEmpty();
        JsonNode report = TestGateway.parse(run.out());
        assertThat(report.path("totals").path("requests").asLong()).isEqualTo(2);
        assertThat(report.path("by_model").path(0).path("key").asText()).isEqualTo("demo/monkey-demo");
        JsonNode direct = TestGateway.json(gateway.get("/v1/billing/usage?days=30"));
        assertThat(report.path("totals")).isEqualTo(direct.path("totals"));
        assertThat(report.path("by_model")).isEqualTo(direct.path("by_model"));
    }

    @Test
    void windowTheGatewayRefusesIsAUsageError() {
        CliRun run = CliRun.run(env, "usage", "--days", "0");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines()).singleElement().asString().startsWith("monkey: ").contains("1 to 3660");
    }

    private void makeTwoDemoRequests() {
        assertThat(CliRun.run(env, "implement", "--provider", "demo", "create a REST API").exitCode()).isZero();
        assertThat(CliRun.run(env, "implement", "--provider", "demo", "--no-stream", "write a parser").exitCode()).isZero();
    }

    @Test
    void theDayChartScalesBarsToTheBusiestDay() {
        var days = com.monkeycoder.shared.Json.mapper().createArrayNode();
        days.addObject().put("key", "2026-11-21").put("requests", 10).put("cost_micros", 1_500_000);
        days.addObject().put("key", "2026-11-22").put("requests", 1).put("cost_micros", 0);
        days.addObject().put("key", "2026-11-23").put("requests", 5).put("cost_micros", 20);

        assertThat(UsageCommand.dayChart(days, '#')).containsExactly(
                "2026-11-21  " + "#".repeat(40) + "  10  $1.50",
                "2026-11-22  " + "#".repeat(4) + " ".repeat(36) + "  1  $0.00",
                "2026-11-23  " + "#".repeat(20) + " ".repeat(20) + "  5  $0.00002");
    }
}
