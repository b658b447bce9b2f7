package com.monkeycoder.daemon.server;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11, item 9: a body's buffer starts small whatever Content-Length declares, and grows as bytes arrive; it
 * used to be allocated at the declared length, so idle connections declaring 32 MiB each held 32 MiB each.
 */
class HttpCallBufferTest {

    @Test
    void theFirstBufferIsAtMost64KiBWhateverIsDeclared() {
        assertThat(HttpCall.initialCapacity(32L * 1024 * 1024)).isEqualTo(64 * 1024);
        assertThat(HttpCall.initialCapacity(Integer.MAX_VALUE)).isEqualTo(64 * 1024);
        assertThat(HttpCall.initialCapacity(-1)).isEqualTo(1024);
        assertThat(HttpCall.initialCapacity(5000)).isEqualTo(5000);
    }
}
