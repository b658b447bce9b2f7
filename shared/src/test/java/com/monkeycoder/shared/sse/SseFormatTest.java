package com.monkeycoder.shared.sse;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class SseFormatTest {

    /** {@code |} stands for a line end in the table: the framed text, one {@code data:} line per data line. */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = ';', value = {
            "'';                  'data: ||'",
            "'{\"a\":1}';         'data: {\"a\":1}||'",
            "'one\\ntwo';         'data: one|data: two||'",
            "'one\\r\\ntwo';      'data: one|data: two||'",
            "'one\\rtwo';         'data: one|data: two||'",
            "'one\\n';            'data: one|data: ||'",
            "'\\n';               'data: |data: ||'",
            "'a\\r\\n\\r\\nb';    'data: a|data: |data: b||'",
            "'a\\n\\rb';          'data: a|data: |data: b||'",
            "'a\\r\\r\\nb';       'data: a|data: |data: b||'"})
    void eachLineOfDataGetsItsOwnDataLineWhateverItsLineEnd(String data, String framed) {
        String unescaped = data.replace("\\r", "\r").replace("\\n", "\n");

        assertThat(new String(SseFormat.data(unescaped), StandardCharsets.UTF_8)).isEqualTo(framed.replace('|', '\n'));
    }

    @ParameterizedTest
    @CsvSource({"delta, 'event: delta|data: x||'", "message, 'data: x||'"})
    void namedEventsSayTheirNameAndMessageIsLeftUnnamed(String event, String framed) {
        assertThat(new String(SseFormat.frame(event, "x"), StandardCharsets.UTF_8)).isEqualTo(framed.replace('|', '\n'));
    }
}
