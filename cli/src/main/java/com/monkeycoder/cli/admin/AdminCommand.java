package com.monkeycoder.cli.admin;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code monkey admin ...}: what an administrator of a shared gateway does to its accounts. */
@Command(name = "admin", mixinStandardHelpOptions = true,
        description = {"Administer a shared gateway's accounts: list them, grant or take back credits, change a plan"
                + " or tier, disable or enable, and see usage across accounts.",
                "Needs a key with the admin scope: log in as an admin account (monkey auth login)."},
        subcommands = {AdminAccountsCommand.class, AdminCreditsCommand.class, AdminTierCommand.class,
                AdminPlanCommand.class, AdminDisableCommand.class, AdminEnableCommand.class, AdminUsageCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {"  monkey admin accounts --email example.com",
                "  monkey admin credits ada@example.com --add 5.00 --reason \"support ticket 1234\"",
                "  monkey admin tier usr_0123abcd pro",
                "  monkey admin disable usr_0123abcd --reason \"chargeback\"",
                "  monkey admin usage --since 2026-01-01T00:00:00Z"})
public final class AdminCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "say what to do: accounts, credits, tier, plan, disable, enable or usage");
    }
}
