package com.monkeycoder.cli.terminal;

import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

import java.io.IOException;

/** Opens the JLine terminal the chat REPL runs on; tests open a dumb terminal on scripted streams instead. */
@FunctionalInterface
public interface TerminalOpener {

    Terminal open() throws IOException;

    /**
     * This process's terminal. When stdout is not one (a file), JLine gives a dumb terminal that reads lines. (With
     * stdin a pipe, the chat reads lines without a terminal at all.)
     */
    static TerminalOpener system() {
        return () -> TerminalBuilder.builder().name("monkey").system(true).dumb(true).nativeSignals(true).build();
    }
}
