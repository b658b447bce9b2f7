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
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code monkey admin disable ACCOUNT [--reason TEXT]}: Disable an account: its keys and logins are refused at once, on every gateway instance. */
@Command(name = "disable", mixinStandardHelpOptions = true,
        description = "Disable an account: its keys and logins are refused at once, on every gateway instance.",
        footerHeading = "%nExamples:%n",
        footer = {"  monkey admin disable usr_0123abcd --reason \"chargeback\""})
public final class AdminDisableCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    GatewayOptions gateway;

    @Parameters(paramLabel = "ACCOUNT", description = "The account's id (usr_...) or email.")
    String account;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why (up to 500 characters); kept in the audit log.")
    String reason;

    @Option(names = "--json", description = "Print the account as the gateway answers, as JSON.")
    boolean json;

    private final CliContext context;

    public AdminDisableCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        GatewayClient client = AdminClient.of(context, gateway, spec.commandLine().getErr());
        String id = AdminClient.accountId(client, account);
        Map<String, Object> body = new HashMap<>();
        if (reason != null) {
            body.put("reason", reason);
        }
        JsonNode changed = client.post("/v1/admin/accounts/" + AdminClient.encode(id) + "/disable", body);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            JsonOutput.print(out, changed);
            return ExitCodes.OK;
        }
        out.println("Disabled " + AdminClient.summary(changed));
        out.flush();
        return ExitCodes.OK;
    }
}
