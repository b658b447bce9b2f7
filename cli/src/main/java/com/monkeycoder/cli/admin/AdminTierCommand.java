package com.monkeycoder.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.client.GatewayClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.Map;

/** {@code monkey admin tier ACCOUNT TIER}: Put an account on another tier (its limits change at once, on every gateway instance). */
@Command(name = "tier", mixinStandardHelpOptions = true,
        description = "Put an account on another tier (its limits change at once, on every gateway instance).",
        footerHeading = "%nExamples:%n",
        footer = {"  monkey admin tier usr_0123abcd pro"})
public final class AdminTierCommand extends AccountChangeCommand {

    @Parameters(index = "1", paramLabel = "TIER", description = "free, pro, enterprise or unlimited.")
    String value;

    public AdminTierCommand(CliContext context) {
        super(context);
    }

    @Override
    JsonNode send(GatewayClient client, String accountPath) {
        return client.put(accountPath + "/tier", Map.of("tier", value));
    }

    @Override
    String done() {
        return "Changed the tier of ";
    }
}
