package com.monkeycoder.cli.auth;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code monkey auth register|login|logout|status|mfa|verify|forgot-password|reset-password}: an account on a shared
 * gateway, and the key the CLI uses.
 */
@Command(name = "auth", mixinStandardHelpOptions = true,
        description = "Register with a shared gateway, log in or out, and see which key the CLI uses.",
        subcommands = {AuthRegisterCommand.class, AuthLoginCommand.class, AuthLogoutCommand.class, AuthStatusCommand.class,
                AuthVerifyCommand.class, AuthForgotPasswordCommand.class, AuthResetPasswordCommand.class, AuthMfaCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {"  monkey auth register --email you@example.com --base-url https://gateway.example.com", "  monkey auth login --email you@example.com", "  monkey auth status", "  monkey auth mfa enable"})
public final class AuthCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "say what to do: register, login, logout, status,"
                + " mfa, verify, forgot-password or reset-password");
    }
}
