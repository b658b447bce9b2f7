package com.monkeycoder.cli.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.cli.GatewayOptions;
import com.monkeycoder.cli.client.GatewayClient;
import com.monkeycoder.cli.output.SafeText;
import com.monkeycoder.cli.output.TerminalQr;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code monkey auth mfa enable}: enrols (the password confirms it is you), shows the secret as an
 * {@code otpauth://} URI and a QR code to scan, asks for the first code, and prints the ten recovery codes, once.
 */
@Command(name = "enable", mixinStandardHelpOptions = true,
        description = "Turn on two-factor authentication: scan the QR code, type a code, keep the recovery codes.",
        footerHeading = "%nExamples:%n",
        footer = {"  monkey auth mfa enable", "  MONKEY_CODER_PASSWORD=... monkey auth mfa enable"})
public final class AuthMfaEnableCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    GatewayOptions gateway;

    @Option(names = "--password-stdin", description = "Read the password from the first line of standard input"
            + " (else MONKEY_CODER_PASSWORD, else a prompt).")
    boolean passwordStdin;

    private final CliContext context;

    public AuthMfaEnableCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        GatewayClient client = MfaCodes.client(context, gateway, spec.commandLine().getErr());
        String password = Passwords.read(context, passwordStdin, false);
        JsonNode enrol = client.post("/v1/auth/mfa/enrol", Map.of("password", password));
        String uri = enrol.path("otpauth_uri").asText();
        out.println("Scan this QR code with your authenticator app (or add the key by hand):");
        out.println();
        TerminalQr.lines(uri).forEach(out::println);
        out.println();
        out.println(SafeText.of(uri));
        out.println("Key: " + SafeText.of(enrol.path("secret").asText()));
        out.flush();
        String code = MfaCodes.code(context, null, "Code from the app: ", "run this in a terminal, where you can read the QR code and type the code");
        JsonNode confirmed = client.post("/v1/auth/mfa/confirm", Map.of("code", code));
        out.println();
        out.println("Two-factor authentication is on. Recovery codes (each works once, shown only now; keep them safe):");
        confirmed.path("recovery_codes").forEach(c -> out.println("  " + SafeText.of(c.asText())));
        out.println("Log in with: monkey auth login --email ... (you will be asked for a code, or pass --totp CODE)");
        out.flush();
        return ExitCodes.OK;
    }
}
