package com.monkeycoder.daemon.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.daemon.accounts.AccountChanges;
import com.monkeycoder.daemon.auth.KeyScope;
import com.monkeycoder.daemon.billing.Billing;
import com.monkeycoder.daemon.billing.CheckoutRequest;
import com.monkeycoder.daemon.billing.CheckoutSession;
import com.monkeycoder.daemon.dialects.ErrorStyle;
import com.monkeycoder.daemon.errors.ApiError;
import io.undertow.server.RoutingHandler;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Stripe billing routes: {@code POST /v1/billing/checkout} and {@code GET /v1/billing/payments} (a key with
 * the billing scope) and {@code POST /v1/billing/webhook} (no key: Stripe's signature is its authentication). The
 * local daemon has no accounts to bill and answers 404.
 */
final class BillingRoutes {

    static final int MAX_PAYMENTS = 500;
    /** Stripe's events are a few kilobytes; anyone may post to the webhook, so it reads no more than this. */
    static final long MAX_WEBHOOK_BYTES = 1024 * 1024;

    private final Billing billing;
    private final ClientAddresses clients;

    private BillingRoutes(Billing billing, ClientAddresses clients) {
        this.billing = billing;
        this.clients = clients;
    }

    static void addTo(RoutingHandler routes, Endpoint.Context ctx, Billing billing, ClientAddresses clients) {
        BillingRoutes r = new BillingRoutes(billing, clients);
        // .browser(): the dashboard's Credits page buys and lists with its cookie; the webhook never takes one
        routes.post("/v1/billing/checkout", new Endpoint(ctx, r::checkout, true, ErrorStyle.NATIVE, KeyScope.BILLING).browser())
                .post("/v1/billing/webhook", new Endpoint(ctx, r::webhook, false, ErrorStyle.NATIVE))
                .get("/v1/billing/payments", new Endpoint(ctx, r::payments, true, ErrorStyle.NATIVE, KeyScope.BILLING).browser());
    }

    private Billing billing() {
        if (billing == null) {
            throw ApiError.notFound("billing belongs to a shared gateway (monkey daemon run --mode gateway); the"
                    + " local daemon's user has no credit limit");
        }
        return billing;
    }

    private void checkout(HttpCall call) throws SQLException {
        Billing b = billing();
        CheckoutSession session = b.checkout(call.caller().userId(), request(call.bodyTree()), clients.origin(call));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("url", session.url());
        out.put("session_id", session.id());
        call.sendJson(201, out);
    }

    /** {@code {"credits_usd": 10}} or {@code {"plan": "pro"}}: exactly one, each of its type. */
    static CheckoutRequest request(JsonNode body) {
        JsonNode credits = body.get("credits_usd");
        JsonNode plan = body.get("plan");
        boolean hasCredits = credits != null && !credits.isNull();
        boolean hasPlan = plan != null && !plan.isNull();
        if (hasCredits == hasPlan) {
            throw ApiError.validation(hasCredits ? "plan" : "credits_usd", "give either credits_usd (dollars of"
                    + " credits to buy once) or plan (a plan to subscribe to), not " + (hasCredits ? "both" : "neither"));
        }
        if (hasPlan) {
            if (!plan.isTextual() || plan.asText().isBlank()) {
                throw ApiError.validation("plan", "must be a plan's name, such as pro");
            }
            return new CheckoutRequest.Subscription(plan.asText());
        }
        // 1e400 reads as an infinite double, which has no decimal value.
        if (!credits.isNumber() || (credits.isFloatingPointNumber() && !Double.isFinite(credits.doubleValue()))) {
            throw ApiError.validation("credits_usd", "must be a number of dollars, such as 10 or 12.50");
        }
        BigDecimal dollars = credits.decimalValue();
        if (dollars.signum() <= 0 || dollars.compareTo(BigDecimal.valueOf(1_000_000_000L)) > 0) {
            throw ApiError.validation("credits_usd", "must be more than 0 and at most the gateway's maximum");
        }
        if (dollars.stripTrailingZeros().scale() > 2) {
            throw ApiError.validation("credits_usd", "must be whole cents, such as 10 or 12.50");
        }
        return new CheckoutRequest.Credits(dollars.movePointRight(6).longValueExact());
    }

    private void webhook(HttpCall call) throws SQLException {
        Billing b = billing();
        // The signature covers the body's exact bytes: it is read raw, never parsed and re-written first.
        String payload = new String(call.body(MAX_WEBHOOK_BYTES), StandardCharsets.UTF_8);
        Billing.WebhookReceipt receipt = b.webhook(payload, call.header("Stripe-Signature"), clients.origin(call));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("received", true);
        out.put("event_id", receipt.eventId());
        out.put("type", receipt.type());
        out.put("outcome", receipt.outcome());
        call.sendJson(200, out);
    }

    private void payments(HttpCall call) throws SQLException {
        int limit = limit(call.query("limit"));
        var list = billing().payments(call.caller().userId(), limit).stream().map(BillingRoutes::payment).toList();
        call.sendJson(200, Map.of("payments", list));
    }

    private static Map<String, Object> payment(AccountChanges.CreditAdjustment a) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", a.id());
        out.put("time", Instant.ofEpochMilli(a.createdMs()).toString());
        out.put("kind", a.kind());
        out.put("amount_micros", a.amountMicros());
        out.put("amount_usd", BigDecimal.valueOf(a.amountMicros(), 6).setScale(2, java.math.RoundingMode.HALF_UP));
        out.put("reference", a.reference());
        out.put("reason", a.reason());
        out.put("actor", a.actor());
        return out;
    }

    private static int limit(String value) {
        if (value == null) {
            return 100;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= 1 && n <= MAX_PAYMENTS) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw ApiError.validation("limit", "must be a whole number from 1 to " + MAX_PAYMENTS);
    }
}
