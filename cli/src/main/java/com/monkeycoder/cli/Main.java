package com.monkeycoder.cli;

/** The {@code monkey} executable. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        if (Monkey.versionOnly(args)) {
            // The commonest probe of an installed CLI: no command tree, no context, no terminal checks.
            System.out.println(Monkey.versionLine());
            System.exit(0);
        }
        int code = Monkey.commandLineFor(CliContext.system(), args).execute(args);
        System.exit(code);
    }
}
