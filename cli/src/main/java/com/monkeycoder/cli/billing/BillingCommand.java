package com.monkeycoder.cli.billing;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code monkey billing buy|subscribe|payments}: paying a shared gateway through Stripe Checkout. */
@Command(name = "billing", mixinStandardHelpOptions = true,
        description = "Buy credits, subscribe to a plan, and see your payments on a shared gateway.",
        subcommands = {BillingBuyCommand.class, BillingSubscribeCommand.class, BillingPaymentsCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {"  monkey billing buy --usd 10", "  monkey billing subscribe pro", "  monkey billing payments --json"})
public final class BillingCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "say what to do: buy, subscribe or payments");
    }
}
