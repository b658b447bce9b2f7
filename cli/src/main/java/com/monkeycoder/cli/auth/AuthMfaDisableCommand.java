package com.monkeycoder.cli.auth;

import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.cli.GatewayOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.Map;
import java.util.concurrent.Callable;

/** {@code monkey auth mfa disable}: turns two-factor authentication off with a current code (or a recovery code). */
@Command(name = "disable", mixinStandardHelpOptions = true,
        description = "Turn off two-factor authentication; needs a code from the app or a recovery code.",
        footerHeading = "%nExamples:%n",
        footer = {"  monkey auth mfa disable", "  monkey auth mfa disable --code 123456"})
public final class AuthMfaDisableCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    GatewayOptions gateway;

    @Option(names = "--code", paramLabel = "CODE", description = "A code from your authenticator app, or a recovery"
            + " code (else asked on the terminal).")
    String code;

    private final CliContext context;

    public AuthMfaDisableCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        var client = MfaCodes.client(context, gateway, spec.commandLine().getErr());
        String typed = MfaCodes.code(context, code, "Code from the app (or a recovery code): ",
                "pass --code CODE, or run in a terminal to be asked");
        client.post("/v1/auth/mfa/disable", Map.of("code", typed));
        spec.commandLine().getOut().println("Two-factor authentication is off.");
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
