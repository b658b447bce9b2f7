package com.monkeycoder.daemon;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The container's health check, in an image with no shell and no curl: {@code java -cp ... HealthProbe [path]}
 * asks the gateway on this machine ({@code 127.0.0.1}, port {@code MONKEY_CODER_PORT} or 8420) for {@code path}
 * ({@code /health} by default) and exits 0 on a 200, 1 otherwise. Plain HTTP/1.0 over a socket: java.base only,
 * and a JVM that starts in a fraction of a second.
 */
public final class HealthProbe {

    private HealthProbe() {
    }

    public static void main(String[] args) {
        String path = args.length > 0 ? args[0] : "/health";
        String portText = System.getenv().getOrDefault("MONKEY_CODER_PORT", "8420");
        System.exit(status(Integer.parseInt(portText.strip()), path) == 200 ? 0 : 1);
    }

    /** The HTTP status the gateway answered, or -1 when it did not. */
    static int status(int port, String path) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            socket.setSoTimeout(3_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] head = in.readNBytes(12); // "HTTP/1.1 200"
            String line = new String(head, StandardCharsets.US_ASCII);
            return line.startsWith("HTTP/") && line.length() == 12 ? Integer.parseInt(line.substring(9, 12)) : -1;
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }
}
