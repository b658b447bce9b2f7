package com.monkeycoder.cli.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.cli.GatewayOptions;
import com.monkeycoder.cli.client.GatewayClient;
import com.monkeycoder.cli.output.SafeText;
import com.monkeycoder.shared.text.Money;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code monkey auth verify TOKEN}: verifies an account's email with the token of the verification mail. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Verify your email with the token of the gateway's verification mail (starter credits follow).",
        footerHeading = "%nExamples:%n",
        footer = {"  monkey auth verify mkv_... --base-url https://gateway.example.com"})
public final class AuthVerifyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    GatewayOptions gateway;

    @Parameters(index = "0", paramLabel = "TOKEN", description = "The token in the verification mail (mkv_...).")
    String token;

    @Option(names = "--json", description = "Print the gateway's answer as JSON.")
    boolean json;

    private final CliContext context;

    public AuthVerifyCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        String url = GatewayTarget.baseUrl(context, gateway.baseUrl, gateway.insecure(context));
        JsonNode answer = new GatewayClient(GatewayTarget.anonymous(url, gateway.insecure(context)))
                .post("/v1/auth/verify", Map.of("token", token.strip()));
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            AuthRegisterCommand.printJson(out, answer);
            return ExitCodes.OK;
        }
        long credits = answer.path("starter_credit_micros").asLong();
        out.println(SafeText.of("Verified " + answer.path("email").asText() + " on " + url
                + (credits > 0 ? ": starter credits of " + Money.format(credits) + " added." : ".")));
        out.flush();
        return ExitCodes.OK;
    }
}
