package com.monkeycoder.cli.daemon;

import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.cli.ExitException;
import com.monkeycoder.cli.auth.Passwords;
import com.monkeycoder.cli.output.SafeText;
import com.monkeycoder.shared.GatewayLauncher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;

/**
 * {@code monkey daemon admin create --email E}: makes the account an administrator, directly in the gateway's
 * database (the same settings as {@code monkey daemon run --mode gateway}), so a gateway with no admin yet gets its
 * first. An account that does not exist is created, with a password asked for (or read from stdin).
 */
@Command(name = "create", mixinStandardHelpOptions = true,
        description = {"Make an account an administrator of the shared gateway whose database DATABASE_URL names;"
                + " a new account is created with a password you give.",
                "Run it on the gateway's server: it reads the same settings as 'monkey daemon run --mode gateway'."},
        footerHeading = "%nExamples:%n",
        footer = {"  monkey daemon admin create --email ops@example.com",
                "  monkey daemon admin create --email ops@example.com --password-stdin < password.txt"})
public final class DaemonAdminCreateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--email", required = true, paramLabel = "EMAIL", description = "The administrator's email.")
    String email;

    @Option(names = "--password-stdin", description = "Read the new account's password from the first line of"
            + " standard input (only asked for when the account does not exist yet).")
    boolean passwordStdin;

    private final CliContext context;

    public DaemonAdminCreateCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        GatewayLauncher launcher = ServiceLoader.load(GatewayLauncher.class).findFirst()
                .orElseThrow(() -> new ExitException(ExitCodes.UNEXPECTED,
                        "the gateway is not installed with this CLI: reinstall with ./install.sh"));
        GatewayLauncher.AdminCreated made;
        try {
            made = launcher.createAdmin(context.env(), email, () -> Passwords.read(context, passwordStdin, true));
        } catch (GatewayLauncher.Failure e) {
            throw new ExitException(e.exitCode(), e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        String who = made.email() + " (" + made.accountId() + ")";
        out.println(SafeText.of(switch (made.outcome()) {
            case "created" -> "Created " + who + " as an administrator.";
            case "promoted" -> "Made " + who + " an administrator.";
            default -> who + " is an administrator already.";
        }));
        out.println("Log in as it (monkey auth login) for a key with the admin scope; keys made before keep their scopes.");
        out.flush();
        return ExitCodes.OK;
    }
}
