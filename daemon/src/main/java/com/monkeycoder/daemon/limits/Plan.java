package com.monkeycoder.daemon.limits;

import java.util.List;

/**
 * What a caller may do: its tier, the key's limits (the tier's, or the key's own overrides), and whether its
 * requests draw on a credit balance. Every request counts on its account's counters at the tier's limits; a key
 * with overrides is counted on its own counters too, so keys never add up to more than the tier.
 *
 * @param requestsPerMonth {@link Tier#NO_CAP} for no monthly cap
 * @param perKey           true when the key has its own limits, so it is counted on its own counters as well
 */
public record Plan(Tier tier, long requestsPerHour, long requestsPerMonth, boolean perKey, boolean creditLimited) {

    /** The local daemon's user by default: Unlimited, no credit limit. */
    public static final Plan LOCAL = of(Tier.UNLIMITED, false);

    public static Plan of(Tier tier, boolean creditLimited) {
        return new Plan(tier, tier.requestsPerHour(), tier.requestsPerMonth(), false, creditLimited);
    }

    /** The tier's limits, with a key's overrides (null when it has none) in their place. */
    public static Plan withOverrides(Tier tier, Long perHour, Long perMonth, boolean creditLimited) {
        if (perHour == null && perMonth == null) {
            return of(tier, creditLimited);
        }
        return new Plan(tier, perHour != null ? perHour : tier.requestsPerHour(),
                perMonth != null ? perMonth : tier.requestsPerMonth(), true, creditLimited);
    }

    /**
     * The counters a request is counted on: the account's at the tier's limits, then, when the key has its own
     * limits, the key's at those.
     */
    public List<RateLimiter.Counter> counters(String accountSubject, String keySubject) {
        RateLimiter.Counter account = new RateLimiter.Counter(accountSubject, tier.requestsPerHour(), tier.requestsPerMonth());
        if (!perKey) {
            return List.of(account);
        }
        return List.of(account, new RateLimiter.Counter(keySubject, requestsPerHour, requestsPerMonth));
    }

    public boolean monthlyCapped() {
        return requestsPerMonth != Tier.NO_CAP;
    }
}
