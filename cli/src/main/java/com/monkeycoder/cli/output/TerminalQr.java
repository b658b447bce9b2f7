package com.monkeycoder.cli.output;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A QR code drawn with half-block characters, two modules a line, so an {@code otpauth://} URI fits a terminal. As
 * {@code qrencode -t UTF8} does, the light modules and a two-module quiet zone are the blocks: on the usual dark
 * terminal that is a dark-on-light code, the way phone cameras read them.
 */
public final class TerminalQr {

    private static final int QUIET = 2;

    private TerminalQr() {
    }

    public static List<String> lines(String text) {
        BitMatrix matrix;
        try {
            matrix = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0,
                    Map.of(EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.L, EncodeHintType.MARGIN, 0));
        } catch (WriterException e) {
            throw new IllegalArgumentException("cannot draw a QR code of this text: " + e.getMessage(), e);
        }
        int size = matrix.getWidth();
        List<String> out = new ArrayList<>();
        for (int y = -QUIET; y < size + QUIET; y += 2) {
            StringBuilder line = new StringBuilder();
            for (int x = -QUIET; x < size + QUIET; x++) {
                boolean top = light(matrix, x, y);
                boolean bottom = light(matrix, x, y + 1);
                line.append(top && bottom ? '█' : top ? '▀' : bottom ? '▄' : ' ');
            }
            out.add(line.toString());
        }
        return out;
    }

    /** Outside the code (the quiet zone) is light. */
    private static boolean light(BitMatrix m, int x, int y) {
        if (x < 0 || y < 0 || x >= m.getWidth() || y >= m.getHeight()) {
            return true;
        }
        return !m.get(x, y);
    }
}
