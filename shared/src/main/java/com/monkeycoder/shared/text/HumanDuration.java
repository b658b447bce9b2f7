package com.monkeycoder.shared.text;

import java.time.Duration;

/**
 * A wait as people say it: under 90 seconds in seconds ({@code 45 s}), under 90 minutes in minutes
 * ({@code 43 min}), beyond in hours and minutes ({@code 2 h 5 min}). Used wherever a message says how long to wait
 * ("try again in 43 min"); headers and JSON keep whole seconds.
 */
public final class HumanDuration {

    private HumanDuration() {
    }

    public static String of(Duration duration) {
        return seconds(Math.max(0, duration.toSeconds()));
    }

    public static String seconds(long seconds) {
        if (seconds < 90) {
            return Math.max(0, seconds) + " s";
        }
        long minutes = Math.round(seconds / 60.0);
        if (minutes < 90) {
            return minutes + " min";
        }
        long hours = minutes / 60;
        long rest = minutes % 60;
        return rest == 0 ? hours + " h" : hours + " h " + rest + " min";
    }
}
