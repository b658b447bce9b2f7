package com.monkeycoder.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.client.GatewayClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.Map;

/** {@code monkey admin plan ACCOUNT PLAN}: Put an account on one of the gateway's plans (GET /v1/billing/plans), and so on that plan's tier. */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = "Put an account on one of the gateway's plans (GET /v1/billing/plans), and so on that plan's tier.",
        footerHeading = "%nExamples:%n",
        footer = {"  monkey admin plan ada@example.com pro"})
public final class AdminPlanCommand extends AccountChangeCommand {

    @Parameters(index = "1", paramLabel = "PLAN", description = "A plan's name, as GET /v1/billing/plans lists them.")
    String value;

    public AdminPlanCommand(CliContext context) {
        super(context);
    }

    @Override
    JsonNode send(GatewayClient client, String accountPath) {
        return client.put(accountPath + "/plan", Map.of("plan", value));
    }

    @Override
    String done() {
        return "Changed the plan of ";
    }
}
