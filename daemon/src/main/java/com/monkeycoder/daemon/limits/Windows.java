package com.monkeycoder.daemon.limits;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * The fixed windows limits are counted in: the UTC clock hour and the UTC calendar month. Fixed windows need one
 * counter each (one Redis key), and a client can read when its window resets.
 */
public final class Windows {

    private Windows() {
    }

    public static Instant hourStart(Instant now) {
        return now.truncatedTo(ChronoUnit.HOURS);
    }

    public static Instant hourEnd(Instant now) {
        return hourStart(now).plus(1, ChronoUnit.HOURS);
    }

    public static Instant monthStart(Instant now) {
        return LocalDate.ofInstant(now, ZoneOffset.UTC).withDayOfMonth(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    public static Instant monthEnd(Instant now) {
        return LocalDate.ofInstant(now, ZoneOffset.UTC).withDayOfMonth(1).plusMonths(1).atStartOfDay(ZoneOffset.UTC)
                .toInstant();
    }

    /** A window's name in counter keys: {@code h<epoch-hour>}, {@code m<yyyymm>}. */
    static String hourId(Instant now) {
        return "h" + hourStart(now).getEpochSecond() / 3600;
    }

    static String monthId(Instant now) {
        LocalDate d = LocalDate.ofInstant(now, ZoneOffset.UTC);
        return "m" + (d.getYear() * 100 + d.getMonthValue());
    }
}
