package com.monkeycoder.cli.keys;

import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.cli.GatewayOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code monkey keys revoke ID}: the key stops working at once, on every gateway instance. */
@Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a key: it stops working at once.",
        footerHeading = "%nExamples:%n",
        footer = {"  monkey keys revoke KEY_ID   (the id from: monkey keys list)"})
public final class KeysRevokeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    GatewayOptions gateway;

    @Parameters(paramLabel = "ID", description = "The key's id, as 'monkey keys list' shows it (key_...).")
    String id;

    private final CliContext context;

    public KeysRevokeCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        KeysClient.of(context, gateway, spec.commandLine().getErr()).delete("/v1/auth/keys/" + id);
        out.println("Revoked " + id + ".");
        out.flush();
        return ExitCodes.OK;
    }
}
