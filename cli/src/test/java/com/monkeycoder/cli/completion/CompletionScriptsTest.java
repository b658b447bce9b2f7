package com.monkeycoder.cli.completion;

import com.monkeycoder.cli.CliRun;
import com.monkeycoder.cli.ExitCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * {@code monkey completion}: the scripts in {@code completions/} are what the command prints now. When they are not,
 * this test writes the new ones there and fails, so the build regenerates them and a stale commit cannot pass.
 */
class CompletionScriptsTest {

    /** Surefire runs in the cli module's folder; the scripts live at the repository's root. */
    private static final Path COMPLETIONS = Path.of("..", "completions");

    static Path file(CompletionCommand.Shell shell) {
        return COMPLETIONS.resolve("monkey." + shell.name());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(CompletionCommand.Shell.class)
    void committedScriptIsUpToDate(CompletionCommand.Shell shell) throws IOException {
        CliRun run = CliRun.run(Map.of(), "completion", shell.name());
        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).isEmpty();

        Path file = file(shell);
        String committed = Files.exists(file) ? Files.readString(file) : null;
        if (!run.out().equals(committed)) {
            Files.createDirectories(COMPLETIONS);
            Files.writeString(file, run.out());
            fail("completions/" + file.getFileName() + " was out of date and has been regenerated: review and commit it");
        }
    }

    @Test
    void unknownShellIsAUsageError() {
        CliRun run = CliRun.run(Map.of(), "completion", "powershell");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("bash, zsh, fish");
    }

    @Test
    void scriptsNameEverySubcommandAndTheCatalogsProvidersAndModels() {
        String bash = CliRun.run(Map.of(), "completion", "bash").out();
        String fish = CliRun.run(Map.of(), "completion", "fish").out();

        for (String script : List.of(bash, fish)) {
            assertThat(script).contains("implement", "chat", "personas", "config", "doctor", "completion", "daemon",
                    "openai", "anthropic", "demo", "openai/gpt-4.1-mini", "demo/monkey-demo", "backend", "code_review",
                    "default_model");
        }
    }

    @ParameterizedTest(name = "monkey {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "''                               | implement chat personas config doctor completion",
            "implement --provider ''          | openai anthropic google groq demo",
            "implement --model demo/          | demo/monkey-demo",
            "chat --persona ''                | developer backend frontend devops tester reviewer docs",
            "implement --task code_           | code_generation code_review",
            "config ''                        | get set unset list path",
            "config get default_              | default_model default_provider default_persona",
            "completion ''                    | bash zsh fish",
    })
    void bashCompletesWhatTheCommandsTake(String typed, String expected, @TempDir Path tmp) throws Exception {
        assertThat(bashCompletions(typed, tmp)).contains(expected.strip().split(" "));
    }

    /** Each option offers its own values, and only those: two options once shared one bash variable. */
    @ParameterizedTest(name = "monkey {0} {1} <Tab>")
    @CsvSource({
            "implement,  --persona", "implement,  --provider", "implement,  --model", "implement,  --task",
            "chat,       --persona", "chat,       --provider", "chat,       --model", "chat,       --task",
            "config get, --persona", "config get, --provider", "config get, --model",
            "config list, --persona", "config list, --provider", "config list, --model",
    })
    void bashOffersEachOptionItsOwnValues(String command, String option, @TempDir Path tmp) throws Exception {
        assertThat(bashCompletions(command + " " + option + " ''", tmp)).containsExactlyElementsOf(valuesOf(option));
    }

    /**
     * zsh runs the same script through bashcompinit. Where zsh is not installed this reads the script instead: in
     * every function, each option's case reads a variable declared once, holding that option's values.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = CompletionCommand.Shell.class, names = {"bash", "zsh"})
    void everyFunctionDeclaresOneValueListPerOption(CompletionCommand.Shell shell) {
        String script = CliRun.run(Map.of(), "completion", shell.name()).out();
        Map<String, Map<String, List<String>>> valuesByFunction = optionValuesByFunction(script);

        assertThat(valuesByFunction).containsKeys("_picocli_monkey_implement", "_picocli_monkey_chat",
                "_picocli_monkey_config_get", "_picocli_monkey_config_list");
        for (String function : List.of("_picocli_monkey_implement", "_picocli_monkey_chat")) {
            for (String option : List.of("--persona", "--provider", "--model", "--task")) {
                assertThat(valuesByFunction.get(function).get(option)).as(function + " " + option)
                        .containsExactlyElementsOf(valuesOf(option));
            }
        }
    }

    private static List<String> valuesOf(String option) {
        return switch (option) {
            case "--persona" -> CatalogNames.personas();
            case "--provider" -> CatalogNames.providers();
            case "--model" -> CatalogNames.models();
            case "--task" -> CatalogNames.taskTypes();
            default -> throw new IllegalArgumentException(option);
        };
    }

    private static final Pattern FUNCTION = Pattern.compile("(?m)^function (_picocli_\\w+)\\(\\) \\{$(.*?)^}$",
            Pattern.DOTALL);
    private static final Pattern DECLARATION = Pattern.compile("(?m)^\\s*local (\\w+_option_args)=\\((.*)\\) # ");
    private static final Pattern CASE = Pattern.compile(
            "(?m)^\\s*'(--[\\w-]+)'\\)\\n(?:(?!.*;;).*\\n)*?.*compReplyArray \"\\$\\{(\\w+_option_args)\\[@]}\"");

    /** Per completion function: each option's values, as its case branch reads them (a variable declared twice fails). */
    private static Map<String, Map<String, List<String>>> optionValuesByFunction(String script) {
        Map<String, Map<String, List<String>>> result = new java.util.TreeMap<>();
        Matcher function = FUNCTION.matcher(script);
        while (function.find()) {
            String body = function.group(2);
            Map<String, List<String>> declared = new java.util.HashMap<>();
            Matcher declaration = DECLARATION.matcher(body);
            while (declaration.find()) {
                List<String> values = java.util.Arrays.stream(declaration.group(2).split(" "))
                        .map(v -> v.replace("\"", "")).toList();
                assertThat(declared.put(declaration.group(1), values))
                        .as(function.group(1) + " declares " + declaration.group(1) + " twice").isNull();
            }
            Map<String, List<String>> byOption = new java.util.HashMap<>();
            Matcher branch = CASE.matcher(body);
            while (branch.find()) {
                byOption.put(branch.group(1), declared.get(branch.group(2)));
            }
            result.put(function.group(1), byOption);
        }
        return result;
    }

    /** What bash's completion offers for {@code monkey <typed>}, the last word being the one completed. */
    private static List<String> bashCompletions(String typed, Path tmp) throws Exception {
        assumeThat(Path.of("/bin/bash")).as("bash is installed").exists();
        Path generated = Files.writeString(tmp.resolve("monkey.bash"), CliRun.run(Map.of(), "completion", "bash").out());
        List<String> words = new java.util.ArrayList<>(List.of("monkey"));
        words.addAll(List.of(typed.split(" ", -1)));
        String array = String.join(" ", words.stream().map(w -> "'" + w + "'").toList());
        String script = "source " + generated + "\n"
                + "COMP_WORDS=(" + array + "); COMP_CWORD=" + (words.size() - 1) + "; COMP_LINE=\"${COMP_WORDS[*]}\"; "
                + "COMP_POINT=${#COMP_LINE}\n_complete_monkey monkey\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n";
        // Outside a real completion bash warns that compopt is not available: stderr is not the answer.
        Process bash = new ProcessBuilder("/bin/bash", "--norc", "--noprofile", "-c", script)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bash.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return output.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
    }

    @Test
    void fishScriptIsValidFishWhenFishIsInstalled() throws Exception {
        Path fish = Path.of("/usr/bin/fish");
        assumeThat(fish).as("fish is installed").exists();
        Process check = new ProcessBuilder(fish.toString(), "--no-execute", file(CompletionCommand.Shell.fish).toString())
                .redirectErrorStream(true).start();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(check.waitFor()).as(output).isZero();
    }
}
