package com.monkeycoder.cli.config;

import com.monkeycoder.cli.CliContext;
import com.monkeycoder.shared.config.ConfigKey;

import java.io.PrintWriter;

/** What a user should know after changing a key: an env var that hides it, a daemon that must restart. */
final class ConfigNotes {

    private ConfigNotes() {
    }

    static void print(PrintWriter err, CliContext context, Setting setting) {
        if (context.env(setting.env()) != null) {
            err.println("monkey: note: " + setting.env() + " is set in the environment and takes precedence over config.json");
        }
        if (setting.reader() != ConfigKey.Scope.CLI) {
            err.println("monkey: note: the daemon reads " + setting.key() + " when it starts; restart it to apply: monkey daemon stop");
        }
        err.flush();
    }
}
