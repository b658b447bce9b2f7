package com.monkeycoder.shared;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where Monkey Coder keeps its files. With {@code MONKEY_CODER_HOME=H} everything lives
 * under H (tests always set it); otherwise the XDG base directories are used.
 *
 * @param configDir holds {@code config.json}
 * @param dataDir   holds the SQLite database {@code monkey.db}
 * @param stateDir  holds the daemon's pid, port, log and the local key
 */
public record MonkeyPaths(Path configDir, Path dataDir, Path stateDir) {

    public static final String HOME_ENV = "MONKEY_CODER_HOME";

    /** Resolves the paths from an environment (usually {@code System.getenv()}). */
    public static MonkeyPaths from(Map<String, String> env) {
        String home = env.get(HOME_ENV);
        if (home != null && !home.isBlank()) {
            Path root = Path.of(home).toAbsolutePath();
            return new MonkeyPaths(root.resolve("config"), root.resolve("data"), root.resolve("state"));
        }
        Path userHome = Path.of(env.getOrDefault("HOME", System.getProperty("user.home")));
        return new MonkeyPaths(
                xdg(env, "XDG_CONFIG_HOME", userHome.resolve(".config")).resolve("monkey-coder"),
                xdg(env, "XDG_DATA_HOME", userHome.resolve(".local/share")).resolve("monkey-coder"),
                xdg(env, "XDG_STATE_HOME", userHome.resolve(".local/state")).resolve("monkey-coder"));
    }

    private static Path xdg(Map<String, String> env, String name, Path fallback) {
        String value = env.get(name);
        // The XDG spec says relative values are invalid and must be ignored.
        return value != null && value.startsWith("/") ? Path.of(value) : fallback;
    }

    public Path configFile() {
        return configDir.resolve("config.json");
    }

    public Path database() {
        return dataDir.resolve("monkey.db");
    }

    public Path pidFile() {
        return stateDir.resolve("daemon.pid");
    }

    public Path portFile() {
        return stateDir.resolve("daemon.port");
    }

    public Path logFile() {
        return stateDir.resolve("daemon.log");
    }

    public Path localKeyFile() {
        return stateDir.resolve("local.key");
    }
}
