package com.monkeycoder.shared.sse;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * The one SSE parser of the codebase: reads events from a byte stream as the WHATWG spec frames them
 * (LF, CRLF or CR line ends, multi-line data, comments, a UTF-8 BOM). Bytes are gathered per line before
 * decoding, so events split at any byte boundary, even inside a multi-byte character, come out whole.
 * An event that the stream cuts off before its blank line is not returned, as the spec says.
 *
 * <p>Bounded: a line longer than {@link #MAX_LINE_BYTES} or an event whose data runs past {@link #MAX_EVENT_BYTES}
 * (by default; both may be set) throws {@link TooLarge} instead of growing without end, so a broken or hostile
 * upstream cannot fill the heap with one endless line or event.
 */
public final class SseReader implements Closeable {

    /** The longest line by default: 16 MiB (an image inlined as base64 in one event fits). */
    public static final int MAX_LINE_BYTES = 16 * 1024 * 1024;
    /** The most data one event may gather by default, its lines together: 16 MiB. */
    public static final int MAX_EVENT_BYTES = 16 * 1024 * 1024;

    /** A line or an event beyond its cap: the stream is not one this reader will hold. */
    public static final class TooLarge extends IOException {
        public TooLarge(String message) {
            super(message);
        }
    }

    private final InputStream in;
    private final int maxLineBytes;
    private final int maxEventBytes;
    // Our own buffer and line bytes, scanned a byte at a time without the locks of BufferedInputStream.read()
    // and ByteArrayOutputStream.write(int) on every byte.
    private final byte[] buffer = new byte[8192];
    private int position;
    private int limit;
    private byte[] line = new byte[256];
    private int lineLength;
    private boolean skipNextLf;
    private boolean firstLine = true;
    private boolean ended;

    public SseReader(InputStream in) {
        this(in, MAX_LINE_BYTES, MAX_EVENT_BYTES);
    }

    /** A reader with its own caps on one line's bytes and one event's data (in UTF-16 chars, about bytes). */
    public SseReader(InputStream in, int maxLineBytes, int maxEventBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
        this.maxEventBytes = maxEventBytes;
    }

    /** The next complete event, or empty once the stream has ended. */
    public Optional<SseEvent> next() throws IOException {
        String event = null;
        String id = null;
        StringBuilder data = null;
        while (true) {
            String text = readLine();
            if (text == null) {
                return Optional.empty();
            }
            if (text.isEmpty()) {
                if (data != null) {
                    return Optional.of(new SseEvent(event == null ? "message" : event, data.toString(), id));
                }
                event = null;
                continue;
            }
            if (text.charAt(0) == ':') {
                continue; // a comment, often a keep-alive
            }
            int colon = text.indexOf(':');
            String field = colon < 0 ? text : text.substring(0, colon);
            String value = colon < 0 ? "" : text.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "event" -> event = value;
                case "data" -> {
                    if (data == null) {
                        data = new StringBuilder(value);
                    } else {
                        data.append('\n').append(value);
                    }
                    if (data.length() > maxEventBytes) {
                        throw new TooLarge("an event's data ran past " + maxEventBytes + " bytes");
                    }
                }
                case "id" -> id = value;
                default -> {
                    // "retry" and unknown fields are ignored: we do not reconnect.
                }
            }
        }
    }

    private String readLine() throws IOException {
        if (ended) {
            return null;
        }
        lineLength = 0;
        while (true) {
            int b = read();
            if (b == -1) {
                ended = true;
                return null; // a line without its end is an unfinished event: dropped
            }
            if (skipNextLf) {
                skipNextLf = false;
                if (b == '\n') {
                    continue;
                }
            }
            if (b == '\n') {
                return decodeLine();
            }
            if (b == '\r') {
                skipNextLf = true;
                return decodeLine();
            }
            if (lineLength == line.length) {
                if (lineLength >= maxLineBytes) {
                    throw new TooLarge("a line ran past " + maxLineBytes + " bytes");
                }
                line = Arrays.copyOf(line, (int) Math.min(maxLineBytes, line.length * 2L));
            }
            line[lineLength++] = (byte) b;
        }
    }

    private int read() throws IOException {
        if (position == limit) {
            int n = in.read(buffer, 0, buffer.length);
            if (n <= 0) {
                return -1;
            }
            position = 0;
            limit = n;
        }
        return buffer[position++] & 0xff;
    }

    private String decodeLine() {
        String text = new String(line, 0, lineLength, StandardCharsets.UTF_8);
        if (firstLine) {
            firstLine = false;
            if (text.startsWith("\uFEFF")) {
                text = text.substring(1);
            }
        }
        return text;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
