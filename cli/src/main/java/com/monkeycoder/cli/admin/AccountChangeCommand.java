package com.monkeycoder.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.cli.GatewayOptions;
import com.monkeycoder.cli.client.GatewayClient;
import com.monkeycoder.cli.commands.JsonOutput;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * What the {@code monkey admin} commands that change one account share: find the account by id or email, send the
 * change to {@code /v1/admin/accounts/{id}/...}, and print the account as it is now (or the gateway's JSON).
 */
abstract class AccountChangeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    GatewayOptions gateway;

    @Parameters(index = "0", paramLabel = "ACCOUNT", description = "The account's id (usr_...) or email.")
    String account;

    @Option(names = "--json", description = "Print the account as the gateway answers, as JSON.")
    boolean json;

    private final CliContext context;

    AccountChangeCommand(CliContext context) {
        this.context = context;
    }

    /** Sends the change to the account at {@code accountPath} ({@code /v1/admin/accounts/{id}}); the account after. */
    abstract JsonNode send(GatewayClient client, String accountPath);

    /** What was done, before the account's summary: "Disabled ", "Changed the tier of ". */
    abstract String done();

    @Override
    public Integer call() {
        GatewayClient client = AdminClient.of(context, gateway, spec.commandLine().getErr());
        String id = AdminClient.accountId(client, account);
        JsonNode changed = send(client, "/v1/admin/accounts/" + AdminClient.encode(id));
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            JsonOutput.print(out, changed);
            return ExitCodes.OK;
        }
        out.println(done() + AdminClient.summary(changed));
        out.flush();
        return ExitCodes.OK;
    }
}
