package com.monkeycoder.daemon.limits;

/**
 * What a caller may do: its tier, the limits in force (the tier's, or a key's own override), and whether its
 * requests draw on a credit balance.
 *
 * @param requestsPerMonth {@link Tier#NO_CAP} for no monthly cap
 * @param perKey           true when the key has its own limits, so it is counted apart from its account
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

    public boolean monthlyCapped() {
        return requestsPerMonth != Tier.NO_CAP;
    }
}
