package com.monkeycoder.cli.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.cli.ExitException;
import com.monkeycoder.cli.config.Settings;
import com.monkeycoder.shared.Json;
import com.monkeycoder.shared.MonkeyPaths;
import com.monkeycoder.shared.PrivateFiles;
import com.monkeycoder.shared.config.ConfigKey;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Finds, starts and stops the local daemon through the pid and port files in the state folder. Starting runs
 * {@code monkey daemon run} as a detached background process with its output in {@code state/daemon.log}.
 */
public final class DaemonControl {

    public static final int DEFAULT_PORT = ConfigKey.PORT.intDefault();

    /** Replaces {@link #DEFAULT_JAVA_OPTS} for the daemon's JVM: options separated by spaces. */
    public static final String JAVA_OPTS_ENV = "MONKEY_CODER_DAEMON_JAVA_OPTS";

    /**
     * The daemon's JVM options unless {@link #JAVA_OPTS_ENV} is set: a fixed 128 MB heap with the serial
     * collector. Without them the JVM sizes its heap from the machine (a quarter of RAM) and G1 grows it freely:
     * on a 24 GB machine the daemon reached 560-880 MB of RSS under load. With them, 1,000 concurrent open
     * streams peak at about 235 MB RSS (the benchmark's open1000), and throughput at concurrency 32 is that of
     * the JVM's defaults. The serial collector suits one small heap on few cores: no concurrent GC threads, the
     * least native memory, young pauses of a few ms. The C1-only {@code -XX:TieredStopAtLevel=1} saves about 20 MB
     * more but costs a quarter of the throughput, so it is not used. Both options work on every JDK from 21 on.
     * The README's Benchmark section has the measurements.
     */
    static final List<String> DEFAULT_JAVA_OPTS = List.of("-XX:+UseSerialGC", "-Xmx128m");
    /** Set by the installed launcher: the class path with the gateway's jars, for the daemon it spawns. */
    public static final String GATEWAY_CLASSPATH_PROPERTY = "monkey.gateway.classpath";
    /** Set by the installed launcher: the JVM options that use the gateway's AOT cache, or empty. */
    public static final String GATEWAY_AOT_PROPERTY = "monkey.gateway.aot";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    /** Poll interval while {@link #start} waits for {@code /health}. */
    private static final long START_POLL_MS = 25;
    /** A health answer is a few hundred bytes; more than this is not our daemon. */
    private static final int HEALTH_MAX_BYTES = 64 * 1024;

    /** A daemon that answers: its pid (from the pid file), port and version. */
    public record RunningDaemon(long pid, int port, String version) {
    }

    private final CliContext context;
    private final MonkeyPaths paths;

    public DaemonControl(CliContext context) {
        this.context = context;
        this.paths = context.paths();
    }

    public MonkeyPaths paths() {
        return paths;
    }

    /** The port a daemon started now would use: MONKEY_CODER_PORT, then config.json's "port", then 8420. */
    public int configuredPort() {
        Settings.Resolved port = new Settings(context).resolve(Settings.PORT);
        try {
            return Integer.parseInt(port.value().strip());
        } catch (NumberFormatException e) {
            throw new ExitException(ExitCodes.CONFIG_OR_AUTH, (port.source() == Settings.Source.ENV
                    ? "MONKEY_CODER_PORT=" + port.value() : "\"port\": " + port.value() + " in " + paths.configFile())
                    + " is not a port number");
        }
    }

    /** The daemon recorded in the state folder, if it is alive and answers its health check. */
    public Optional<RunningDaemon> running() {
        Optional<Long> pid = readLong(paths.pidFile());
        Optional<Long> port = readLong(paths.portFile());
        if (pid.isEmpty() || port.isEmpty()) {
            return Optional.empty();
        }
        boolean alive = ProcessHandle.of(pid.get()).map(ProcessHandle::isAlive).orElse(false);
        if (!alive) {
            return Optional.empty();
        }
        return health(port.get().intValue()).map(version -> new RunningDaemon(pid.get(), port.get().intValue(), version));
    }

    /**
     * The version a gateway on this loopback port reports, if one answers there. One HTTP/1.1 GET over a plain
     * socket: the JDK's HttpClient (and with it TLS, about 480 classes) was loaded for this on every CLI start.
     */
    public static Optional<String> health(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getByAddress(new byte[]{127, 0, 0, 1}), port), 500);
            socket.setSoTimeout(2000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /health HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUser-Agent: monkey-cli\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readNBytes(HEALTH_MAX_BYTES), StandardCharsets.UTF_8);
            if (!answer.startsWith("HTTP/1.1 200 ") && !answer.startsWith("HTTP/1.0 200 ")) {
                return Optional.empty();
            }
            int headersEnd = answer.indexOf("\r\n\r\n");
            // The body is one JSON object; with chunked encoding it sits between the chunk-size lines.
            int open = headersEnd < 0 ? -1 : answer.indexOf('{', headersEnd);
            int close = answer.lastIndexOf('}');
            if (open < 0 || close < open) {
                return Optional.empty();
            }
            JsonNode body = Json.mapper().readTree(answer.substring(open, close + 1));
            return "ok".equals(body.path("status").asText()) ? Optional.of(body.path("version").asText("?")) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Starts the daemon in the background and returns once {@code /health} answers. */
    public RunningDaemon start(Integer portFlag) {
        Optional<RunningDaemon> already = running();
        if (already.isPresent()) {
            return already.get();
        }
        int port = portFlag != null ? portFlag : configuredPort();
        try {
            // The state folder (0700) and the log (0600) are the user's alone: the log names keys and models.
            PrivateFiles.ownDirectory(paths.stateDir());
            PrivateFiles.file(paths.logFile());
        } catch (IOException e) {
            throw new ExitException(ExitCodes.CONFIG_OR_AUTH, "cannot create " + paths.stateDir() + ": " + e.getMessage());
        }
        Process process;
        try {
            ProcessBuilder pb = new ProcessBuilder(command(port))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(paths.logFile().toFile()))
                    .redirectErrorStream(true);
            pb.environment().clear();
            pb.environment().putAll(context.env());
            process = pb.start();
        } catch (IOException e) {
            throw new ExitException(ExitCodes.UNEXPECTED, "cannot start the daemon: " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<RunningDaemon> up = running();
            if (up.isPresent()) {
                return up.get();
            }
            if (!process.isAlive() && process.exitValue() != 0) {
                break; // it failed; its log says why
            }
            sleep(START_POLL_MS);
        }
        throw new ExitException(ExitCodes.CONFIG_OR_AUTH, "the daemon did not start on port " + port + ": "
                + lastLogLine().orElse("no output") + " (log: " + paths.logFile() + ")");
    }

    /** The JVM options the daemon starts with: {@link #JAVA_OPTS_ENV} when set, else the defaults. */
    List<String> javaOptions() {
        String override = context.env(JAVA_OPTS_ENV);
        return override == null ? DEFAULT_JAVA_OPTS : List.of(override.split("\\s+"));
    }

    /** The command line of {@code monkey daemon start}'s background process. */
    List<String> command(int port) {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>();
        // setsid puts the daemon in its own session, so a Ctrl-C in this terminal does not stop it.
        if (setsid()) {
            cmd.add("/usr/bin/setsid");
        }
        cmd.add(java);
        cmd.addAll(javaOptions());
        // The gateway's AOT cache options, when the installed launcher has one that fits this Java (it says so).
        String aot = System.getProperty(GATEWAY_AOT_PROPERTY);
        if (aot != null && !aot.isBlank()) {
            cmd.addAll(List.of(aot.strip().split("\\s+")));
        }
        cmd.addAll(quietingOptions(Runtime.version()));
        cmd.add("-cp");
        cmd.add(gatewayClassPath());
        cmd.add("com.monkeycoder.cli.Main");
        cmd.add("daemon");
        cmd.add("run");
        cmd.add("--port");
        cmd.add(Integer.toString(port));
        return cmd;
    }

    /**
     * Options that keep the JVM's own warnings out of the daemon's log, whose every line is a JSON object. SQLite's
     * JDBC driver loads its native library: allow it. JBoss Threads (under Undertow) reads a field offset through
     * {@code sun.misc.Unsafe} when it loads, and it has no setting to avoid that: JDK 24+ warns of it in four lines
     * on every start unless the option made for it, from JDK 23 on, allows it. A JDK 21 or 22 refuses to start with
     * an option it does not know, so it gets it only from 23 on. The daemon runs the same Java as this CLI.
     */
    static List<String> quietingOptions(Runtime.Version java) {
        return java.feature() >= 23
                ? List.of("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow")
                : List.of("--enable-native-access=ALL-UNNAMED");
    }

    /**
     * The gateway's class path: the installed launcher runs the CLI with the CLI's jars only and names the whole
     * distribution in {@value #GATEWAY_CLASSPATH_PROPERTY}; elsewhere (tests, IDEs) the CLI's own class path.
     */
    static String gatewayClassPath() {
        String gateway = System.getProperty(GATEWAY_CLASSPATH_PROPERTY);
        return gateway == null || gateway.isBlank() ? System.getProperty("java.class.path") : gateway;
    }

    private static boolean setsid() {
        return Files.isExecutable(Path.of("/usr/bin/setsid"));
    }

    /** Asks the daemon to drain and exit (SIGTERM); forces it after the timeout. False when none was running. */
    public boolean stop(Duration timeout) {
        Optional<Long> pid = readLong(paths.pidFile());
        Optional<ProcessHandle> handle = pid.flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive);
        if (handle.isEmpty()) {
            cleanUpStateFiles();
            return false;
        }
        ProcessHandle process = handle.get();
        process.destroy();
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            process.destroyForcibly();
        } catch (ExecutionException e) {
            throw new ExitException(ExitCodes.UNEXPECTED, "could not wait for the daemon to stop: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        cleanUpStateFiles();
        return true;
    }

    private void cleanUpStateFiles() {
        try {
            Optional<Long> pid = readLong(paths.pidFile());
            if (pid.isEmpty() || ProcessHandle.of(pid.get()).map(p -> !p.isAlive()).orElse(true)) {
                Files.deleteIfExists(paths.pidFile());
                Files.deleteIfExists(paths.portFile());
            }
        } catch (IOException ignored) {
            // stale files are harmless: running() checks the process
        }
    }

    /** The message of the log's last line (a JSON object, as the daemon writes them), or the line itself. */
    private Optional<String> lastLogLine() {
        try {
            List<String> lines = Files.readAllLines(paths.logFile());
            for (int i = lines.size() - 1; i >= 0; i--) {
                String line = lines.get(i).strip();
                if (!line.isEmpty()) {
                    return Optional.of(DaemonLogLine.parse(line).map(DaemonLogLine::message).orElse(line));
                }
            }
        } catch (IOException ignored) {
            // no log yet
        }
        return Optional.empty();
    }

    private static Optional<Long> readLong(Path file) {
        try {
            return Optional.of(Long.parseLong(Files.readString(file).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
