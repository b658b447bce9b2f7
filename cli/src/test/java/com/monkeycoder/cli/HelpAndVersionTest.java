package com.monkeycoder.cli;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --version} and {@code --help}: need no gateway, print to stdout, exit 0. */
class HelpAndVersionTest {

    /** No MONKEY_CODER_HOME and no base URL: nothing here may touch a daemon or the user's files. */
    private static final Map<String, String> NO_ENV = Map.of();

    @Test
    void versionPrintsTheProductVersion() {
        CliRun run = CliRun.run(NO_ENV, "--version");

        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.outLines()).singleElement().asString().startsWith("monkey 0.1.0");
    }

    @Test
    void helpListsTheSubcommandsAndTheExitCodes() {
        CliRun run = CliRun.run(NO_ENV, "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).startsWith("Usage: monkey");
        for (String command : new String[]{"implement", "usage", "models", "providers", "daemon", "help"}) {
            assertThat(run.out()).containsPattern("(?m)^\\s+" + command + "\\s+\\S");
        }
        assertThat(run.out()).contains("Exit codes:")
                .containsPattern("(?m)^\\s+0\\s+ok$")
                .containsPattern("(?m)^\\s+1\\s+unexpected error$")
                .containsPattern("(?m)^\\s+2\\s+usage error")
                .containsPattern("(?m)^\\s+3\\s+configuration or authentication$")
                .containsPattern("(?m)^\\s+4\\s+rate limit, quota or credits$")
                .containsPattern("(?m)^\\s+5\\s+provider or network failure$");
    }

    @Test
    void helpUsesTheTerminalsWidthAndKeepsUrlsWhole() {
        CliRun wide = CliRun.run(Map.of("COLUMNS", "120"), "auth", "login", "--help");
        CliRun narrow = CliRun.run(NO_ENV, "auth", "login", "--help");

        assertThat(wide.exitCode()).isZero();
        assertThat(wide.err()).isEmpty();
        assertThat(wide.outLines())
                .contains("  monkey auth login --email you@example.com --base-url https://gateway.example.com")
                .anySatisfy(line -> assertThat(line).startsWith("      --password-stdin   Read the password from the "
                        + "first line of standard input (else MONKEY_CODER_PASSWORD, else a"))
                .allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(120));
        assertThat(narrow.outLines())
                .contains("  monkey auth login --email you@example.com --base-url https://gateway.example.com")
                .filteredOn(line -> !line.startsWith("  monkey ")).allSatisfy(line -> assertThat(line.length())
                        .isLessThanOrEqualTo(80));
    }

    @Test
    void noArgumentsPrintsTheSameHelp() {
        CliRun run = CliRun.run(NO_ENV);

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo(CliRun.run(NO_ENV, "--help").out());
    }

    @Test
    void implementHelpShowsItsOptionsAndExamples() {
        CliRun run = CliRun.run(NO_ENV, "implement", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).startsWith("Usage: monkey implement")
                .contains("TASK", "--provider", "--model", "--persona", "--no-stream", "--json", "--base-url", "--verbose")
                .contains("Examples:")
                .contains("monkey implement --provider demo \"create a REST API\"");
    }

    @Test
    void helpSubcommandShowsACommandsHelp() {
        CliRun run = CliRun.run(NO_ENV, "help", "implement");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo(CliRun.run(NO_ENV, "implement", "--help").out());
    }

    @Test
    void theVersionFastPathPrintsWhatPicocliWouldPrint() {
        assertThat(Main.versionOnly(new String[]{"--version"})).isTrue();
        assertThat(Main.versionOnly(new String[]{"-V"})).isTrue();
        assertThat(Main.versionOnly(new String[]{"--version", "x"})).isFalse();
        CommandLine whole = Monkey.commandLine(new CliContext(NO_ENV, false));
        StringWriter out = new StringWriter();
        whole.setOut(new PrintWriter(out, true));
        assertThat(whole.execute("--version")).isZero();
        assertThat(out.toString().strip()).isEqualTo(Main.versionLine());
    }

    @Test
    void eachSubcommandIsRegisteredUnderItsOwnName() {
        Monkey.SUBCOMMANDS.forEach((name, cls) ->
                assertThat(cls.getAnnotation(CommandLine.Command.class).name()).as(cls.getName()).isEqualTo(name));
        assertThat(Monkey.commandLine(new CliContext(NO_ENV, false)).getSubcommands().keySet())
                .containsExactlyElementsOf(Monkey.SUBCOMMANDS.keySet());
    }

    @Test
    void aCommandAloneHasTheSameHelpAsInTheWholeTree() {
        for (String name : Monkey.SUBCOMMANDS.keySet()) {
            if (name.equals("help") || name.equals("completion")) {
                continue;
            }
            CommandLine whole = Monkey.commandLine(new CliContext(NO_ENV, false));
            StringWriter expected = new StringWriter();
            whole.setOut(new PrintWriter(expected, true));
            whole.execute(name, "--help");
            assertThat(CliRun.run(NO_ENV, name, "--help").out()).as(name).isEqualTo(expected.toString());
        }
    }
}
