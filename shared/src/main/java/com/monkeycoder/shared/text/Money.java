package com.monkeycoder.shared.text;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;

/**
 * Money as people read it, from integer micro-dollars: cents from one dollar up ({@code $1.00}, {@code $1,234.50}),
 * and below a dollar up to four significant digits, so a small cost stays visible ({@code $0.0021},
 * {@code $0.000072}) without a tail of zeros. Every place the CLI or the gateway shows money to a person uses this;
 * JSON keeps the raw micro-dollars.
 */
public final class Money {

    private static final BigDecimal ONE_DOLLAR = BigDecimal.ONE;
    private static final MathContext FOUR_DIGITS = new MathContext(4, RoundingMode.HALF_UP);

    private Money() {
    }

    /** {@code micros} micro-dollars, e.g. 2100 as {@code $0.0021}, 1_000_000 as {@code $1.00}, -500 as {@code -$0.0005}. */
    public static String format(long micros) {
        BigDecimal dollars = BigDecimal.valueOf(micros, 6).abs();
        String sign = micros < 0 ? "-" : "";
        if (dollars.compareTo(ONE_DOLLAR) >= 0 || dollars.signum() == 0) {
            return sign + "$" + cents().format(dollars.setScale(2, RoundingMode.HALF_UP));
        }
        BigDecimal shown = dollars.round(FOUR_DIGITS).stripTrailingZeros();
        if (shown.scale() < 2) {
            shown = shown.setScale(2, RoundingMode.UNNECESSARY); // $0.50, not $0.5
        }
        return sign + "$" + shown.toPlainString();
    }

    /** A price in dollars (a catalog's price per million tokens), in the same form. */
    public static String dollars(double usd) {
        return format(Math.round(usd * 1_000_000));
    }

    private static DecimalFormat cents() {
        return new DecimalFormat("#,##0.00", DecimalFormatSymbols.getInstance(Locale.ROOT));
    }
}
