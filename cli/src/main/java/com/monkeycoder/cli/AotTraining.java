package com.monkeycoder.cli;

import com.monkeycoder.cli.terminal.Stdin;
import com.monkeycoder.cli.terminal.Tty;
import com.monkeycoder.shared.MonkeyPaths;
import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The training run behind the JDK's ahead-of-time cache that {@code install.sh} builds
 * ({@code -XX:AOTCacheOutput}): the commands people run most, in one JVM, each exactly as the launcher would run
 * it, against a canned local "daemon" on a loopback port (its pid and port files in a temporary home), so the run
 * needs no network, no provider and no real daemon. Its output is thrown away; it always exits 0, because a
 * failed training run only makes the cache smaller, never the install fail.
 */
public final class AotTraining {

    private static final List<List<String>> COMMANDS = List.of(
            List.of("--version"),
            List.of("--help"),
            List.of("models", "--json"),
            List.of("models"),
            List.of("implement", "--provider", "demo", "--no-stream", "training"),
            List.of("implement", "--provider", "demo", "training"),
            List.of("daemon", "status"));

    private AotTraining() {
    }

    public static void main(String[] args) throws IOException {
        Path home = Files.createTempDirectory("monkey-aot-training");
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getByAddress(new byte[]{127, 0, 0, 1}))) {
            Thread serving = Thread.ofPlatform().daemon().start(() -> serve(server));
            Map<String, String> env = new HashMap<>();
            env.put(MonkeyPaths.HOME_ENV, home.toString());
            env.put("MONKEY_CODER_PORT", Integer.toString(server.getLocalPort()));
            env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
            MonkeyPaths paths = MonkeyPaths.from(env);
            Files.createDirectories(paths.stateDir());
            Files.writeString(paths.pidFile(), Long.toString(ProcessHandle.current().pid()));
            Files.writeString(paths.portFile(), Integer.toString(server.getLocalPort()));
            Files.writeString(paths.localKeyFile(), "mk-local-aot-training");
            CliContext context = new CliContext(env, false, false, Stdin.NONE, Tty.NONE,
                    () -> {
                        throw new IOException("no terminal in the training run");
                    });
            PrintWriter nowhere = new PrintWriter(Writer.nullWriter());
            for (List<String> command : COMMANDS) {
                try {
                    CommandLine cl = Monkey.commandLine(context);
                    cl.setOut(nowhere);
                    cl.setErr(nowhere);
                    cl.execute(command.toArray(String[]::new));
                } catch (RuntimeException | LinkageError ignored) {
                    // the next command still trains
                }
            }
            serving.interrupt();
        } finally {
            try (var files = Files.walk(home)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.exit(0);
    }

    private static void serve(ServerSocket server) {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                answer(socket);
            } catch (IOException | RuntimeException e) {
                // closed, or a client that went away
            }
        }
    }

    private static void answer(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return;
            }
            head.append((char) b);
        }
        String headers = head.toString();
        int length = 0;
        for (String line : headers.split("\r\n")) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Integer.parseInt(line.substring(15).strip());
            }
        }
        in.readNBytes(length);
        String path = headers.substring(headers.indexOf(' ') + 1, headers.indexOf(' ', headers.indexOf(' ') + 1));
        boolean sse = headers.contains("text/event-stream");
        String type = sse ? "text/event-stream" : "application/json";
        String body;
        if (path.startsWith("/health")) {
            body = "{\"status\":\"ok\",\"version\":\"training\"}";
        } else if (path.startsWith("/v1/models")) {
            body = "{\"object\":\"list\",\"data\":[{\"id\":\"demo/monkey-demo\",\"object\":\"model\",\"created\":1,"
                    + "\"owned_by\":\"demo\",\"provider\":\"demo\",\"model\":\"monkey-demo\",\"context_window\":8192,"
                    + "\"input_price_per_million\":0.0,\"output_price_per_million\":0.0,\"aliases\":[],"
                    + "\"capabilities\":[\"chat\",\"streaming\"],\"available\":true}]}";
        } else if (sse) {
            body = "data: {\"content\":\"training\"}\n\ndata: {\"content\":\" run\",\"done\":true,\"provider\":\"demo\","
                    + "\"model\":\"monkey-demo\"}\n\ndata: [DONE]\n\n";
        } else {
            body = "{\"content\":\"training run\",\"provider\":\"demo\",\"model\":\"monkey-demo\","
                    + "\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2}}";
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        OutputStream out = socket.getOutputStream();
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: " + type + "\r\nContent-Length: " + bytes.length
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
    }
}
