package com.monkeycoder.cli;

import com.monkeycoder.shared.Version;

/** The {@code monkey} executable. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        if (versionOnly(args)) {
            // The commonest probe of an installed CLI: no picocli, no command classes, no context.
            System.out.println(versionLine());
            System.exit(0);
        }
        int code = Monkey.commandLineFor(CliContext.system(), args).execute(args);
        System.exit(code);
    }

    /** True for exactly {@code monkey --version} (or {@code -V}): answered without building any command. */
    static boolean versionOnly(String[] args) {
        return args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"));
    }

    /** What {@code monkey --version} prints. */
    static String versionLine() {
        return "monkey " + Version.current() + " (Java " + Runtime.version() + ")";
    }
}
