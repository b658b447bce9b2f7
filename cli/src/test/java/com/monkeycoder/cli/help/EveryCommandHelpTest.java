package com.monkeycoder.cli.help;

import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.CliRun;
import com.monkeycoder.cli.Monkey;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every command, found by walking the command tree, has --help with a usage line and examples, exit 0. */
class EveryCommandHelpTest {

    static Stream<String> commands() {
        List<String> all = new ArrayList<>();
        walk(Monkey.commandLine(new CliContext(Map.of(), false)), "", all);
        return all.stream();
    }

    private static void walk(CommandLine cl, String path, List<String> all) {
        for (var sub : cl.getSubcommands().entrySet()) {
            if (sub.getKey().equals("help")) {
                continue;
            }
            String here = (path + " " + sub.getKey()).strip();
            all.add(here);
            walk(sub.getValue(), here, all);
        }
    }

    @ParameterizedTest(name = "monkey {0} --help")
    @MethodSource("commands")
    void helpHasUsageAndExamples(String command) {
        List<String> args = new ArrayList<>(List.of(command.split(" ")));
        args.add("--help");

        CliRun run = CliRun.run(Map.of(), args.toArray(String[]::new));

        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).startsWith("Usage: monkey " + command).contains("Examples:").contains("  monkey ");
    }

    /** The examples are commands to paste: never wrapped, at any width, so no URL or quoted task is split. */
    @ParameterizedTest(name = "monkey {0} --help")
    @MethodSource("commands")
    void examplesArePrintedWhole(String command) {
        List<String> args = new ArrayList<>(List.of(command.split(" ")));
        args.add("--help");
        List<String> examples = List.of(spec(command).usageMessage().footer());

        for (Map<String, String> env : List.of(Map.<String, String>of(), Map.of("COLUMNS", "60"))) {
            CliRun run = CliRun.run(env, args.toArray(String[]::new));

            assertThat(run.outLines()).as("COLUMNS=%s", env.get("COLUMNS")).containsSubsequence(examples);
        }
    }

    /** -v says what it does in each command: who answered only where a model answers. */
    @ParameterizedTest(name = "monkey {0} --help")
    @MethodSource("commands")
    void verboseIsDescribedForWhatItDoesInThatCommand(String command) {
        var verbose = spec(command).findOption("--verbose");
        if (verbose == null) {
            return;
        }
        String description = String.join(" ", verbose.description());

        if (command.equals("implement") || command.equals("chat")) {
            assertThat(description).startsWith("Say which provider and model answered");
        } else {
            assertThat(description).doesNotContain("provider", "model").contains("details of an error");
        }
        List<String> args = new ArrayList<>(List.of(command.split(" ")));
        args.add("--help");
        assertThat(CliRun.run(Map.of("COLUMNS", "200"), args.toArray(String[]::new)).out())
                .contains("-v, --verbose").contains(description);
    }

    private static CommandLine.Model.CommandSpec spec(String command) {
        CommandLine cl = Monkey.commandLine(new CliContext(Map.of(), false));
        for (String name : command.split(" ")) {
            cl = cl.getSubcommands().get(name);
        }
        return cl.getCommandSpec();
    }
}
