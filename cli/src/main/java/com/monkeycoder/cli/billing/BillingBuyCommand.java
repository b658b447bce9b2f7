package com.monkeycoder.cli.billing;

import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.cli.ExitException;
import com.monkeycoder.cli.GatewayOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.math.BigDecimal;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code monkey billing buy --usd 10}: a Stripe Checkout page for that many dollars of credits. */
@Command(name = "buy", mixinStandardHelpOptions = true,
        description = "Buy credits once: prints the Stripe Checkout page to pay on (and opens it when it can).",
        footerHeading = "%nExamples:%n", footer = {"  monkey billing buy --usd 10", "  monkey billing buy --usd 25 --json"})
public final class BillingBuyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    GatewayOptions gateway;

    @Option(names = "--usd", required = true, paramLabel = "DOLLARS", description = "Dollars of credits to buy, such as 10 or 12.50.")
    BigDecimal usd;

    @Option(names = "--no-browser", description = "Only print the page's address; never open a browser.")
    boolean noBrowser;

    @Option(names = "--json", description = "Print the gateway's answer ({\"url\", \"session_id\"}) as JSON.")
    boolean json;

    private final CliContext context;

    public BillingBuyCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        if (usd.signum() <= 0) {
            throw new ExitException(ExitCodes.USAGE, "--usd must be more than 0, such as 10");
        }
        return CheckoutPage.open(context, gateway, spec.commandLine().getOut(), spec.commandLine().getErr(),
                Map.of("credits_usd", usd), json, noBrowser, "$" + usd.stripTrailingZeros().toPlainString()
                        + " of credits");
    }
}
