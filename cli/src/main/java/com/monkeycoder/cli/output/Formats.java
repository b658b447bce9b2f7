package com.monkeycoder.cli.output;

import java.util.Locale;

/** How the CLI writes numbers and money for people (JSON output keeps the raw values). */
public final class Formats {

    private Formats() {
    }

    public static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** Dollars from micro-dollars, with enough places to show small costs. */
    public static String usd(long micros) {
        if (micros == 0) {
            return "$0.00";
        }
        return micros < 10_000 ? String.format(Locale.ROOT, "$%.6f", micros / 1e6)
                : String.format(Locale.ROOT, "$%,.4f", micros / 1e6);
    }

    public static String pricePerMillion(double usd) {
        return String.format(Locale.ROOT, "$%.2f", usd);
    }
}
