package com.monkeycoder.cli.billing;

import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.GatewayOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.Map;
import java.util.concurrent.Callable;

/** {@code monkey billing subscribe PLAN}: a Stripe Checkout page for a monthly subscription to a plan. */
@Command(name = "subscribe", mixinStandardHelpOptions = true,
        description = "Subscribe to a plan (see GET /v1/billing/plans): prints the Stripe Checkout page to pay on.",
        footerHeading = "%nExamples:%n", footer = {"  monkey billing subscribe pro"})
public final class BillingSubscribeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    GatewayOptions gateway;

    @Parameters(paramLabel = "PLAN", description = "The plan's name, such as pro.")
    String plan;

    @Option(names = "--no-browser", description = "Only print the page's address; never open a browser.")
    boolean noBrowser;

    @Option(names = "--json", description = "Print the gateway's answer ({\"url\", \"session_id\"}) as JSON.")
    boolean json;

    private final CliContext context;

    public BillingSubscribeCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        return CheckoutPage.open(context, gateway, spec.commandLine().getOut(), spec.commandLine().getErr(),
                Map.of("plan", plan), json, noBrowser, "the " + plan + " plan");
    }
}
