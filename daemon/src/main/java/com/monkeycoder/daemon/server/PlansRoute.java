package com.monkeycoder.daemon.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.monkeycoder.daemon.billing.PlanCatalog;
import com.monkeycoder.daemon.billing.PricePlan;
import com.monkeycoder.daemon.limits.Tier;
import com.monkeycoder.shared.Json;

import java.math.BigDecimal;

/**
 * {@code GET /v1/billing/plans}: the plans on offer with their price, monthly credits and the limits of their tier.
 * Public, like a pricing page: it holds nothing about any account.
 */
final class PlansRoute implements ApiHandler {

    private final ObjectNode body;

    PlansRoute(PlanCatalog catalog) {
        body = Json.mapper().createObjectNode();
        ArrayNode list = body.putArray("plans");
        for (PricePlan p : catalog.plans()) {
            ObjectNode plan = list.addObject();
            plan.put("name", p.name());
            plan.put("description", p.description());
            plan.put("price_usd", dollars(p.priceMicros()));
            plan.put("price_micros", p.priceMicros());
            plan.put("interval", "month");
            plan.put("credits_usd_per_month", dollars(p.monthlyCreditMicros()));
            plan.put("credits_micros_per_month", p.monthlyCreditMicros());
            plan.put("tier", p.tier().wireName());
            // whether POST /v1/billing/checkout {"plan": name} can sell it (its Stripe Price is set)
            plan.put("checkout", p.stripePriceId() != null);
            plan.put("requests_per_hour", p.tier().requestsPerHour());
            if (p.tier().requestsPerMonth() == Tier.NO_CAP) {
                plan.putNull("requests_per_month");
            } else {
                plan.put("requests_per_month", p.tier().requestsPerMonth());
            }
        }
    }

    private static BigDecimal dollars(long micros) {
        return BigDecimal.valueOf(micros, 6).setScale(2, java.math.RoundingMode.HALF_UP);
    }

    @Override
    public void handle(HttpCall call) {
        call.sendJson(200, body);
    }
}
