package com.monkeycoder.cli.auth;

import com.monkeycoder.cli.CliContext;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Where the CLI's key for a gateway comes from: {@code MONKEY_CODER_API_KEY} always wins; else the
 * OS keyring (java-keyring, service {@code monkey-coder}); else a 0600 file in the config folder when no keyring
 * answers. On Linux without a session bus ({@code DBUS_SESSION_BUS_ADDRESS} unset: SSH, CI, containers) the
 * keyring is not even tried, and {@code MONKEY_CODER_KEYRING=off} skips it anywhere.
 */
public final class KeyStores {

    public static final String API_KEY_ENV = "MONKEY_CODER_API_KEY";
    static final Duration KEYRING_TIMEOUT = Duration.ofSeconds(3);

    private final CliContext context;
    private final PrintWriter err;
    private final FileCredentialStore file;
    private KeyringCredentialStore keyring;
    private String keyringProblem;
    private boolean keyringTried;

    public KeyStores(CliContext context, PrintWriter err) {
        this.context = context;
        this.err = err;
        this.file = new FileCredentialStore(context.paths().configDir().resolve("credentials.json"));
    }

    /** A key and where it was found. */
    public record Found(Credentials credentials, String source, boolean fromEnvironment) {
    }

    /** The key for {@code baseUrl}: the environment's, else the keyring's, else the file's. */
    public Optional<Found> find(String baseUrl) {
        String env = context.env(API_KEY_ENV);
        if (env != null) {
            return Optional.of(new Found(new Credentials(env, null, null), "the environment (" + API_KEY_ENV + ")", true));
        }
        Optional<KeyringCredentialStore> ring = keyring();
        if (ring.isPresent()) {
            try {
                Optional<Credentials> c = ring.get().read(baseUrl);
                if (c.isPresent()) {
                    return Optional.of(new Found(c.get(), ring.get().describe(), false));
                }
            } catch (KeyringCredentialStore.Unavailable e) {
                keyringProblem = e.getMessage();
                keyring = null;
            }
        }
        return file.read(baseUrl).map(c -> new Found(c, file.describe(), false));
    }

    /** Keeps the key for {@code baseUrl}, in the keyring when one answers, else in the file (saying so); returns where. */
    public String save(String baseUrl, Credentials credentials) {
        Optional<KeyringCredentialStore> ring = keyring();
        if (ring.isPresent()) {
            try {
                ring.get().write(baseUrl, credentials);
                file.delete(baseUrl); // one place only: an older file copy would shadow nothing, but it would linger
                return ring.get().describe();
            } catch (KeyringCredentialStore.Unavailable e) {
                keyringProblem = e.getMessage();
                keyring = null;
            }
        }
        file.write(baseUrl, credentials);
        err.println("monkey: no OS keyring (" + keyringProblem + "); the key is kept in " + file.file()
                + ", readable only by you");
        err.flush();
        return file.describe();
    }

    /** Forgets the key for {@code baseUrl} wherever the CLI kept it; returns where it was, if anywhere. */
    public Optional<String> forget(String baseUrl) {
        String where = null;
        Optional<KeyringCredentialStore> ring = keyring();
        if (ring.isPresent()) {
            try {
                if (ring.get().delete(baseUrl)) {
                    where = ring.get().describe();
                }
            } catch (KeyringCredentialStore.Unavailable e) {
                keyringProblem = e.getMessage();
            }
        }
        if (file.delete(baseUrl)) {
            where = file.describe();
        }
        return Optional.ofNullable(where);
    }

    /** Where a new key would be kept now, for {@code monkey auth status}. */
    public String storeInUse() {
        return keyring().map(KeyringCredentialStore::describe)
                .orElse(file.describe() + ", as there is no OS keyring: " + keyringProblem);
    }

    public Path file() {
        return file.file();
    }

    private Optional<KeyringCredentialStore> keyring() {
        if (!keyringTried) {
            keyringTried = true;
            String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
            if ("off".equalsIgnoreCase(context.env("MONKEY_CODER_KEYRING"))) {
                keyringProblem = "MONKEY_CODER_KEYRING=off";
            } else if (os.contains("linux") && context.env("DBUS_SESSION_BUS_ADDRESS") == null) {
                keyringProblem = "no D-Bus session: DBUS_SESSION_BUS_ADDRESS is not set";
            } else {
                try {
                    keyring = KeyringCredentialStore.open(KEYRING_TIMEOUT);
                } catch (KeyringCredentialStore.Unavailable e) {
                    keyringProblem = e.getMessage();
                }
            }
        }
        return Optional.ofNullable(keyring);
    }
}
