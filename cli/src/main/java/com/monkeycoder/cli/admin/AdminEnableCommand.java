package com.monkeycoder.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.client.GatewayClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.HashMap;
import java.util.Map;

/** {@code monkey admin enable ACCOUNT [--reason TEXT]}: Enable a disabled account again: its keys and logins work at once. */
@Command(name = "enable", mixinStandardHelpOptions = true,
        description = "Enable a disabled account again: its keys and logins work at once.",
        footerHeading = "%nExamples:%n",
        footer = {"  monkey admin enable usr_0123abcd --reason \"resolved\""})
public final class AdminEnableCommand extends AccountChangeCommand {

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why (up to 500 characters); kept in the audit log.")
    String reason;

    public AdminEnableCommand(CliContext context) {
        super(context);
    }

    @Override
    JsonNode send(GatewayClient client, String accountPath) {
        Map<String, Object> body = new HashMap<>();
        if (reason != null) {
            body.put("reason", reason);
        }
        return client.post(accountPath + "/enable", body);
    }

    @Override
    String done() {
        return "Enabled ";
    }
}
