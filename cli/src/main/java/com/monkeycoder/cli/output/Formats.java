package com.monkeycoder.cli.output;

import java.util.Locale;

/** How the CLI writes counts for people (JSON output keeps the raw values); money is {@code shared.text.Money}. */
public final class Formats {

    private Formats() {
    }

    public static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
