package com.monkeycoder.cli.chat;

import org.jline.reader.EOFError;
import org.jline.reader.ParsedLine;
import org.jline.reader.impl.DefaultParser;

/**
 * JLine's parser, plus: a line that ends in a backslash is not finished, so Enter there continues the message on
 * the next line (JLine then shows the secondary prompt). {@link #join} turns the result into the message's text.
 */
final class ContinuationParser extends DefaultParser {

    ContinuationParser() {
        // Messages are prose: quotes and backslashes in them are text, not shell syntax.
        quoteChars(new char[0]);
        escapeChars(new char[0]);
    }

    @Override
    public ParsedLine parse(String line, int cursor, ParseContext context) {
        if (context == ParseContext.ACCEPT_LINE && line.endsWith("\\") && !line.endsWith("\\\\")) {
            throw new EOFError(-1, cursor, "continued on the next line", "\\");
        }
        return super.parse(line, cursor, context);
    }

    /** The message a multi-line input stands for: each backslash that ended a line is dropped. */
    static String join(String line) {
        return line.replace("\\\n", "\n");
    }
}
