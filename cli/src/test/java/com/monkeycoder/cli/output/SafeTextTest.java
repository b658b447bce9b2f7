package com.monkeycoder.cli.output;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SafeTextTest {

    @Test
    void dropsC0ButNewlineAndTabDelAndC1() {
        assertThat(SafeText.of("a\u001b[2K\u001b[1Ab\r\n\tc\u0000\u0007\u007f\u0080\u009b\u009fd"))
                .isEqualTo("a[2K[1Ab\n\tcd");
    }

    @Test
    void keepsOrdinaryTextAsItIs() {
        String text = "héllo · 世界 🙂\n\tend\u00a0";
        assertThat(SafeText.of(text)).isSameAs(text);
        assertThat(SafeText.of(null)).isNull();
    }

    @org.junit.jupiter.api.Test
    void charactersThatReorderOrHideTextAreShownNotObeyed() {
        org.assertj.core.api.Assertions.assertThat(SafeText.of("src/x\u202Ehs.txt and a\u200Bb"))
                .isEqualTo("src/x<U+202E>hs.txt and a<U+200B>b");
        org.assertj.core.api.Assertions.assertThat(SafeText.of("plain text, café")).isEqualTo("plain text, café");
    }
}
