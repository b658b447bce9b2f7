package com.monkeycoder.daemon.accounts;

import com.monkeycoder.daemon.limits.Tier;

/**
 * A shared gateway's user: an email, a tier and a credit balance in micro-dollars, a role, the plan it subscribes to
 * (null: its tier's default plan), and when it was disabled and when its email was verified (null: not).
 */
public record Account(String id, String email, String passwordHash, Tier tier, long creditMicros, long createdMs,
                      Role role, String plan, Long disabledMs, Long emailVerifiedMs) {

    public Account {
        role = role == null ? Role.USER : role;
    }

    /** A new, enabled, unverified user on no plan. */
    public Account(String id, String email, String passwordHash, Tier tier, long creditMicros, long createdMs) {
        this(id, email, passwordHash, tier, creditMicros, createdMs, Role.USER, null, null, null);
    }

    public boolean disabled() {
        return disabledMs != null;
    }

    public boolean emailVerified() {
        return emailVerifiedMs != null;
    }
}
