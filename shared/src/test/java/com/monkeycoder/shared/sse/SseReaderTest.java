package com.monkeycoder.shared.sse;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class SseReaderTest {

    @Test
    void readsNamedAndUnnamedEventsWithEveryLineEnding() throws IOException {
        String wire = "event: delta\ndata: {\"a\":1}\n\ndata: two\r\n\r\n: keep-alive\rdata: three\r\rdata:[DONE]\n\n";
        assertThat(readAll(bytes(wire)))
                .extracting(SseEvent::event, SseEvent::data)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("delta", "{\"a\":1}"),
                        org.assertj.core.groups.Tuple.tuple("message", "two"),
                        org.assertj.core.groups.Tuple.tuple("message", "three"),
                        org.assertj.core.groups.Tuple.tuple("message", "[DONE]"));
    }

    @Test
    void joinsMultiLineDataAndStripsOneLeadingSpaceOnly() throws IOException {
        List<SseEvent> events = readAll(bytes("data: first\ndata:  second\nid: 7\n\n"));
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.data()).isEqualTo("first\n second");
            assertThat(e.id()).isEqualTo("7");
        });
    }

    @Test
    void eventSplitInsideAMultiByteCharacterComesOutWhole() throws IOException {
        byte[] wire = "data: h\u00e9llo \u4e16\u754c \uD83D\uDC35\n\n".getBytes(StandardCharsets.UTF_8);
        // Deliver one byte per read, the worst split a network can make.
        InputStream trickle = new InputStream() {
            int pos;

            @Override
            public int read() {
                return pos < wire.length ? wire[pos++] & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos >= wire.length) {
                    return -1;
                }
                b[off] = wire[pos++];
                return 1;
            }
        };
        assertThat(readAll(trickle)).extracting(SseEvent::data).containsExactly("h\u00e9llo \u4e16\u754c \uD83D\uDC35");
    }

    @Test
    void anEventCutOffBeforeItsBlankLineIsDropped() throws IOException {
        assertThat(readAll(bytes("data: whole\n\ndata: cut off"))).extracting(SseEvent::data).containsExactly("whole");
    }

    @Test
    void formatRoundTripsThroughTheReader() throws IOException {
        byte[] framed = SseFormat.frame("done", "line one\nline two");
        assertThat(readAll(new ByteArrayInputStream(framed)))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.event()).isEqualTo("done");
                    assertThat(e.data()).isEqualTo("line one\nline two");
                });
    }

    private static InputStream bytes(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    private static List<SseEvent> readAll(InputStream in) throws IOException {
        List<SseEvent> events = new ArrayList<>();
        try (SseReader reader = new SseReader(in)) {
            for (Optional<SseEvent> e = reader.next(); e.isPresent(); e = reader.next()) {
                events.add(e.get());
            }
        }
        return events;
    }

    /** Issue 11, item 10: a line or an event past its cap throws instead of growing the heap without end. */
    @Test
    void aLineOrAnEventPastItsCapIsRefused() throws IOException {
        String okThenLong = "data: short\n\ndata: " + "a".repeat(5000) + "\n\n";
        try (SseReader reader = new SseReader(new ByteArrayInputStream(okThenLong.getBytes(StandardCharsets.UTF_8)),
                4096, 1 << 20)) {
            assertThat(reader.next()).map(SseEvent::data).contains("short");
            org.assertj.core.api.Assertions.assertThatThrownBy(reader::next).isInstanceOf(SseReader.TooLarge.class);
        }
        String manyLines = ("data: " + "b".repeat(1000) + "\n").repeat(10) + "\n";
        try (SseReader reader = new SseReader(new ByteArrayInputStream(manyLines.getBytes(StandardCharsets.UTF_8)),
                4096, 5000)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(reader::next).isInstanceOf(SseReader.TooLarge.class)
                    .hasMessageContaining("event");
        }
        assertThat(SseReader.MAX_LINE_BYTES).isEqualTo(16 * 1024 * 1024);
    }
}
