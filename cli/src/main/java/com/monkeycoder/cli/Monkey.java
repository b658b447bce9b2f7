package com.monkeycoder.cli;

import com.monkeycoder.cli.auth.AuthCommand;
import com.monkeycoder.cli.chat.ChatCommand;
import com.monkeycoder.cli.commands.ImplementCommand;
import com.monkeycoder.cli.commands.LogsCommand;
import com.monkeycoder.cli.commands.UndoCommand;
import com.monkeycoder.cli.completion.CompletionCommand;
import com.monkeycoder.cli.config.ConfigCommand;
import com.monkeycoder.cli.doctor.DoctorCommand;
import com.monkeycoder.cli.help.HelpLayout;
import com.monkeycoder.cli.commands.ModelsCommand;
import com.monkeycoder.cli.commands.PersonasCommand;
import com.monkeycoder.cli.commands.ProvidersCommand;
import com.monkeycoder.cli.commands.UsageCommand;
import com.monkeycoder.cli.dashboard.DashboardCommand;
import com.monkeycoder.cli.daemon.DaemonCommand;
import com.monkeycoder.cli.keys.KeysCommand;
import com.monkeycoder.cli.admin.AdminCommand;
import com.monkeycoder.cli.audit.AuditCommand;
import com.monkeycoder.cli.output.SafeText;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The root command. Each subcommand is its own class; this one wires errors and exit codes. */
@Command(name = "monkey",
        mixinStandardHelpOptions = true,
        versionProvider = Monkey.VersionProvider.class,
        description = "Monkey Coder: AI coding tasks from your terminal, through a local daemon or a shared gateway.",
        footerHeading = "%nExit codes:%n",
        footer = {
                "  0  ok",
                "  1  unexpected error",
                "  2  usage error (bad option or request)",
                "  3  configuration or authentication",
                "  4  rate limit, quota or credits",
                "  5  provider or network failure",
                "With --json, a failing command also prints {\"error\": {\"code\", \"message\", ..., \"exit_code\"}} on stdout.",
                "",
                "Examples:",
                "  monkey implement --provider demo \"create a REST API\"",
                "  monkey implement --model openai/gpt-4.1-mini \"write a CSV parser in Go\"",
                "  git diff | monkey implement --task code_review \"review this change\"",
                "  monkey implement --write ./app \"a Flask app with one /health route\"",
                "  monkey chat",
                "  monkey doctor",
                "  monkey config set default_model openai/gpt-4.1-mini",
                "  monkey usage"
        })
public final class Monkey implements Runnable {

    /**
     * The subcommands by name, in the order help lists them. They are added in code rather than in the annotation
     * so that a run of one command builds only that command's model: picocli reads every option of every command
     * it is given, through reflection, before it parses anything, and that was most of a CLI start.
     */
    static final Map<String, Class<?>> SUBCOMMANDS = subcommands(
            "implement", ImplementCommand.class, "chat", ChatCommand.class, "usage", UsageCommand.class,
            "models", ModelsCommand.class, "providers", ProvidersCommand.class, "personas", PersonasCommand.class,
            "daemon", DaemonCommand.class, "auth", AuthCommand.class, "keys", KeysCommand.class,
            "billing", com.monkeycoder.cli.billing.BillingCommand.class,
            "admin", AdminCommand.class, "audit", AuditCommand.class,
            "logs", LogsCommand.class, "undo", UndoCommand.class, "dashboard", DashboardCommand.class,
            "config", ConfigCommand.class, "doctor", DoctorCommand.class, "completion", CompletionCommand.class,
            "help", CommandLine.HelpCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** A ready command line, with every subcommand, whose subcommands get {@code context}; tests pass their own. */
    public static CommandLine commandLine(CliContext context) {
        return commandLine(context, SUBCOMMANDS.values());
    }

    /**
     * The command line for running {@code args}: only the subcommand they name when they name one (its help,
     * errors and behaviour are the same as in the whole tree), else the whole tree ({@code --help}, and
     * {@code help} and {@code completion}, which read the tree; a mistyped name that deserves suggestions).
     */
    public static CommandLine commandLineFor(CliContext context, String[] args) {
        Class<?> only = args.length > 0 && !WHOLE_TREE.contains(args[0]) ? SUBCOMMANDS.get(args[0]) : null;
        return commandLine(context, only == null ? SUBCOMMANDS.values() : List.of(only));
    }

    private static CommandLine commandLine(CliContext context, Collection<Class<?>> subcommands) {
        ContextFactory factory = new ContextFactory(context);
        CommandLine cl = new CommandLine(new Monkey(), factory);
        for (Class<?> subcommand : subcommands) {
            cl.addSubcommand(new CommandLine(subcommand, factory));
        }
        cl.setExecutionExceptionHandler(Monkey::handleExecutionException);
        cl.setExitCodeExceptionMapper(e -> e instanceof ExitException x ? x.exitCode() : ExitCodes.UNEXPECTED);
        cl.setParameterExceptionHandler(Monkey::handleParameterException);
        HelpLayout.apply(cl, context);
        return cl;
    }

    /** One readable line on stderr and the documented exit code; a stack trace only with --verbose. */
    private static int handleExecutionException(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        boolean verbose = parsed.expandedArgs().contains("--verbose") || parsed.expandedArgs().contains("-v");
        boolean json = ErrorEnvelope.wanted(parsed);
        if (e instanceof ExitException x) {
            if (json) {
                ErrorEnvelope.print(cl.getOut(), ErrorEnvelope.of(x.exitCode(), x.getMessage(), x.gatewayError()));
            }
            err.println("monkey: " + SafeText.of(x.getMessage()));
            if (verbose) {
                x.details().forEach(line -> err.println("monkey:   " + SafeText.of(line)));
            }
            if (verbose && x.getCause() != null) {
                x.getCause().printStackTrace(err);
            }
            err.flush();
            return x.exitCode();
        }
        if (json) {
            ErrorEnvelope.print(cl.getOut(), ErrorEnvelope.of(ExitCodes.UNEXPECTED, "unexpected error: " + e, null));
        }
        err.println("monkey: unexpected error: " + SafeText.of(String.valueOf(e)) + (verbose ? "" : " (run with --verbose for details)"));
        if (verbose) {
            e.printStackTrace(err);
        }
        err.flush();
        return ExitCodes.UNEXPECTED;
    }

    /** One line too, with the nearest name when one was mistyped and where help is. */
    private static int handleParameterException(CommandLine.ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        PrintWriter err = cl.getErr();
        String line = UsageErrorLine.of(e);
        if (ErrorEnvelope.wanted(cl, args)) {
            ErrorEnvelope.print(cl.getOut(), ErrorEnvelope.of(ExitCodes.USAGE, line, null));
        }
        err.println("monkey: " + SafeText.of(line));
        err.flush();
        return ExitCodes.USAGE;
    }

    private static final Set<String> WHOLE_TREE = Set.of("help", "completion");

    /** Names written out (a test checks them against each class's {@code @Command}): reading annotations costs. */
    private static Map<String, Class<?>> subcommands(Object... nameThenClass) {
        Map<String, Class<?>> byName = new LinkedHashMap<>();
        for (int i = 0; i < nameThenClass.length; i += 2) {
            byName.put((String) nameThenClass[i], (Class<?>) nameThenClass[i + 1]);
        }
        return Collections.unmodifiableMap(byName);
    }

    /** Prints the product version and the Java running it. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{Main.versionLine()};
        }
    }

    /** Hands the context to every command that takes it in its constructor. */
    private record ContextFactory(CliContext context) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> cls) throws Exception {
            try {
                return cls.getDeclaredConstructor(CliContext.class).newInstance(context);
            } catch (NoSuchMethodException noContext) {
                return CommandLine.defaultFactory().create(cls);
            }
        }
    }
}
