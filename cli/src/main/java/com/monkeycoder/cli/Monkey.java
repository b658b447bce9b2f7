package com.monkeycoder.cli;

import com.monkeycoder.cli.auth.AuthCommand;
import com.monkeycoder.cli.chat.ChatCommand;
import com.monkeycoder.cli.commands.ImplementCommand;
import com.monkeycoder.cli.completion.CompletionCommand;
import com.monkeycoder.cli.config.ConfigCommand;
import com.monkeycoder.cli.doctor.DoctorCommand;
import com.monkeycoder.cli.commands.ModelsCommand;
import com.monkeycoder.cli.commands.PersonasCommand;
import com.monkeycoder.cli.commands.ProvidersCommand;
import com.monkeycoder.cli.commands.UsageCommand;
import com.monkeycoder.cli.daemon.DaemonCommand;
import com.monkeycoder.cli.keys.KeysCommand;
import com.monkeycoder.cli.output.SafeText;
import com.monkeycoder.shared.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** The root command. Each subcommand is its own class; this one wires errors and exit codes. */
@Command(name = "monkey",
        mixinStandardHelpOptions = true,
        versionProvider = Monkey.VersionProvider.class,
        description = "Monkey Coder: AI coding tasks from your terminal, through a local daemon or a shared gateway.",
        subcommands = {
                ImplementCommand.class,
                ChatCommand.class,
                UsageCommand.class,
                ModelsCommand.class,
                ProvidersCommand.class,
                PersonasCommand.class,
                DaemonCommand.class,
                AuthCommand.class,
                KeysCommand.class,
                ConfigCommand.class,
                DoctorCommand.class,
                CompletionCommand.class,
                CommandLine.HelpCommand.class
        },
        footerHeading = "%nExit codes:%n",
        footer = {
                "  0  ok",
                "  1  unexpected error",
                "  2  usage error (bad option or request)",
                "  3  configuration or authentication",
                "  4  rate limit, quota or credits",
                "  5  provider or network failure",
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

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** A ready command line whose subcommands get {@code context}; tests pass their own. */
    public static CommandLine commandLine(CliContext context) {
        CommandLine cl = new CommandLine(new Monkey(), new ContextFactory(context));
        cl.setExecutionExceptionHandler(Monkey::handleExecutionException);
        cl.setExitCodeExceptionMapper(e -> e instanceof ExitException x ? x.exitCode() : ExitCodes.UNEXPECTED);
        cl.setParameterExceptionHandler(Monkey::handleParameterException);
        return cl;
    }

    /** One readable line on stderr and the documented exit code; a stack trace only with --verbose. */
    private static int handleExecutionException(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        boolean verbose = parsed.expandedArgs().contains("--verbose") || parsed.expandedArgs().contains("-v");
        if (e instanceof ExitException x) {
            err.println("monkey: " + SafeText.of(x.getMessage()));
            if (verbose && x.getCause() != null) {
                x.getCause().printStackTrace(err);
            }
            err.flush();
            return x.exitCode();
        }
        err.println("monkey: unexpected error: " + SafeText.of(String.valueOf(e)) + (verbose ? "" : " (run with --verbose for details)"));
        if (verbose) {
            e.printStackTrace(err);
        }
        err.flush();
        return ExitCodes.UNEXPECTED;
    }

    private static int handleParameterException(CommandLine.ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        PrintWriter err = cl.getErr();
        err.println("monkey: " + e.getMessage());
        err.println("Try '" + cl.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return ExitCodes.USAGE;
    }

    /** Prints the product version and the Java running it. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"monkey " + Version.current() + " (Java " + Runtime.version() + ")"};
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
