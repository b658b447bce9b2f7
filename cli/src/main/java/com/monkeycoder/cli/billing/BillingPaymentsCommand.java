package com.monkeycoder.cli.billing;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.cli.GatewayOptions;
import com.monkeycoder.cli.output.SafeText;
import com.monkeycoder.cli.output.Table;
import com.monkeycoder.shared.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code monkey billing payments}: the account's credit changes, newest first. */
@Command(name = "payments", mixinStandardHelpOptions = true,
        description = "List your payments and other credit changes (purchases, plan credits, refunds), newest first.",
        footerHeading = "%nExamples:%n", footer = {"  monkey billing payments", "  monkey billing payments --json"})
public final class BillingPaymentsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    GatewayOptions gateway;

    @Option(names = "--json", description = "Print the gateway's list as JSON.")
    boolean json;

    private final CliContext context;

    public BillingPaymentsCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        JsonNode payments = CheckoutPage.client(context, gateway, spec.commandLine().getErr()).get("/v1/billing/payments");
        if (json) {
            out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(payments));
            out.flush();
            return ExitCodes.OK;
        }
        if (payments.path("payments").isEmpty()) {
            out.println("No payments yet: monkey billing buy --usd 10 buys credits.");
            out.flush();
            return ExitCodes.OK;
        }
        Table table = new Table("TIME", "KIND", "AMOUNT", "REASON").rightAlign(2);
        for (JsonNode p : payments.path("payments")) {
            String time = p.path("time").asText();
            table.row(time.length() >= 16 ? time.substring(0, 10) + " " + time.substring(11, 16) : time,
                    p.path("kind").asText(), dollars(p.path("amount_micros").asLong()),
                    SafeText.of(p.path("reason").asText("-")));
        }
        table.print(out);
        return ExitCodes.OK;
    }

    /** Micro-dollars as {@code $10.00} or {@code -$20.00}. */
    static String dollars(long micros) {
        String amount = java.math.BigDecimal.valueOf(Math.abs(micros), 6)
                .setScale(2, java.math.RoundingMode.HALF_UP).toPlainString();
        return (micros < 0 ? "-$" : "$") + amount;
    }
}
