package com.monkeycoder.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.monkeycoder.cli.commands.JsonOutput;
import com.monkeycoder.shared.Json;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.util.Arrays;

/**
 * What a command run with {@code --json} prints on stdout when it fails, besides the line on stderr, so a script
 * that parses stdout gets JSON either way: the gateway's error envelope when the gateway refused, with the CLI's
 * exit code added; otherwise the same shape with a code named after the exit code.
 */
final class ErrorEnvelope {

    private ErrorEnvelope() {
    }

    /** Whether the command that ran (the deepest subcommand parsed) has {@code --json} and was given it. */
    static boolean wanted(CommandLine.ParseResult parsed) {
        CommandLine.ParseResult command = parsed;
        while (command.hasSubcommand()) {
            command = command.subcommand();
        }
        return command.commandSpec().findOption("--json") != null
                && Boolean.TRUE.equals(command.matchedOptionValue("--json", Boolean.FALSE));
    }

    /** The same for a command line that could not be parsed: the command has {@code --json} and the words name it. */
    static boolean wanted(CommandLine command, String[] args) {
        return command.getCommandSpec().findOption("--json") != null && Arrays.asList(args).contains("--json");
    }

    static ObjectNode of(int exitCode, String message, JsonNode gatewayError) {
        ObjectNode envelope = Json.mapper().createObjectNode();
        ObjectNode error;
        if (gatewayError != null && gatewayError.isObject()) {
            error = gatewayError.deepCopy();
            envelope.set("error", error);
        } else {
            error = envelope.putObject("error");
            error.put("code", code(exitCode));
            error.put("message", message);
            error.putObject("details");
        }
        error.put("exit_code", exitCode);
        return envelope;
    }

    static void print(PrintWriter out, ObjectNode envelope) {
        JsonOutput.print(out, envelope);
    }

    /** The CLI's own error codes, one per exit code (README, "Exit codes"). */
    private static String code(int exitCode) {
        return switch (exitCode) {
            case ExitCodes.USAGE -> "USAGE_ERROR";
            case ExitCodes.CONFIG_OR_AUTH -> "CONFIG_OR_AUTH_ERROR";
            case ExitCodes.LIMITS -> "LIMIT_EXCEEDED";
            case ExitCodes.PROVIDER_OR_NETWORK -> "PROVIDER_OR_NETWORK_ERROR";
            default -> "UNEXPECTED_ERROR";
        };
    }
}
