package com.monkeycoder.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.cli.GatewayOptions;
import com.monkeycoder.cli.client.GatewayClient;
import com.monkeycoder.cli.commands.JsonOutput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code monkey admin tier ACCOUNT TIER}: Put an account on another tier (its limits change at once, on every gateway instance). */
@Command(name = "tier", mixinStandardHelpOptions = true,
        description = "Put an account on another tier (its limits change at once, on every gateway instance).",
        footerHeading = "%nExamples:%n",
        footer = {"  monkey admin tier usr_0123abcd pro"})
public final class AdminTierCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    GatewayOptions gateway;

    @Parameters(index = "0", paramLabel = "ACCOUNT", description = "The account's id (usr_...) or email.")
    String account;

    @Parameters(index = "1", paramLabel = "TIER", description = "free, pro, enterprise or unlimited.")
    String value;

    @Option(names = "--json", description = "Print the account as the gateway answers, as JSON.")
    boolean json;

    private final CliContext context;

    public AdminTierCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        GatewayClient client = AdminClient.of(context, gateway, spec.commandLine().getErr());
        String id = AdminClient.accountId(client, account);
        JsonNode changed = client.put("/v1/admin/accounts/" + AdminClient.encode(id) + "/tier", Map.of("tier", value));
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            JsonOutput.print(out, changed);
            return ExitCodes.OK;
        }
        out.println("Changed the tier of " + AdminClient.summary(changed));
        out.flush();
        return ExitCodes.OK;
    }
}
