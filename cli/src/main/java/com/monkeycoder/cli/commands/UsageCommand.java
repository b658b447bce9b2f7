package com.monkeycoder.cli.commands;

import com.monkeycoder.shared.text.Money;
import com.monkeycoder.cli.output.SafeText;
import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.cli.GatewayOptions;
import com.monkeycoder.cli.client.Connections;
import com.monkeycoder.cli.client.GatewayClient;
import com.monkeycoder.cli.output.Formats;
import com.monkeycoder.cli.output.LocalTimes;
import com.monkeycoder.cli.output.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code monkey usage}: what the ledger recorded, totals and by model and provider. */
@Command(name = "usage", mixinStandardHelpOptions = true,
        description = "Show requests, tokens and cost recorded by the gateway, by model and provider.",
        footerHeading = "%nExamples:%n",
        footer = {"  monkey usage",
                "  monkey usage --days 7",
                "  monkey usage --json | jq .totals.cost_micros"})
public final class UsageCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    GatewayOptions gateway;

    @Option(names = "--days", defaultValue = "30", description = "How many days back to look (default: ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--json", description = "Print the gateway's usage report as JSON.")
    boolean json;

    private final CliContext context;

    public UsageCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        GatewayClient client = new GatewayClient(Connections.resolve(context, gateway.baseUrl, gateway.insecure, spec.commandLine().getErr()));
        JsonNode report = client.get("/v1/billing/usage?days=" + days);
        if (json) {
            JsonOutput.print(out, report);
            return ExitCodes.OK;
        }
        JsonNode t = report.path("totals");
        LocalTimes times = context.localTimes();
        out.println(SafeText.of("Usage over the last " + days + " day" + (days == 1 ? "" : "s") + " ("
                + times.minute(report.path("from").asText()) + " to " + times.minute(report.path("to").asText()) + ")"));
        out.println("Requests " + Formats.count(t.path("requests").asLong()) + " (" + Formats.count(t.path("errors").asLong())
                + " failed, " + Formats.count(t.path("cached_requests").asLong()) + " cached) · tokens "
                + Formats.count(t.path("prompt_tokens").asLong()) + " in / " + Formats.count(t.path("completion_tokens").asLong())
                + " out · cost " + Money.format(t.path("cost_micros").asLong()));
        if (t.path("requests").asLong() == 0) {
            out.flush();
            return ExitCodes.OK;
        }
        out.println();
        table("MODEL", report.path("by_model")).print(out);
        out.println();
        table("PROVIDER", report.path("by_provider")).print(out);
        if (report.path("by_key").size() > 1) {
            out.println();
            table("KEY", report.path("by_key")).print(out);
        }
        out.println();
        out.println("Requests per day");
        dayChart(report.path("by_day"), context.interactive() ? '\u2588' : '#').forEach(out::println);
        out.flush();
        return ExitCodes.OK;
    }

    /**
     * One line per day with requests: the date, a bar scaled to the busiest day, the count and the cost. Bars are
     * block characters on a terminal and '#' otherwise, so a log or a pipe stays plain ASCII.
     */
    static java.util.List<String> dayChart(JsonNode days, char bar) {
        long max = 1;
        for (JsonNode d : days) {
            max = Math.max(max, d.path("requests").asLong());
        }
        java.util.List<String> lines = new java.util.ArrayList<>();
        int width = 40;
        for (JsonNode d : days) {
            long requests = d.path("requests").asLong();
            int length = (int) Math.max(requests > 0 ? 1 : 0, Math.round((double) requests * width / max));
            lines.add(String.format(java.util.Locale.ROOT, "%s  %-" + width + "s  %s  %s", d.path("key").asText(),
                    String.valueOf(bar).repeat(length), Formats.count(requests), Money.format(d.path("cost_micros").asLong())));
        }
        return lines;
    }

    private static Table table(String first, JsonNode buckets) {
        Table table = new Table(first, "REQUESTS", "FAILED", "TOKENS IN", "TOKENS OUT", "COST").rightAlign(1, 2, 3, 4, 5);
        for (JsonNode b : buckets) {
            table.row(b.path("key").asText(), Formats.count(b.path("requests").asLong()), Formats.count(b.path("errors").asLong()),
                    Formats.count(b.path("prompt_tokens").asLong()), Formats.count(b.path("completion_tokens").asLong()),
                    Money.format(b.path("cost_micros").asLong()));
        }
        return table;
    }
}
