package com.monkeycoder.daemon.billing;

import com.monkeycoder.daemon.limits.Tier;

/**
 * A plan one can subscribe to: its price per month, the credits it adds each month, and the tier (requests per hour
 * and per month) it gives. Money in micro-dollars, as the ledger and the credits keep it.
 *
 * @param priceMicros          the monthly price; 0 for a free plan
 * @param monthlyCreditMicros  credits added each month the plan is paid
 * @param stripePriceId        the recurring Stripe Price a subscription to the plan is sold with
 *                             ({@code stripe_price_id} in plans.json); null when the plan is not sold through Stripe
 */
public record PricePlan(String name, String description, long priceMicros, long monthlyCreditMicros, Tier tier,
                        String stripePriceId) {

    public PricePlan(String name, String description, long priceMicros, long monthlyCreditMicros, Tier tier) {
        this(name, description, priceMicros, monthlyCreditMicros, tier, null);
    }

    public PricePlan {
        if (name == null || !name.matches("[a-z0-9][a-z0-9_-]{0,31}")) {
            throw new IllegalArgumentException("a plan's name is 1 to 32 of a-z, 0-9, _ and -, not '" + name + "'");
        }
        if (priceMicros < 0 || monthlyCreditMicros < 0) {
            throw new IllegalArgumentException("plan " + name + ": price and credits must not be negative");
        }
        if (tier == null) {
            throw new IllegalArgumentException("plan " + name + ": a tier is required (free, pro, enterprise, unlimited)");
        }
        description = description == null ? "" : description;
        if (stripePriceId != null && !stripePriceId.matches("[A-Za-z0-9_]{1,255}")) {
            throw new IllegalArgumentException("plan " + name + ": stripe_price_id must be a Stripe Price id such as"
                    + " price_1Pxyz...");
        }
    }
}
