package com.monkeycoder.cli.commands;

import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.cli.ExitException;
import com.monkeycoder.cli.git.GitWorkTree;
import com.monkeycoder.cli.git.UndoResult;
import com.monkeycoder.cli.output.SafeText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code monkey undo}: takes back the last commit {@code monkey implement --commit} made, when it is still HEAD
 * and nothing is uncommitted; refuses otherwise, saying why (exit 1). Talks to git only, never to a gateway.
 */
@Command(name = "undo", mixinStandardHelpOptions = true,
        description = "Take back the last commit monkey made (when it is still HEAD and the tree is clean).",
        footerHeading = "%nExamples:%n",
        footer = {"  monkey implement --yes --commit \"add a /health endpoint\"",
                "  monkey undo",
                "  monkey undo --dir ../service"})
public final class UndoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR", description = "The project (default: the current folder).")
    Path dir;

    public UndoCommand(CliContext context) {
        // nothing of the context is needed: undo reads only git
    }

    @Override
    public Integer call() {
        Path folder = dir == null ? Path.of("").toAbsolutePath() : dir.toAbsolutePath();
        GitWorkTree git = GitWorkTree.find(folder).orElseThrow(() -> new ExitException(ExitCodes.USAGE,
                folder + " is not in a git work tree: monkey undo takes back commits made with --commit"));
        UndoResult result;
        try {
            result = git.undoLast();
        } catch (IOException e) {
            throw new ExitException(ExitCodes.UNEXPECTED, "git failed: " + e.getMessage(), e);
        }
        return switch (result) {
            case UndoResult.Undone u -> {
                spec.commandLine().getOut().println("Undid " + u.commit().substring(0, Math.min(12, u.commit().length()))
                        + " \"" + SafeText.of(u.subject()) + "\": " + SafeText.of(String.join(", ", u.files()))
                        + (u.files().size() == 1 ? " is" : " are") + " back as before.");
                spec.commandLine().getOut().flush();
                yield ExitCodes.OK;
            }
            case UndoResult.Refused r -> throw new ExitException(ExitCodes.UNEXPECTED, "nothing undone: " + SafeText.of(r.reason()));
        };
    }
}
