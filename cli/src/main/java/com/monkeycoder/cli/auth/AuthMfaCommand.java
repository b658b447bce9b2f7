package com.monkeycoder.cli.auth;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code monkey auth mfa enable|disable|status}: two-factor authentication of the account on a shared gateway. */
@Command(name = "mfa", mixinStandardHelpOptions = true,
        description = "Turn two-factor authentication (TOTP codes from an authenticator app) on or off, or see it.",
        subcommands = {AuthMfaEnableCommand.class, AuthMfaDisableCommand.class, AuthMfaStatusCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {"  monkey auth mfa enable", "  monkey auth mfa status", "  monkey auth mfa disable --code 123456"})
public final class AuthMfaCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "say what to do: enable, disable or status");
    }
}
