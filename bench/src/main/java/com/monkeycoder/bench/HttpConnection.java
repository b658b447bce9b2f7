package com.monkeycoder.bench;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * A minimal HTTP/1.1 keep-alive client over one socket: sends prepared request bytes, reads the status, the
 * headers it needs and a fixed-length or chunked body. Small and allocation-light, so the load generator adds
 * little of its own time to what it measures, and it sees the first body byte of a stream as it arrives.
 */
final class HttpConnection implements Closeable {

    /**
     * One response: its status, when its first body byte arrived, when the first token of a stream arrived (the
     * first bytes of answer text: the fake upstream's answers are made of the word "word"; -1 for JSON), and the
     * gateway's self-reported time.
     */
    record Response(int status, long firstByteNanos, long firstTokenNanos, double overheadMs, boolean complete) {
    }

    private static final byte[] DONE = "[DONE]".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] TOKEN = "word".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] line = new byte[8192];
    private final byte[] sink = new byte[65536];
    private boolean open = true;
    private long firstToken;

    HttpConnection(String host, int port) throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(host, port), 5_000);
        socket.setSoTimeout(120_000);
        in = new BufferedInputStream(socket.getInputStream(), 65536);
        out = socket.getOutputStream();
    }

    boolean isOpen() {
        return open;
    }

    Response exchange(byte[] request, boolean stream) throws IOException {
        out.write(request);
        out.flush();
        int length = readLine();
        if (length < 12) {
            throw new EOFException("no status line");
        }
        int status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
        long contentLength = -1;
        boolean chunked = false;
        double overhead = Double.NaN;
        for (int n = readLine(); n > 0; n = readLine()) {
            String header = new String(line, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1);
            int colon = header.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = header.substring(0, colon).trim().toLowerCase();
            String value = header.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> contentLength = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.equalsIgnoreCase("chunked");
                case "x-monkey-overhead-ms" -> overhead = Double.parseDouble(value);
                case "connection" -> open = !value.equalsIgnoreCase("close");
                default -> {
                }
            }
        }
        long firstByte = -1;
        firstToken = -1;
        boolean sawDone = false;
        if (chunked) {
            while (true) {
                int n = readLine();
                long size = Long.parseLong(new String(line, 0, indexOf(line, n, (byte) ';'), java.nio.charset.StandardCharsets.US_ASCII).trim(), 16);
                if (size == 0) {
                    while (readLine() > 0) {
                        // trailers
                    }
                    break;
                }
                if (firstByte < 0) {
                    firstByte = System.nanoTime();
                }
                sawDone |= skip(size, stream);
                readLine(); // CRLF after the chunk
            }
        } else if (contentLength > 0) {
            firstByte = System.nanoTime();
            sawDone = skip(contentLength, stream);
        } else if (contentLength < 0) {
            open = false; // body to end of stream: not used by the servers measured
        }
        return new Response(status, firstByte, firstToken, overhead, !stream || sawDone);
    }

    /** Reads and drops {@code size} bytes; for streams, says whether they held the closing [DONE]. */
    private boolean skip(long size, boolean lookForDone) throws IOException {
        boolean done = false;
        while (size > 0) {
            int n = in.read(sink, 0, (int) Math.min(sink.length, size));
            if (n < 0) {
                throw new EOFException("body cut off");
            }
            if (lookForDone && firstToken < 0 && contains(sink, n, TOKEN)) {
                firstToken = System.nanoTime();
            }
            if (lookForDone && !done) {
                done = contains(sink, n, DONE);
            }
            size -= n;
        }
        return done;
    }

    private static boolean contains(byte[] haystack, int length, byte[] needle) {
        outer:
        for (int i = 0; i <= length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static int indexOf(byte[] bytes, int length, byte b) {
        for (int i = 0; i < length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return length;
    }

    /** Reads one line without its CRLF into {@link #line}; returns its length. */
    private int readLine() throws IOException {
        int n = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed");
            }
            if (b == '\n') {
                return n > 0 && line[n - 1] == '\r' ? n - 1 : n;
            }
            if (n < line.length) {
                line[n++] = (byte) b;
            }
        }
    }

    @Override
    public void close() {
        open = false;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
