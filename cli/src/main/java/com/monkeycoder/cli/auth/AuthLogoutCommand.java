package com.monkeycoder.cli.auth;

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
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code monkey auth logout}: revokes the saved key on the gateway and forgets it. */
@Command(name = "logout", mixinStandardHelpOptions = true,
        description = "Revoke the saved key on the gateway and remove it from the keyring or file.",
        footerHeading = "%nExamples:%n",
        footer = {"  monkey auth logout", "  monkey auth logout --keep-key   (forget it here, leave it valid)"})
public final class AuthLogoutCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    GatewayOptions gateway;

    @Option(names = "--keep-key", description = "Only forget the key here; leave it valid on the gateway.")
    boolean keepKey;

    private final CliContext context;

    public AuthLogoutCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String url = GatewayTarget.baseUrl(context, gateway.baseUrl, gateway.insecure(context));
        KeyStores stores = new KeyStores(context, err);
        Optional<Credentials> saved = stores.find(url).filter(f -> !f.fromEnvironment()).map(KeyStores.Found::credentials);
        if (saved.isEmpty()) {
            out.println("No saved key for " + url + "; nothing to do.");
        } else {
            String revoked = "";
            if (!keepKey && saved.get().keyId() != null) {
                try {
                    new GatewayClient(new Connection(url, saved.get().apiKey(), false, gateway.insecure(context)))
                            .delete("/v1/auth/keys/" + saved.get().keyId());
                    revoked = "revoked and ";
                } catch (ExitException e) {
                    if (e.exitCode() != ExitCodes.CONFIG_OR_AUTH && e.exitCode() != ExitCodes.USAGE) {
                        throw new ExitException(e.exitCode(), "cannot revoke the key (" + e.getMessage()
                                + "); it was kept: try again, or pass --keep-key to only forget it here", e);
                    }
                    // refused or not found: the key is dead already
                }
            }
            String where = stores.forget(url).orElse("the CLI's store");
            out.println("Logged out of " + url + ": key " + saved.get().shownKey() + " " + revoked + "removed from " + where + ".");
        }
        if (context.env(KeyStores.API_KEY_ENV) != null) {
            out.println("Note: MONKEY_CODER_API_KEY is still set, and commands keep using it.");
        }
        out.flush();
        return ExitCodes.OK;
    }
}
