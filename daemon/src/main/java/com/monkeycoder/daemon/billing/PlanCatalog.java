package com.monkeycoder.daemon.billing;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.daemon.config.ConfigException;
import com.monkeycoder.daemon.limits.Tier;
import com.monkeycoder.shared.Json;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The plans on offer: the operator's {@code plans.json} in the config folder when there is one, else one plan per
 * tier at the prices the README lists. Read once at start; a file that does not hold valid plans stops the start
 * with the reason, rather than selling something half-read.
 */
public final class PlanCatalog {

    private final List<PricePlan> plans;

    private PlanCatalog(List<PricePlan> plans) {
        this.plans = List.copyOf(plans);
    }

    /** One plan per tier: what a gateway sells when its operator wrote no {@code plans.json}. */
    public static PlanCatalog defaults() {
        return new PlanCatalog(List.of(
                new PricePlan("free", "Try it: the free tier's limits, no monthly credits", 0, 0, Tier.FREE),
                new PricePlan("pro", "For one developer: $20 of credits each month", 20_000_000, 20_000_000, Tier.PRO),
                new PricePlan("enterprise", "For a team: $200 of credits each month", 200_000_000, 200_000_000,
                        Tier.ENTERPRISE),
                new PricePlan("unlimited", "No request caps: $1,000 of credits each month", 1_000_000_000L,
                        1_000_000_000L, Tier.UNLIMITED)));
    }

    /**
     * {@code file} when it exists: {@code {"plans": [{"name", "description", "price_usd", "credits_usd_per_month",
     * "tier", "stripe_price_id"}, ...]}}, which replaces the defaults whole. {@code stripe_price_id} (optional) is
     * the recurring Stripe Price that {@code POST /v1/billing/checkout {"plan": ...}} subscribes to.
     */
    public static PlanCatalog load(Path file) {
        if (file == null || !Files.isRegularFile(file)) {
            return defaults();
        }
        JsonNode root;
        try {
            root = Json.mapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new ConfigException("cannot read " + file + ": " + e.getMessage());
        }
        JsonNode list = root == null ? null : root.get("plans");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw new ConfigException(file + ": expected {\"plans\": [ ... ]} with at least one plan");
        }
        List<PricePlan> plans = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode p = list.get(i);
            String where = file + ": plans[" + i + "]";
            try {
                PricePlan plan = new PricePlan(p.path("name").asText(null), p.path("description").asText(""),
                        micros(p, "price_usd", where), micros(p, "credits_usd_per_month", where),
                        Tier.parse(p.path("tier").asText(null)).orElseThrow(() -> new IllegalArgumentException(
                                "tier must be free, pro, enterprise or unlimited")),
                        p.hasNonNull("stripe_price_id") ? p.get("stripe_price_id").asText() : null);
                if (!names.add(plan.name())) {
                    throw new IllegalArgumentException("the name " + plan.name() + " is used twice");
                }
                plans.add(plan);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(where + ": " + e.getMessage());
            }
        }
        return new PlanCatalog(plans);
    }

    private static long micros(JsonNode plan, String field, String where) {
        JsonNode value = plan.get(field);
        if (value == null || value.isNull()) {
            return 0;
        }
        if (!value.isNumber()) {
            throw new IllegalArgumentException(field + " must be a number of dollars such as 20.00");
        }
        BigDecimal dollars = value.decimalValue();
        if (dollars.signum() < 0 || dollars.compareTo(BigDecimal.valueOf(1_000_000)) > 0 || dollars.scale() > 6) {
            throw new IllegalArgumentException(field + " must be between 0 and 1,000,000 dollars");
        }
        return dollars.movePointRight(6).longValueExact();
    }

    public List<PricePlan> plans() {
        return plans;
    }

    public Optional<PricePlan> named(String name) {
        return plans.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** The plan sold with this Stripe Price, if any. */
    public Optional<PricePlan> byStripePrice(String priceId) {
        return priceId == null ? Optional.empty()
                : plans.stream().filter(p -> priceId.equals(p.stripePriceId())).findFirst();
    }

    /** The plan an account falls back to when its subscription ends: the one named free, else the first free-tier one. */
    public Optional<PricePlan> freePlan() {
        return named("free").filter(p -> p.tier() == Tier.FREE)
                .or(() -> plans.stream().filter(p -> p.tier() == Tier.FREE).findFirst());
    }
}
