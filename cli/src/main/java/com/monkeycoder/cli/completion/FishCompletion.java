package com.monkeycoder.cli.completion;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A fish completion script written from the picocli command model, as picocli's own generator does for bash: every
 * subcommand, option and candidate value comes from the same annotations the commands run with.
 */
public final class FishCompletion {

    private FishCompletion() {
    }

    public static String generate(CommandLine root) {
        String name = root.getCommandName();
        StringBuilder out = new StringBuilder();
        out.append("# fish completion for ").append(name).append(", generated from its command definitions by\n");
        out.append("# `").append(name).append(" completion fish`. Install: ").append(name)
                .append(" completion fish > ~/.config/fish/completions/").append(name).append(".fish\n\n");
        out.append("complete -c ").append(name).append(" -e\n");
        command(out, name, root, List.of());
        return out.toString();
    }

    private static void command(StringBuilder out, String name, CommandLine cl, List<String> path) {
        CommandSpec spec = cl.getCommandSpec();
        String here = condition(path);
        List<String> subcommands = new ArrayList<>(cl.getSubcommands().keySet());
        if (!subcommands.isEmpty()) {
            String noSubcommandYet = path.isEmpty() ? "__fish_use_subcommand"
                    : here + "; and not __fish_seen_subcommand_from " + String.join(" ", subcommands);
            out.append('\n');
            for (var sub : cl.getSubcommands().entrySet()) {
                if (sub.getValue().getCommandSpec().usageMessage().hidden()) {
                    continue;
                }
                out.append("complete -c ").append(name).append(" -f -n ").append(quote(noSubcommandYet))
                        .append(" -a ").append(quote(sub.getKey()))
                        .append(" -d ").append(quote(commandSummary(sub.getValue().getCommandSpec())))
                        .append('\n');
            }
        }
        for (OptionSpec option : spec.options()) {
            if (option.hidden()) {
                continue;
            }
            out.append("complete -c ").append(name);
            if (!here.isEmpty()) {
                out.append(" -n ").append(quote(here));
            }
            for (String n : option.names()) {
                if (n.startsWith("--")) {
                    out.append(" -l ").append(n.substring(2));
                } else if (n.startsWith("-") && n.length() == 2) {
                    out.append(" -s ").append(n.substring(1));
                }
            }
            if (option.arity().max() > 0) {
                List<String> candidates = candidates(option.completionCandidates());
                if (!candidates.isEmpty()) {
                    out.append(" -x -a ").append(quote(String.join(" ", candidates)));
                } else if (takesPaths(option)) {
                    out.append(" -r -F");
                } else {
                    out.append(" -x");
                }
            }
            out.append(" -d ").append(quote(summary(option.description()))).append('\n');
        }
        for (PositionalParamSpec param : spec.positionalParameters()) {
            List<String> candidates = candidates(param.completionCandidates());
            if (!candidates.isEmpty()) {
                out.append("complete -c ").append(name);
                if (!here.isEmpty()) {
                    out.append(" -n ").append(quote(here));
                }
                out.append(" -f -a ").append(quote(String.join(" ", candidates))).append('\n');
            }
        }
        for (var sub : cl.getSubcommands().entrySet()) {
            if (sub.getValue().getCommandSpec().usageMessage().hidden() || sub.getKey().equals("help")) {
                continue;
            }
            List<String> subPath = new ArrayList<>(path);
            subPath.add(sub.getKey());
            command(out, name, sub.getValue(), subPath);
        }
    }

    private static boolean takesPaths(OptionSpec option) {
        for (Class<?> type : option.auxiliaryTypes()) {
            if (type == Path.class || type == java.io.File.class) {
                return true;
            }
        }
        return option.type() == Path.class || option.type() == java.io.File.class;
    }

    /** A command's header when it has one (picocli's help command does), else its description's first sentence. */
    private static String commandSummary(CommandSpec spec) {
        String[] header = spec.usageMessage().header();
        return summary(header != null && header.length > 0 ? header : spec.usageMessage().description());
    }

    /** True in fish when every command of {@code path} is on the command line. */
    private static String condition(List<String> path) {
        List<String> parts = new ArrayList<>();
        for (String command : path) {
            parts.add("__fish_seen_subcommand_from " + command);
        }
        return String.join("; and ", parts);
    }

    private static List<String> candidates(Iterable<String> candidates) {
        List<String> list = new ArrayList<>();
        if (candidates != null) {
            candidates.forEach(list::add);
        }
        return list;
    }

    /** The first sentence of a description, without picocli's ${...} variables. */
    private static String summary(String[] description) {
        if (description == null || description.length == 0) {
            return "";
        }
        String first = String.join(" ", description).replace("%n", " ").replaceAll("\\$\\{[^}]+}", "")
                .replaceAll("\\s+", " ").strip();
        String sentence = first.split("\\.\\s+(?=[A-Z])", 2)[0];
        return sentence.endsWith(".") ? sentence.substring(0, sentence.length() - 1) : sentence;
    }

    private static String quote(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
