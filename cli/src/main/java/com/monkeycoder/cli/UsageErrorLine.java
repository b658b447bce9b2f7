package com.monkeycoder.cli;

import com.monkeycoder.shared.text.EditDistance;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A command-line mistake as the one line every CLI error is: what is wrong, the nearest command or option when a
 * name was mistyped ({@code implment}: did you mean 'implement'?), and where help is.
 */
final class UsageErrorLine {

    private UsageErrorLine() {
    }

    static String of(CommandLine.ParameterException e) {
        CommandLine cl = e.getCommandLine();
        CommandSpec spec = cl.getCommandSpec();
        String help = " (see '" + spec.qualifiedName() + " --help')";
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
            String arg = unmatched.getUnmatched().getFirst();
            if (arg.startsWith("-")) {
                String option = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
                // A one-letter option is a few edits from every other: only long names get a suggestion.
                String suggestion = option.startsWith("--") ? didYouMean(option, longOptionNames(spec)) : "";
                return "unknown option '" + option + "'" + suggestion + help;
            }
            if (!cl.getSubcommands().isEmpty()) {
                return "unknown command '" + arg + "'" + didYouMean(arg, visibleSubcommands(cl)) + help;
            }
        }
        return e.getMessage() + help;
    }

    /** "; did you mean 'x'?" with the names at most a few edits away, nearest first; empty when none is near. */
    static String didYouMean(String typed, List<String> names) {
        int most = Math.max(2, typed.length() / 3);
        List<String> near = names.stream()
                .filter(n -> EditDistance.between(typed, n) <= most)
                .sorted(Comparator.comparingInt((String n) -> EditDistance.between(typed, n)).thenComparing(n -> n))
                .limit(3).map(n -> "'" + n + "'").toList();
        return near.isEmpty() ? "" : "; did you mean " + String.join(" or ", near) + "?";
    }

    private static List<String> visibleSubcommands(CommandLine cl) {
        List<String> names = new ArrayList<>();
        cl.getSubcommands().forEach((name, sub) -> {
            if (!sub.getCommandSpec().usageMessage().hidden()) {
                names.add(name);
            }
        });
        return names;
    }

    private static List<String> longOptionNames(CommandSpec spec) {
        List<String> names = new ArrayList<>();
        for (OptionSpec option : spec.options()) {
            if (!option.hidden()) {
                names.addAll(List.of(option.names()).stream().filter(n -> n.startsWith("--")).toList());
            }
        }
        return names;
    }

}
