package com.monkeycoder.cli.output;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Instants from the gateway (ISO-8601, UTC, down to the nanosecond) as people read them: to the minute, in the user's
 * time zone ({@code TZ}, else the system's), with the zone's short name, e.g. {@code 2026-10-30 18:09 CET}.
 * JSON output keeps the gateway's instants as they are.
 */
public final class LocalTimes {

    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm z", Locale.ENGLISH);
    private static final DateTimeFormatter TIME_OF_DAY = DateTimeFormatter.ofPattern("HH:mm z", Locale.ENGLISH);

    private final ZoneId zone;

    public LocalTimes(ZoneId zone) {
        this.zone = zone;
    }

    /**
     * The zone {@code TZ} names ({@code Europe/Paris}, {@code :Europe/Paris}, {@code UTC}); the system's when it is
     * unset or names no zone Java knows (a POSIX rule such as {@code CET-1CEST}).
     */
    public static LocalTimes forTz(String tz) {
        if (tz != null && !tz.isBlank()) {
            try {
                return new LocalTimes(ZoneId.of(tz.strip().replaceFirst("^:", "")));
            } catch (DateTimeException unknown) {
                // fall through to the system's zone
            }
        }
        return new LocalTimes(ZoneId.systemDefault());
    }

    /** {@code 2026-10-30 18:09 CET}; text that is not an instant is returned as it is. */
    public String minute(String iso) {
        return format(iso, MINUTE);
    }

    /** {@code 18:00 CET}, for a moment later today such as the end of a rate-limit hour. */
    public String timeOfDay(String iso) {
        return format(iso, TIME_OF_DAY);
    }

    private String format(String iso, DateTimeFormatter formatter) {
        if (iso == null) {
            return null;
        }
        try {
            return formatter.format(Instant.parse(iso).atZone(zone));
        } catch (DateTimeParseException notAnInstant) {
            return iso;
        }
    }
}
