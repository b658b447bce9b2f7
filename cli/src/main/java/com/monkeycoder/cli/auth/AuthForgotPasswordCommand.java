package com.monkeycoder.cli.auth;

import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.cli.GatewayOptions;
import com.monkeycoder.cli.client.GatewayClient;
import com.monkeycoder.cli.output.SafeText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code monkey auth forgot-password EMAIL}: asks the gateway for a password-reset mail. The gateway answers the same
 * whether or not the email has an account, and so does this command.
 */
@Command(name = "forgot-password", mixinStandardHelpOptions = true,
        description = "Ask the gateway to mail a password-reset token to your email address.",
        footerHeading = "%nExamples:%n",
        footer = {"  monkey auth forgot-password you@example.com --base-url https://gateway.example.com",
                "  monkey auth reset-password mkr_...    (with the token from the mail)"})
public final class AuthForgotPasswordCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    GatewayOptions gateway;

    @Parameters(index = "0", paramLabel = "EMAIL", description = "Your account's email address.")
    String email;

    private final CliContext context;

    public AuthForgotPasswordCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        String url = GatewayTarget.baseUrl(context, gateway.baseUrl, gateway.insecure(context));
        new GatewayClient(GatewayTarget.anonymous(url, gateway.insecure(context)))
                .post("/v1/auth/password/forgot", Map.of("email", email));
        PrintWriter out = spec.commandLine().getOut();
        out.println(SafeText.of("If " + email.strip() + " has an account on " + url + ", a reset mail is on its way."
                + " Its token works once, for 1 hour: monkey auth reset-password TOKEN"));
        out.flush();
        return ExitCodes.OK;
    }
}
