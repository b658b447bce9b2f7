package com.monkeycoder.daemon.mfa;

import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.decoder.Decoder;
import org.junit.jupiter.api.Test;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The enrolment QR code reads back as the otpauth URI it was drawn from, and is plain SVG with nothing active. */
class QrSvgTest {

    @Test
    void theSvgDecodesToTheUri() throws Exception {
        String uri = MfaService.uri("a+b@example.com", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP");
        String svg = QrSvg.of(uri);
        assertThat(svg).startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"").endsWith("</svg>")
                .doesNotContain("<script").doesNotContain("href").doesNotContain("on");

        Matcher size = Pattern.compile("viewBox=\"0 0 (\\d+) (\\d+)\"").matcher(svg);
        assertThat(size.find()).isTrue();
        int w = Integer.parseInt(size.group(1));
        int quiet = 4;
        BitMatrix modules = new BitMatrix(w - 2 * quiet);
        Matcher run = Pattern.compile("M(\\d+) (\\d+)h(\\d+)v1h-\\3z").matcher(svg);
        while (run.find()) {
            int x = Integer.parseInt(run.group(1));
            int y = Integer.parseInt(run.group(2));
            for (int i = 0; i < Integer.parseInt(run.group(3)); i++) {
                modules.set(x + i - quiet, y - quiet);
            }
        }
        assertThat(new Decoder().decode(modules).getText()).isEqualTo(uri);
    }
}
