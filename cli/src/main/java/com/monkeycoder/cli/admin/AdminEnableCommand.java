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

/** {@code monkey admin enable ACCOUNT [--reason TEXT]}: Enable a disabled account again: its keys and logins work at once. */
@Command(name = "enable", mixinStandardHelpOptions = true,
        description = "Enable a disabled account again: its keys and logins work at once.",
        footerHeading = "%nExamples:%n",
        footer = {"  monkey admin enable usr_0123abcd --reason \"resolved\""})
public final class AdminEnableCommand implements Callable<Integer> {

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

    public AdminEnableCommand(CliContext context) {
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
        JsonNode changed = client.post("/v1/admin/accounts/" + AdminClient.encode(id) + "/enable", body);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            JsonOutput.print(out, changed);
            return ExitCodes.OK;
        }
        out.println("Enabled " + AdminClient.summary(changed));
        out.flush();
        return ExitCodes.OK;
    }
}
