package com.monkeycoder.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.cli.GatewayOptions;
import com.monkeycoder.cli.client.GatewayClient;
import com.monkeycoder.cli.commands.JsonOutput;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code monkey admin credits ACCOUNT --add 5.00|--remove 2.00 --reason "..."}: a balance change the audit log keeps. */
@Command(name = "credits", mixinStandardHelpOptions = true,
        description = "Add credits to an account, or take some back; the reason goes to the audit log.",
        footerHeading = "%nExamples:%n",
        footer = {"  monkey admin credits ada@example.com --add 5.00 --reason \"support ticket 1234\"",
                "  monkey admin credits usr_0123abcd --remove 2.00 --reason \"refunded twice\""})
public final class AdminCreditsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    GatewayOptions gateway;

    @Parameters(paramLabel = "ACCOUNT", description = "The account's id (usr_...) or email.")
    String account;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Amount amount;

    static final class Amount {
        @Option(names = "--add", paramLabel = "USD", description = "Dollars to add, such as 5.00.")
        BigDecimal add;

        @Option(names = "--remove", paramLabel = "USD", description = "Dollars to take back, such as 2.00.")
        BigDecimal remove;
    }

    @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why (1 to 500 characters); kept in the audit log.")
    String reason;

    @Option(names = "--json", description = "Print the account as the gateway answers, as JSON.")
    boolean json;

    private final CliContext context;

    public AdminCreditsCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        BigDecimal dollars = amount.add != null ? amount.add : amount.remove;
        if (dollars.signum() <= 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), (amount.add != null ? "--add" : "--remove")
                    + " takes a positive amount of dollars, such as 5.00");
        }
        GatewayClient client = AdminClient.of(context, gateway, spec.commandLine().getErr());
        String id = AdminClient.accountId(client, account);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("amount_usd", amount.add != null ? dollars : dollars.negate());
        body.put("reason", reason);
        JsonNode changed = client.post("/v1/admin/accounts/" + AdminClient.encode(id) + "/credits", body);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            JsonOutput.print(out, changed);
            return ExitCodes.OK;
        }
        out.println((amount.add != null ? "Added " : "Removed ") + AdminClient.dollars(dollars.movePointRight(6).longValue())
                + (amount.add != null ? " to " : " from ") + AdminClient.summary(changed));
        out.flush();
        return ExitCodes.OK;
    }
}
