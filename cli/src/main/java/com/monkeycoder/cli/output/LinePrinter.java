package com.monkeycoder.cli.output;

import java.io.PrintWriter;

/**
 * Prints a streamed answer as it arrives, without the model's control characters, and remembers whether the last
 * line was ended so that what follows (an error, a prompt, the next answer) starts on its own line.
 */
public final class LinePrinter {

    private final PrintWriter out;
    private boolean endsWithNewline = true;

    public LinePrinter(PrintWriter out) {
        this.out = out;
    }

    public void print(String raw) {
        String text = SafeText.of(raw); // the model's words, never its escape sequences
        if (text.isEmpty()) {
            return;
        }
        out.print(text);
        out.flush();
        endsWithNewline = text.endsWith("\n");
    }

    /** Ends the last line, if it has one. */
    public void endLine() {
        if (!endsWithNewline) {
            out.println();
            out.flush();
            endsWithNewline = true;
        }
    }
}
