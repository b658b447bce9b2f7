package com.monkeycoder.cli.client;

import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.cli.ExitException;
import com.monkeycoder.cli.auth.KeyStores;
import com.monkeycoder.cli.config.Settings;
import com.monkeycoder.cli.daemon.DaemonControl;
import com.monkeycoder.cli.terminal.Spinner;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;

/**
 * Decides where the CLI talks to: the base URL {@code local} means this machine's daemon,
 * started on first use; anything else is a shared gateway's URL.
 */
public final class Connections {

    public static final String LOCAL = "local";

    private Connections() {
    }

    /**
     * @param baseUrlFlag   the {@code --base-url} flag, or null
     * @param insecureFlag  {@code --insecure}: plain http to another machine is allowed (so is MONKEY_CODER_INSECURE=1)
     * @param err           where to say that the daemon was started (and, on a terminal, that it is starting)
     */
    public static Connection resolve(CliContext context, String baseUrlFlag, boolean insecureFlag, PrintWriter err) {
        String baseUrl = new Settings(context).resolve(Settings.BASE_URL, baseUrlFlag, "--base-url").value();
        String apiKey = context.env("MONKEY_CODER_API_KEY");
        if (!baseUrl.equals(LOCAL)) {
            if (!baseUrl.startsWith("http://") && !baseUrl.startsWith("https://")) {
                throw new ExitException(ExitCodes.CONFIG_OR_AUTH, "base URL '" + baseUrl
                        + "' is neither 'local' nor an http(s) URL");
            }
            String url = trimSlash(baseUrl);
            boolean plainHttpAllowed = PlainHttp.allowed(context, insecureFlag);
            PlainHttp.check(url, plainHttpAllowed); // before a key is looked up, let alone sent
            if (apiKey == null) {
                // The key 'monkey auth login' saved for this gateway (OS keyring, else the 0600 file).
                apiKey = new KeyStores(context, err).find(url).map(f -> f.credentials().apiKey()).orElse(null);
            }
            if (apiKey == null) {
                throw new ExitException(ExitCodes.CONFIG_OR_AUTH, "no API key for " + baseUrl
                        + ": run 'monkey auth login --base-url " + url + "', or set MONKEY_CODER_API_KEY to your mk- key");
            }
            return new Connection(url, apiKey, false, plainHttpAllowed);
        }
        DaemonControl daemon = new DaemonControl(context);
        DaemonControl.RunningDaemon running = daemon.running().orElseGet(() -> {
            DaemonControl.RunningDaemon started;
            // A JVM start takes seconds: without this, the first command looks hung.
            try (Spinner spinner = Spinner.start(err, "starting the local daemon", context.errInteractive(), context.env())) {
                started = daemon.start(null);
            }
            err.println("monkey: started the local daemon on port " + started.port() + " (stop it with: monkey daemon stop)");
            err.flush();
            return started;
        });
        String key = apiKey != null ? apiKey : localKey(context, daemon);
        return new Connection("http://127.0.0.1:" + running.port(), key, true);
    }

    private static String localKey(CliContext context, DaemonControl daemon) {
        String fromEnv = context.env("MONKEY_CODER_LOCAL_KEY");
        if (fromEnv != null) {
            return fromEnv;
        }
        try {
            String key = Files.readString(daemon.paths().localKeyFile()).strip();
            if (!key.isEmpty()) {
                return key;
            }
        } catch (IOException e) {
            // answered below
        }
        throw new ExitException(ExitCodes.CONFIG_OR_AUTH, "cannot read the local daemon's key at "
                + daemon.paths().localKeyFile() + ": restart the daemon (monkey daemon stop) or set MONKEY_CODER_API_KEY");
    }

    private static String trimSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
