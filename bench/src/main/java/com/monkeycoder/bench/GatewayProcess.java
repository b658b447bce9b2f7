package com.monkeycoder.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Monkey Coder under test, started exactly as a user starts it, in either launch mode: {@link #start} runs
 * {@code monkey daemon start} (the CLI spawns the daemon in the background and returns once it answers
 * {@code /health}; the pid comes from the daemon's pid file), {@link #run} runs {@code monkey daemon run} in the
 * foreground as a process manager or a container would. With an installed launcher ({@code install.sh} into a
 * temporary prefix) both go through it, so the JVM options, class path and start-up caches are the ones users get
 * (or {@code MONKEY_CODER_DAEMON_JAVA_OPTS} when the bench is asked to try others); without one, {@code daemon
 * start} runs from the built distribution. {@link #stop()} ends the daemon's pid.
 *
 * @param pid     the daemon's process id
 * @param port    its port on 127.0.0.1
 * @param home    its {@code MONKEY_CODER_HOME}
 * @param jvmArgs the JVM options it actually runs with, read back from {@code /proc/PID/cmdline}
 */
record GatewayProcess(long pid, int port, Path home, List<String> jvmArgs) {

    /**
     * @param env      the daemon's environment (keys, base URLs); {@code MONKEY_CODER_HOME} and the port are added
     * @param javaOpts JVM options to use instead of the daemon's defaults, or null for the defaults
     * @param config   the contents of {@code config/config.json}, or null for none
     */
    static GatewayProcess start(String java, Path dist, Path launcher, Path home, Map<String, String> env,
                                String javaOpts, String config) throws IOException, InterruptedException {
        Map<String, String> all = prepare(home, env, javaOpts, config);
        int port = Processes.freePort();
        Path cliLog = home.resolve("state/cli.log");
        List<String> command = launcher != null
                ? List.of(launcher.toString(), "daemon", "start", "--port", Integer.toString(port))
                // What the installed `monkey` launcher runs for the CLI (install.sh), with `daemon start`.
                : List.of(java, "-XX:TieredStopAtLevel=1", "-Xshare:auto", "--enable-native-access=ALL-UNNAMED",
                        "-cp", dist.resolve("*").toString(), "com.monkeycoder.cli.Main",
                        "daemon", "start", "--port", Integer.toString(port));
        Process cli = Processes.start(command, all, cliLog);
        if (!cli.waitFor(90, TimeUnit.SECONDS)) {
            cli.destroyForcibly();
            throw new IOException("`monkey daemon start` did not return in 90 s; log: " + Processes.tail(cliLog));
        }
        Optional<Long> pid = readPid(home);
        if (cli.exitValue() != 0 || pid.isEmpty()) {
            pid.ifPresent(p -> ProcessHandle.of(p).ifPresent(ProcessHandle::destroyForcibly));
            throw new IOException("`monkey daemon start` failed with exit code " + cli.exitValue() + ": "
                    + Processes.tail(cliLog) + " | daemon log: " + Processes.tail(home.resolve("state/daemon.log")));
        }
        return new GatewayProcess(pid.get(), port, home, jvmArgs(pid.get()));
    }

    /**
     * {@code monkey daemon run --port P} through the installed launcher, in the foreground (its output to
     * {@code state/daemon.log}); returns once it answers {@code /health}.
     */
    static GatewayProcess run(Path launcher, Path home, Map<String, String> env, String javaOpts, String config)
            throws IOException, InterruptedException {
        Map<String, String> all = prepare(home, env, javaOpts, config);
        int port = Processes.freePort();
        Path log = home.resolve("state/daemon.log");
        Process daemon = Processes.start(List.of(launcher.toString(), "daemon", "run", "--port",
                Integer.toString(port)), all, log);
        Processes.awaitPort(daemon, port, 90_000, log);
        Processes.awaitHealth(daemon, port, 30_000, log);
        return new GatewayProcess(daemon.pid(), port, home, jvmArgs(daemon.pid()));
    }

    private static Map<String, String> prepare(Path home, Map<String, String> env, String javaOpts, String config)
            throws IOException {
        Files.createDirectories(home.resolve("state"));
        if (config != null) {
            Files.createDirectories(home.resolve("config"));
            Files.writeString(home.resolve("config/config.json"), config);
        }
        Map<String, String> all = new LinkedHashMap<>(env);
        all.put("MONKEY_CODER_HOME", home.toString());
        if (javaOpts != null && !javaOpts.isBlank()) {
            all.put("MONKEY_CODER_DAEMON_JAVA_OPTS", javaOpts.strip());
        }
        return all;
    }

    private static Optional<Long> readPid(Path home) {
        try {
            return Optional.of(Long.parseLong(Files.readString(home.resolve("state/daemon.pid")).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The options between {@code java} and {@code -cp} on the process's command line. */
    private static List<String> jvmArgs(long pid) {
        List<String> out = new ArrayList<>();
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline"));
            String[] args = new String(raw, StandardCharsets.UTF_8).split("\0");
            int i = 0;
            while (i < args.length && !args[i].endsWith("java")) {
                i++; // setsid
            }
            for (i++; i < args.length && !args[i].equals("-cp"); i++) {
                out.add(args[i]);
            }
        } catch (IOException e) {
            // not Linux
        }
        return List.copyOf(out);
    }

    /** The daemon's JVM options as one line, for the report. */
    String jvmArgsLine() {
        return String.join(" ", jvmArgs);
    }

    /** SIGTERM (the daemon drains and exits), then SIGKILL after a grace period. */
    void stop() {
        ProcessHandle.of(pid).ifPresent(p -> {
            p.destroy();
            try {
                p.onExit().get(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                p.destroyForcibly();
            }
        });
    }
}
