package com.monkeycoder.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.cli.GatewayOptions;
import com.monkeycoder.cli.commands.JsonOutput;
import com.monkeycoder.cli.output.Table;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;

/** {@code monkey admin usage}: requests, tokens and cost per account over a window, the costliest first. */
@Command(name = "usage", mixinStandardHelpOptions = true,
        description = "Usage across accounts: requests, tokens and cost per account, the costliest first.",
        footerHeading = "%nExamples:%n",
        footer = {"  monkey admin usage", "  monkey admin usage --since 2026-01-01T00:00:00Z --json"})
public final class AdminUsageCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    GatewayOptions gateway;

    @Option(names = "--since", paramLabel = "ISO", description = "From this instant, such as 2026-01-01T00:00:00Z (default: the last 30 days).")
    String since;

    @Option(names = "--json", description = "Print the gateway's answer as JSON.")
    boolean json;

    private final CliContext context;

    public AdminUsageCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        if (since != null) {
            try {
                Instant.parse(since);
            } catch (DateTimeParseException e) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--since takes an ISO-8601 instant such as 2026-01-01T00:00:00Z, not '" + since + "'");
            }
        }
        JsonNode usage = AdminClient.of(context, gateway, spec.commandLine().getErr())
                .get("/v1/admin/usage" + (since == null ? "" : "?since=" + AdminClient.encode(since)));
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            JsonOutput.print(out, usage);
            return ExitCodes.OK;
        }
        out.println("From " + AdminClient.when(usage.path("since")) + " to " + AdminClient.when(usage.path("until")) + " UTC");
        Table table = new Table("ACCOUNT", "EMAIL", "REQUESTS", "ERRORS", "TOKENS", "COST").rightAlign(2, 3, 4, 5);
        for (JsonNode a : usage.path("accounts")) {
            table.row(a.path("account_id").asText("-"), a.path("email").asText("-"), a.path("requests").asLong(),
                    a.path("errors").asLong(), a.path("total_tokens").asLong(), cost(a.path("cost_micros").asLong()));
        }
        JsonNode t = usage.path("totals");
        table.row("total", "", t.path("requests").asLong(), "", t.path("total_tokens").asLong(),
                cost(t.path("cost_micros").asLong()));
        table.print(out);
        return ExitCodes.OK;
    }

    /** To the cent, or to the micro-dollar below a cent so small costs do not read as free. */
    private static String cost(long micros) {
        return micros != 0 && Math.abs(micros) < 10_000
                ? "$" + java.math.BigDecimal.valueOf(micros, 6).toPlainString() : AdminClient.dollars(micros);
    }
}
