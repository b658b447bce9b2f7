package com.monkeycoder.cli.completion;

import com.monkeycoder.cli.ExitCodes;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code monkey completion bash|zsh|fish}: the shell completion script, generated from the command definitions. */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print the shell completion script for bash, zsh or fish.",
                "It completes subcommands, options and their values: providers and models from the catalog, personas, "
                        + "task types and config keys. install.sh installs it for your shell."},
        footerHeading = "%nExamples:%n",
        footer = {"  source <(monkey completion bash)                                   (in ~/.bashrc)",
                "  source <(monkey completion zsh)                                    (in ~/.zshrc)",
                "  monkey completion fish > ~/.config/fish/completions/monkey.fish"})
public final class CompletionCommand implements Callable<Integer> {

    /** The shells there is a script for. */
    public enum Shell { bash, zsh, fish }

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SHELL", description = "bash, zsh or fish.")
    Shell shell;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.print(script(spec.root().commandLine(), shell));
        out.flush();
        return ExitCodes.OK;
    }

    /** The script for {@code shell}; {@code completions/} in the repository holds these, checked by a test. */
    public static String script(CommandLine root, Shell shell) {
        return switch (shell) {
            // picocli's script is bash, and loads bashcompinit itself when zsh sources it.
            case bash, zsh -> AutoComplete.bash(root.getCommandName(), root);
            case fish -> FishCompletion.generate(root);
        };
    }
}
