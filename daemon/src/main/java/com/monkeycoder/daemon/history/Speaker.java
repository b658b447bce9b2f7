package com.monkeycoder.daemon.history;

import java.util.Locale;

/** Who wrote a stored message: the caller (the task) or the model (its answer). */
public enum Speaker {
    USER,
    ASSISTANT;

    /** {@code user} or {@code assistant}, as the API and the table write it. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Speaker fromWire(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }
}
