package com.monkeycoder.daemon.accounts;

import com.monkeycoder.daemon.limits.Tier;

/** A shared gateway's user: an email, a tier and a credit balance in micro-dollars. */
public record Account(String id, String email, String passwordHash, Tier tier, long creditMicros, long createdMs) {
}
