package com.monkeycoder.cli.help;

import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.terminal.SystemStreams;
import picocli.CommandLine;
import picocli.CommandLine.Help;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * How {@code --help} is laid out: descriptions wrap at the terminal's width ({@code COLUMNS}, else the terminal's
 * own size, else 80), and examples are printed as written, whatever the width: a command wrapped in its middle, or
 * a URL split in two, could no longer be pasted.
 */
public final class HelpLayout {

    /** picocli refuses a narrower usage message. */
    private static final int NARROWEST = 55;

    private HelpLayout() {
    }

    /** Applies the layout to {@code cl} and every subcommand it has now. */
    public static void apply(CommandLine cl, CliContext context) {
        // The width is looked up when help is printed, not when the command line is built: most runs print none.
        cl.setHelpFactory((spec, colors) -> {
            spec.usageMessage().width(width(context));
            return new Help(spec, colors);
        });
        Map<String, CommandLine.IHelpSectionRenderer> sections = new LinkedHashMap<>(cl.getHelpSectionMap());
        sections.put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_FOOTER, HelpLayout::footerAsWritten);
        cl.setHelpSectionMap(sections);
    }

    static int width(CliContext context) {
        OptionalInt columns = columns(context.env("COLUMNS"));
        if (columns.isEmpty() && context.interactive()) {
            columns = SystemStreams.stdoutWidth();
        }
        return Math.max(NARROWEST, columns.orElse(CommandLine.Model.UsageMessageSpec.DEFAULT_USAGE_WIDTH));
    }

    private static OptionalInt columns(String value) {
        try {
            int columns = value == null ? 0 : Integer.parseInt(value);
            return columns > 0 ? OptionalInt.of(columns) : OptionalInt.empty();
        } catch (NumberFormatException notANumber) {
            return OptionalInt.empty();
        }
    }

    /** The footer (our commands' examples) line by line, unwrapped. */
    private static String footerAsWritten(Help help) {
        StringBuilder out = new StringBuilder();
        for (String line : help.commandSpec().usageMessage().footer()) {
            out.append(help.colorScheme().text(String.format(line))).append(System.lineSeparator());
        }
        return out.toString();
    }
}
