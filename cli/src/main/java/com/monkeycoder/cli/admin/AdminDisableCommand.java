package com.monkeycoder.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.client.GatewayClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.HashMap;
import java.util.Map;

/** {@code monkey admin disable ACCOUNT [--reason TEXT]}: Disable an account: its keys and logins are refused at once, on every gateway instance. */
@Command(name = "disable", mixinStandardHelpOptions = true,
        description = "Disable an account: its keys and logins are refused at once, on every gateway instance.",
        footerHeading = "%nExamples:%n",
        footer = {"  monkey admin disable usr_0123abcd --reason \"chargeback\""})
public final class AdminDisableCommand extends AccountChangeCommand {

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why (up to 500 characters); kept in the audit log.")
    String reason;

    public AdminDisableCommand(CliContext context) {
        super(context);
    }

    @Override
    JsonNode send(GatewayClient client, String accountPath) {
        Map<String, Object> body = new HashMap<>();
        if (reason != null) {
            body.put("reason", reason);
        }
        return client.post(accountPath + "/disable", body);
    }

    @Override
    String done() {
        return "Disabled ";
    }
}
