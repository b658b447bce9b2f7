package com.monkeycoder.cli.help;

import com.monkeycoder.cli.config.Setting;
import com.monkeycoder.cli.config.Settings;
import com.monkeycoder.shared.Version;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code monkey(1)} manual page in roff, written from the same picocli command model as {@code --help}: every
 * command with its synopsis, description, options and examples, then exit status, environment and files. Plain
 * roff needs no Asciidoctor at build time; {@code man -l packaging/man/monkey.1} shows it.
 */
public final class ManPage {

    private ManPage() {
    }

    public static String generate(CommandLine root) {
        CommandSpec spec = root.getCommandSpec();
        StringBuilder out = new StringBuilder();
        out.append(".\\\" Generated from the monkey command definitions (ManPageTest); do not edit by hand.\n");
        out.append(".TH MONKEY 1 \"\" \"monkey ").append(Version.current()).append("\" \"Monkey Coder Manual\"\n");
        out.append(".SH NAME\nmonkey \\- ").append(text(String.join(" ", spec.usageMessage().description()))).append('\n');
        out.append(".SH SYNOPSIS\n.B monkey\n[\\fIOPTIONS\\fR] \\fICOMMAND\\fR [\\fIARGS\\fR...]\n");
        out.append(".SH DESCRIPTION\n");
        out.append(text("monkey sends coding tasks to a Monkey Coder gateway: the local daemon on this machine, started "
                + "when first needed, or a shared gateway given by its URL. It streams answers, writes the files they "
                + "name after showing a diff, keeps conversations in a chat REPL, and reports usage and cost."))
                .append('\n');
        out.append(".PP\n").append(text("Every data command takes --json. Colours only on a terminal, never when "
                + "NO_COLOR is set. Errors are one line on stderr starting with 'monkey: '; --verbose adds details."))
                .append('\n');
        out.append(".SH OPTIONS\n");
        options(out, spec);
        out.append(".SH COMMANDS\n");
        for (var sub : root.getSubcommands().entrySet()) {
            if (!sub.getKey().equals("help")) {
                command(out, sub.getValue(), "monkey " + sub.getKey());
            }
        }
        out.append(".SH \"EXIT STATUS\"\n");
        for (String line : spec.usageMessage().footer()) {
            if (line.matches("\\s+\\d\\s+.*")) {
                String[] parts = line.strip().split("\\s+", 2);
                out.append(".TP\n.B ").append(parts[0]).append('\n').append(text(parts[1])).append('\n');
            }
        }
        environment(out);
        out.append(".SH FILES\n");
        for (String[] file : new String[][]{
                {"~/.config/monkey-coder/config.json", "The configuration; see monkey config."},
                {"~/.local/share/monkey-coder/monkey.db", "The usage ledger (SQLite)."},
                {"~/.local/state/monkey-coder/", "The daemon's pid, port, log and local.key (mode 0600), and chat_history."}}) {
            out.append(".TP\n.I ").append(text(file[0])).append('\n').append(text(file[1])).append('\n');
        }
        out.append(".PP\n").append(text("With MONKEY_CODER_HOME=H set, they are H/config/config.json, H/data/ and H/state/."))
                .append('\n');
        out.append(".SH \"SEE ALSO\"\n").append(text("monkey help COMMAND, monkey COMMAND --help; the README of Monkey Coder."))
                .append('\n');
        return out.toString();
    }

    private static void command(StringBuilder out, CommandLine cl, String qualified) {
        CommandSpec spec = cl.getCommandSpec();
        out.append(".SS \"").append(text(qualified)).append("\"\n");
        out.append(".nf\n").append(text(synopsis(cl))).append("\n.fi\n");
        for (String paragraph : spec.usageMessage().description()) {
            out.append(".PP\n").append(text(paragraph)).append('\n');
        }
        for (PositionalParamSpec p : spec.positionalParameters()) {
            out.append(".TP\n\\fI").append(text(p.paramLabel())).append("\\fR\n").append(text(description(p.description(),
                    p.defaultValue(), p.completionCandidates()))).append('\n');
        }
        options(out, spec);
        String[] footer = spec.usageMessage().footer();
        if (footer.length > 0 && "%nExamples:%n".equals(spec.usageMessage().footerHeading())) {
            out.append(".PP\nExamples:\n.RS\n.nf\n");
            for (String line : footer) {
                out.append(text(line.strip())).append('\n');
            }
            out.append(".fi\n.RE\n");
        }
        for (var sub : cl.getSubcommands().entrySet()) {
            command(out, sub.getValue(), qualified + " " + sub.getKey());
        }
    }

    private static void options(StringBuilder out, CommandSpec spec) {
        for (OptionSpec o : spec.options()) {
            if (o.hidden()) {
                continue;
            }
            List<String> names = new ArrayList<>();
            for (String n : o.names()) {
                names.add("\\fB" + text(n) + "\\fR");
            }
            out.append(".TP\n").append(String.join(", ", names));
            if (o.arity().max() > 0) {
                out.append("=\\fI").append(text(o.paramLabel())).append("\\fR");
            }
            out.append('\n').append(text(description(o.description(), o.defaultValue(), o.completionCandidates())))
                    .append('\n');
        }
    }

    private static String synopsis(CommandLine cl) {
        CommandLine.Help help = new CommandLine.Help(cl.getCommandSpec(),
                CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        return help.synopsis(0).replaceFirst("^Usage: ", "").stripTrailing();
    }

    private static String description(String[] lines, String defaultValue, Iterable<String> candidates) {
        String text = String.join(" ", lines);
        if (text.contains("${COMPLETION-CANDIDATES}") && candidates != null) {
            List<String> all = new ArrayList<>();
            candidates.forEach(all::add);
            text = text.replace("${COMPLETION-CANDIDATES}", String.join(", ", all));
        }
        return text.replace("${DEFAULT-VALUE}", String.valueOf(defaultValue));
    }

    private static void environment(StringBuilder out) {
        out.append(".SH ENVIRONMENT\n");
        for (Setting s : Settings.ALL) {
            out.append(".TP\n.B ").append(s.env()).append('\n').append(text(s.description() + " (config.json: "
                    + s.key() + (s.defaultValue() == null ? "" : "; default " + s.defaultValue()) + ")")).append('\n');
        }
        for (Map.Entry<String, String> e : Map.of(
                "MONKEY_CODER_API_KEY", "The mk- key sent to the gateway; for the local daemon it is read from state/local.key.",
                "MONKEY_CODER_HOME", "When set, every file lives under it (see FILES).",
                "MONKEY_CODER_INSECURE", "1: allow a plain http:// base URL on another machine, as --insecure does "
                        + "(keys and passwords then cross the network readable); http to 127.0.0.1, localhost and [::1] "
                        + "is always allowed.",
                "NO_COLOR", "When set to anything, no colours.").entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
            out.append(".TP\n.B ").append(e.getKey()).append('\n').append(text(e.getValue())).append('\n');
        }
        out.append(".PP\n").append(text("Provider keys (OPENAI_API_KEY, ANTHROPIC_API_KEY, GOOGLE_API_KEY, GROQ_API_KEY, "
                + "XAI_API_KEY, PERPLEXITY_API_KEY, MOONSHOT_API_KEY, OPENROUTER_API_KEY, OLLAMA_HOST) are read by the "
                + "gateway where it runs; monkey providers and monkey doctor say which are configured.")).append('\n');
    }

    /** Text for roff: backslashes and hyphens escaped, and no line may start with a control character. */
    static String text(String s) {
        String escaped = s.replace("\\", "\\e").replace("-", "\\-").replace("%n", "\n");
        StringBuilder out = new StringBuilder();
        for (String line : escaped.split("\n", -1)) {
            if (!out.isEmpty()) {
                out.append('\n');
            }
            out.append(line.startsWith(".") || line.startsWith("'") ? "\\&" + line : line);
        }
        return out.toString();
    }
}
