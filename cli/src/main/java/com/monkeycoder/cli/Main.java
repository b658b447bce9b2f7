package com.monkeycoder.cli;

/** The {@code monkey} executable. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        int code = Monkey.commandLine(CliContext.system()).execute(args);
        System.exit(code);
    }
}
