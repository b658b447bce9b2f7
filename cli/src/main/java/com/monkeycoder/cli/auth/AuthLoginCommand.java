package com.monkeycoder.cli.auth;

import com.monkeycoder.cli.output.SafeText;
import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.cli.ExitException;
import com.monkeycoder.cli.GatewayOptions;
import com.monkeycoder.cli.client.Connection;
import com.monkeycoder.cli.client.GatewayClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code monkey auth login}: a new key for an existing account, saved for the CLI. The key it replaces, when the
 * CLI had one for that gateway, is revoked, so logging in again and again leaves no trail of live keys.
 */
@Command(name = "login", mixinStandardHelpOptions = true,
        description = "Log in to a shared gateway: get a new key and save it (OS keyring, else a 0600 file).",
        footerHeading = "%nExamples:%n",
        footer = {"  monkey auth login --email you@example.com --base-url https://gateway.example.com", "  echo \"$PASSWORD\" | monkey auth login --email you@example.com --password-stdin"})
public final class AuthLoginCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    GatewayOptions gateway;

    @Option(names = "--email", required = true, description = "Your account's email address.")
    String email;

    @Option(names = "--password-stdin", description = "Read the password from the first line of standard input"
            + " (else MONKEY_CODER_PASSWORD, else a prompt).")
    boolean passwordStdin;

    @Option(names = "--json", description = "Print the account as JSON (never the key).")
    boolean json;

    @Option(names = "--totp", paramLabel = "CODE", description = "The two-factor code, when the account has it on (a code"
            + " from your authenticator app, or a recovery code); without it you are asked when the gateway needs one.")
    String totp;

    private final CliContext context;

    public AuthLoginCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        String url = GatewayTarget.baseUrl(context, gateway.baseUrl, gateway.insecure(context));
        String password = Passwords.read(context, passwordStdin, false);
        KeyStores stores = new KeyStores(context, spec.commandLine().getErr());
        Optional<KeyStores.Found> previous = stores.find(url).filter(f -> !f.fromEnvironment());
        JsonNode account = signIn(new GatewayClient(GatewayTarget.anonymous(url, gateway.insecure(context))), password);
        int code = saveAndReport(context, spec, url, account, json, "Logged in as");
        previous.map(KeyStores.Found::credentials).filter(c -> c.keyId() != null).ifPresent(old -> {
            try {
                new GatewayClient(new Connection(url, account.path("api_key").asText(), false, gateway.insecure(context)))
                        .delete("/v1/auth/keys/" + old.keyId());
            } catch (ExitException alreadyGone) {
                // revoked before, or another account's: nothing to clean up
            }
        });
        return code;
    }

    /** Logs in; when the gateway says the account has MFA on and no --totp was given, asks for the code and tries again. */
    private JsonNode signIn(GatewayClient anonymous, String password) {
        try {
            return anonymous.post("/v1/auth/login", body(password, totp));
        } catch (ExitException e) {
            if (totp != null || !MfaCodes.mfaRequired(e)) {
                throw e;
            }
            String code = MfaCodes.code(context, null, "Two-factor code (or a recovery code): ",
                    "pass --totp CODE, or run in a terminal to be asked");
            return anonymous.post("/v1/auth/login", body(password, code));
        }
    }

    private Map<String, String> body(String password, String code) {
        return code == null ? Map.of("email", email, "password", password)
                : Map.of("email", email, "password", password, "totp_code", code);
    }

    static int saveAndReport(CliContext context, CommandSpec spec, String url, JsonNode account, boolean json, String verb) {
        PrintWriter out = spec.commandLine().getOut();
        Credentials credentials = new Credentials(account.path("api_key").asText(), account.path("key_id").asText(null),
                account.path("email").asText(null));
        String where = new KeyStores(context, spec.commandLine().getErr()).save(url, credentials);
        if (json) {
            AuthRegisterCommand.printJson(out, AuthRegisterCommand.withoutKey(account, where));
            return ExitCodes.OK;
        }
        out.println(SafeText.of(verb + " " + credentials.email() + " on " + url + " (tier " + account.path("tier").asText()
                + AuthRegisterCommand.credits(account) + ")."));
        out.println("Key " + credentials.shownKey() + " saved in " + where + ".");
        if (context.env(KeyStores.API_KEY_ENV) != null) {
            out.println("Note: MONKEY_CODER_API_KEY is set and wins over the saved key; unset it to use this one.");
        }
        out.flush();
        return ExitCodes.OK;
    }
}
