package com.monkeycoder.daemon.limits;

import java.util.Locale;
import java.util.Optional;

/** The tiers of the README ("The shared gateway"): requests per hour and per month ({@link #NO_CAP} for none). */
public enum Tier {
    FREE(100, 3_000),
    PRO(1_000, 30_000),
    ENTERPRISE(10_000, 300_000),
    UNLIMITED(1_000_000, Tier.NO_CAP);

    public static final long NO_CAP = -1;

    private final long requestsPerHour;
    private final long requestsPerMonth;

    Tier(long requestsPerHour, long requestsPerMonth) {
        this.requestsPerHour = requestsPerHour;
        this.requestsPerMonth = requestsPerMonth;
    }

    public long requestsPerHour() {
        return requestsPerHour;
    }

    public long requestsPerMonth() {
        return requestsPerMonth;
    }

    /** The name as the API shows it: {@code free}, {@code pro}, {@code enterprise}, {@code unlimited}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Tier> parse(String name) {
        if (name == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(valueOf(name.strip().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
