package com.monkeycoder.daemon.accounts;

import java.util.Locale;
import java.util.Optional;

/** What an account may do beyond its own keys and spending: an {@link #ADMIN} administers every account. */
public enum Role {
    USER,
    ADMIN;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> parse(String name) {
        if (name == null) {
            return Optional.empty();
        }
        for (Role r : values()) {
            if (r.wireName().equals(name.strip().toLowerCase(Locale.ROOT))) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
