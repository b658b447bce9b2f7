package com.monkeycoder.cli.auth;

import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.cli.GatewayOptions;
import com.monkeycoder.cli.client.GatewayClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code monkey auth reset-password TOKEN}: a new password with the token of the reset mail. The password is asked
 * for without echo (twice), or read from standard input when it is piped in; never an argument.
 */
@Command(name = "reset-password", mixinStandardHelpOptions = true,
        description = "Set a new password with the token of the gateway's reset mail; your API keys keep working.",
        footerHeading = "%nExamples:%n",
        footer = {"  monkey auth reset-password mkr_... --base-url https://gateway.example.com",
                "  echo \"$NEW_PASSWORD\" | monkey auth reset-password mkr_... --password-stdin"})
public final class AuthResetPasswordCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    GatewayOptions gateway;

    @Parameters(index = "0", paramLabel = "TOKEN", description = "The token in the reset mail (mkr_...).")
    String token;

    @Option(names = "--password-stdin", description = "Read the new password from the first line of standard input"
            + " (also done when input is piped; else MONKEY_CODER_PASSWORD, else a prompt).")
    boolean passwordStdin;

    private final CliContext context;

    public AuthResetPasswordCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        String url = GatewayTarget.baseUrl(context, gateway.baseUrl, gateway.insecure(context));
        String password = Passwords.readNew(context, passwordStdin);
        new GatewayClient(GatewayTarget.anonymous(url, gateway.insecure(context)))
                .post("/v1/auth/password/reset", Map.of("token", token.strip(), "password", password));
        PrintWriter out = spec.commandLine().getOut();
        out.println("Password changed. Your API keys keep working; log in with the new password: monkey auth login --email ...");
        out.flush();
        return ExitCodes.OK;
    }
}
