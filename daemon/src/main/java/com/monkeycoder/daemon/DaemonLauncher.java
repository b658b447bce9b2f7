package com.monkeycoder.daemon;

import com.monkeycoder.daemon.config.ConfigException;
import com.monkeycoder.daemon.config.GatewayConfig;
import com.monkeycoder.daemon.config.GatewayMode;
import com.monkeycoder.daemon.ledger.LedgerException;
import com.monkeycoder.daemon.logging.LogLine;
import com.monkeycoder.shared.GatewayLauncher;
import com.monkeycoder.shared.MonkeyPaths;
import com.monkeycoder.shared.PrivateFiles;
import com.monkeycoder.shared.Redaction;
import com.monkeycoder.shared.Version;

import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code monkey daemon run}: the gateway in the foreground. In local mode it writes its pid and port to the
 * state folder so the CLI can find and stop it; on SIGTERM or Ctrl-C it drains, then removes them. Everything it
 * writes, to stdout (started, stopping) or stderr (could not start, requests, libraries), is one JSON object a line.
 */
public final class DaemonLauncher implements GatewayLauncher {

    /** Exit codes of the README ("Exit codes"). */
    private static final int OK = 0;
    private static final int FAILED = 1;
    private static final int CONFIG = 3;

    @Override
    public int runForeground(Map<String, String> env, Integer port, String mode, PrintStream out, PrintStream err) {
        GatewayMode gatewayMode;
        try {
            gatewayMode = mode == null ? GatewayMode.LOCAL : GatewayMode.valueOf(mode.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            notStarted(err, "unknown mode '" + mode + "': use local or gateway", 2);
            return 2;
        }
        // SIGTERM and Ctrl-C are taken from here on, before the port opens. One that arrives while the gateway is
        // still starting (a database being waited for, or a supervisor that saw the port open) ends the start at
        // once, with a line that says so; once started, it drains (below).
        CountDownLatch stopRequested = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean started = new java.util.concurrent.atomic.AtomicBoolean();
        trapStopSignals(() -> {
            if (started.get()) {
                stopRequested.countDown();
            } else {
                LogLine.write(out, "INFO", "stopping", "monkey gateway stopping: asked to stop while starting", Map.of());
                System.exit(OK);
            }
        });
        Gateway gateway;
        GatewayConfig config;
        try {
            config = GatewayConfig.resolve(env, port, gatewayMode);
            gateway = Gateway.start(config, Clock.systemUTC());
        } catch (ConfigException e) {
            notStarted(err, e.getMessage(), CONFIG);
            return CONFIG;
        } catch (LedgerException e) {
            notStarted(err, e.getMessage(), FAILED);
            return FAILED;
        } catch (RuntimeException e) {
            if (rootCause(e) instanceof BindException) {
                notStarted(err, "port " + (port != null ? port : "configured") + " is already in use: stop what"
                        + " listens there, or choose another with --port or MONKEY_CODER_PORT", CONFIG);
                return CONFIG;
            }
            // Never a raw stack trace: a driver's message may quote a URL with its password.
            notStarted(err, "the gateway did not start: " + Redaction.secrets(String.valueOf(e.getMessage()))
                    + (e.getCause() != null ? " (" + Redaction.secrets(String.valueOf(e.getCause().getMessage())) + ")" : ""),
                    FAILED);
            return FAILED;
        }
        started.set(true);
        MonkeyPaths paths = config.paths();
        long pid = ProcessHandle.current().pid();
        try {
            writeState(paths, pid, gateway.port());
        } catch (IOException e) {
            notStarted(err, "cannot write the daemon's state files in " + paths.stateDir() + ": " + e.getMessage(), FAILED);
            gateway.close();
            return FAILED;
        }
        String modeName = gatewayMode.name().toLowerCase(Locale.ROOT);
        String url = "http://" + config.host() + ":" + gateway.port();
        LogLine.write(out, "INFO", "listening", "monkey gateway listening on " + url + " (pid " + pid + ", mode "
                + modeName + ", data " + paths.dataDir() + ")", orderedFields("url", url, "port", gateway.port(),
                "pid", pid, "mode", modeName, "version", Version.current()));

        // SIGTERM and Ctrl-C drain on this thread and the process then exits 0, as orchestrators expect of a clean
        // stop (a JVM ended by the signal's default action exits 143). Other ways out (SIGHUP, System.exit) still
        // drain through the shutdown hook.
        java.util.concurrent.atomic.AtomicBoolean closing = new java.util.concurrent.atomic.AtomicBoolean();
        Runnable stop = () -> {
            if (closing.compareAndSet(false, true)) {
                LogLine.write(out, "INFO", "stopping", "monkey gateway stopping: draining in-flight requests", Map.of());
                gateway.close();
                removeState(paths, pid);
            }
        };
        Thread hook = new Thread(stop, "gateway-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            stopRequested.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stop.run();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is exiting already; the hook found the gateway closed
        }
        return OK;
    }

    @Override
    public AdminCreated createAdmin(Map<String, String> env, String email, java.util.function.Supplier<String> password) {
        GatewayConfig config;
        try {
            config = GatewayConfig.resolve(env, null, GatewayMode.GATEWAY);
        } catch (ConfigException e) {
            throw new Failure(CONFIG, e.getMessage());
        }
        String url = config.accounts().databaseUrl();
        if (url == null) {
            throw new Failure(CONFIG, "no database: set DATABASE_URL as for 'monkey daemon run --mode gateway'");
        }
        try (com.monkeycoder.daemon.store.Database database = com.monkeycoder.daemon.store.Database.open(url, 2)) {
            com.monkeycoder.daemon.store.Migrations.apply(database);
            Clock clock = Clock.systemUTC();
            var changes = new com.monkeycoder.daemon.accounts.AccountChanges(database,
                    new com.monkeycoder.daemon.audit.JdbcAuditLog(database, clock), clock);
            var made = new com.monkeycoder.daemon.admin.FirstAdmin(changes,
                    new com.monkeycoder.daemon.accounts.PasswordHasher(), clock,
                    config.accounts().starterCreditMicros()).make(email, password);
            return new AdminCreated(made.outcome().name().toLowerCase(Locale.ROOT), made.accountId(), made.email());
        } catch (com.monkeycoder.daemon.errors.ApiError e) {
            throw new Failure(2, e.getMessage());
        } catch (ConfigException e) {
            throw new Failure(CONFIG, e.getMessage());
        } catch (java.sql.SQLException e) {
            throw new Failure(FAILED, "cannot use the gateway's database: " + Redaction.secrets(String.valueOf(e.getMessage())));
        }
    }

    /** SIGTERM and SIGINT run {@code onStop} instead of ending the JVM. */
    @SuppressWarnings("removal")
    private static void trapStopSignals(Runnable onStop) {
        for (String name : new String[]{"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> onStop.run());
            } catch (IllegalArgumentException | UnsupportedOperationException notHere) {
                // a platform without this signal, or one the JVM reserves: the shutdown hook drains instead
            }
        }
    }

    /**
     * The one line a start that fails writes: a JSON object like every other line of the daemon's log, whose
     * message {@code monkey daemon start} shows when the daemon it spawned does not come up.
     */
    private static void notStarted(PrintStream err, String message, int exitCode) {
        LogLine.write(err, "ERROR", "start_failed", message, Map.of("exit_code", exitCode));
    }

    private static Map<String, Object> orderedFields(Object... namesAndValues) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return fields;
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    private static void writeState(MonkeyPaths paths, long pid, int port) throws IOException {
        PrivateFiles.ownDirectory(paths.stateDir());
        writeAtomically(paths.portFile(), Integer.toString(port));
        writeAtomically(paths.pidFile(), Long.toString(pid));
    }

    private static void writeAtomically(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        PrivateFiles.file(tmp); // 0600, like every state file
        Files.writeString(tmp, content + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** Removes the state files only if they are still ours (a newer daemon may have replaced them). */
    private static void removeState(MonkeyPaths paths, long pid) {
        try {
            if (Files.isRegularFile(paths.pidFile())
                    && Files.readString(paths.pidFile()).strip().equals(Long.toString(pid))) {
                Files.deleteIfExists(paths.pidFile());
                Files.deleteIfExists(paths.portFile());
            }
        } catch (IOException ignored) {
            // best effort on the way out
        }
    }
}
