package com.monkeycoder.cli.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.cli.GatewayOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code monkey auth mfa status}: whether two-factor authentication is on, and how many recovery codes are left. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show whether two-factor authentication is on and how many recovery codes are left.",
        footerHeading = "%nExamples:%n",
        footer = {"  monkey auth mfa status", "  monkey auth mfa status --json"})
public final class AuthMfaStatusCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    GatewayOptions gateway;

    @Option(names = "--json", description = "Print the status as JSON.")
    boolean json;

    private final CliContext context;

    public AuthMfaStatusCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        JsonNode status = MfaCodes.client(context, gateway, spec.commandLine().getErr()).get("/v1/auth/mfa");
        if (json) {
            AuthRegisterCommand.printJson(out, status);
            return ExitCodes.OK;
        }
        if (status.path("enabled").asBoolean()) {
            int left = status.path("recovery_codes_left").asInt();
            out.println("Two-factor authentication: on (" + left + " recovery code" + (left == 1 ? "" : "s") + " left)");
        } else if (status.path("pending").asBoolean()) {
            out.println("Two-factor authentication: off (an enrolment waits for its first code: monkey auth mfa enable)");
        } else {
            out.println("Two-factor authentication: off (turn it on with: monkey auth mfa enable)");
        }
        out.flush();
        return ExitCodes.OK;
    }
}
