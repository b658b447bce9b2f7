package com.monkeycoder.daemon.billing;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.daemon.accounts.AccountChanges;
import com.monkeycoder.daemon.audit.AuditActions;
import com.monkeycoder.daemon.audit.AuditEvent;
import com.monkeycoder.daemon.audit.Origin;
import com.monkeycoder.daemon.errors.ApiError;
import com.monkeycoder.daemon.errors.ErrorCode;
import com.monkeycoder.daemon.limits.Tier;
import com.monkeycoder.shared.Json;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Event;
import com.stripe.net.Webhook;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Stripe's webhook: checks each event's signature with the library's {@link Webhook#constructEvent} (HMAC-SHA256
 * with the endpoint's secret, timestamp within {@link #TOLERANCE_SECONDS} of this gateway's clock), then applies
 * it once. The event's id goes into {@code stripe_events} in the same transaction as the balance or plan it changes
 * and the audit entry saying so, so a redelivery, or two deliveries racing on two instances, change nothing more.
 */
final class StripeWebhooks {

    /** How far a signature's timestamp may be from now: Stripe's own default, against replayed deliveries. */
    static final long TOLERANCE_SECONDS = 300;

    private static final Set<String> LIVE_STATUSES = Set.of("active", "trialing", "past_due");
    /** The invoices that pay for a month of a plan (its first, and each renewal). */
    private static final Set<String> PERIOD_INVOICES = Set.of("subscription_create", "subscription_cycle");
    private static final Set<String> ENDED_STATUSES = Set.of("canceled", "unpaid", "incomplete_expired", "paused");

    /** What became of one delivery. */
    enum Outcome { APPLIED, DUPLICATE, IGNORED }

    record Result(String eventId, String type, Outcome outcome) {
    }

    private final String secret;
    private final AccountChanges changes;
    private final BillingStore store;
    private final PlanCatalog catalog;
    private final Clock clock;
    private final RejectionLog rejections;

    StripeWebhooks(String secret, AccountChanges changes, BillingStore store, PlanCatalog catalog, Clock clock) {
        this.secret = secret;
        this.changes = changes;
        this.store = store;
        this.catalog = catalog;
        this.clock = clock;
        this.rejections = new RejectionLog(changes, clock);
    }

    Result receive(String payload, String signature, Origin origin) throws SQLException {
        Event event = verified(payload, signature, origin);
        JsonNode object;
        try {
            object = Json.mapper().readTree(payload).path("data").path("object");
        } catch (IOException e) {
            throw ApiError.badRequest("the event's body is not JSON");
        }
        String id = event.getId();
        String type = event.getType();
        long created = event.getCreated() == null ? 0 : event.getCreated();
        if (id == null || type == null) {
            throw ApiError.badRequest("the event has no id or type");
        }
        try {
            String[] touched = new String[1];
            Result result = changes.inTransaction(c -> {
                if (!store.markProcessed(c, id, type, clock.millis())) {
                    return new Result(id, type, Outcome.DUPLICATE);
                }
                Handled handled = apply(c, new StripeEvent(id, type, created), object);
                store.eventAccount(c, id, handled.accountId());
                touched[0] = handled.applied() ? handled.accountId() : null;
                return new Result(id, type, handled.applied() ? Outcome.APPLIED : Outcome.IGNORED);
            });
            // A plan or tier change reaches every instance's cached grants at once (the credits need no telling).
            changes.accountChanged(touched[0]);
            return result;
        } catch (SQLException e) {
            // Another delivery of the same event committed first (its primary key refused ours): already applied.
            if (changes.inTransaction(c -> store.processed(c, id))) {
                return new Result(id, type, Outcome.DUPLICATE);
            }
            throw e;
        }
    }

    private Event verified(String payload, String signature, Origin origin) throws SQLException {
        if (signature == null || signature.isBlank()) {
            rejections.record("missing_signature", origin);
            throw ApiError.badRequest("the Stripe-Signature header is missing", Map.of("reason", "missing_signature"));
        }
        try {
            // The signature first: constructEvent parses the whole body before it checks the signature, which would
            // let anyone make this gateway parse whatever they post.
            Webhook.Signature.verifyHeader(payload, signature, secret, TOLERANCE_SECONDS, clock);
        } catch (SignatureVerificationException e) {
            String reason = String.valueOf(e.getMessage()).contains("tolerance") ? "stale_timestamp" : "bad_signature";
            rejections.record(reason, origin);
            throw ApiError.badRequest(reason.equals("stale_timestamp")
                    ? "the Stripe-Signature timestamp is more than " + TOLERANCE_SECONDS + " seconds from now"
                    : "the Stripe-Signature does not match this body and the webhook secret",
                    Map.of("reason", reason));
        }
        try {
            return Webhook.constructEvent(payload, signature, secret, TOLERANCE_SECONDS, clock);
        } catch (SignatureVerificationException | RuntimeException e) {
            // A signed body the library cannot read as an event (only someone holding the secret could send it).
            rejections.record("unreadable_event", origin);
            throw ApiError.badRequest("the body is not a Stripe event", Map.of("reason", "unreadable_event"));
        }
    }

    /** The parts of an event every handler uses. {@code created} is Stripe's time, in seconds. */
    record StripeEvent(String id, String type, long created) {
    }

    /** Which account an event concerned (null: none of ours), and whether it changed anything. */
    record Handled(String accountId, boolean applied) {
        static final Handled NONE = new Handled(null, false);
    }

    private Handled apply(Connection c, StripeEvent event, JsonNode object) throws SQLException {
        return switch (event.type()) {
            case "checkout.session.completed", "checkout.session.async_payment_succeeded" ->
                    checkoutCompleted(c, event, object);
            case "customer.subscription.created", "customer.subscription.updated" ->
                    subscriptionChanged(c, event, object, false);
            case "customer.subscription.deleted" -> subscriptionChanged(c, event, object, true);
            case "invoice.paid" -> invoicePaid(c, event, object);
            case "charge.refunded" -> chargeRefunded(c, event, object);
            case "charge.dispute.funds_withdrawn" -> disputeFunds(c, event, object, true);
            case "charge.dispute.funds_reinstated" -> disputeFunds(c, event, object, false);
            default -> Handled.NONE;
        };
    }

    private Handled checkoutCompleted(Connection c, StripeEvent event, JsonNode session) throws SQLException {
        String sessionId = text(session, "id");
        String accountId = text(session.path("metadata"), "account_id");
        if (accountId == null) {
            accountId = text(session, "client_reference_id");
        }
        if (accountId == null || store.accountPlan(c, accountId) == null) {
            return Handled.NONE;
        }
        String customer = text(session, "customer");
        boolean linked = store.linkCustomer(c, customer, accountId, clock.millis());
        if ("subscription".equals(text(session, "mode"))) {
            String subscriptionId = text(session, "subscription");
            if (subscriptionId != null && store.subscription(c, subscriptionId) == null) {
                // Event time 0: any of the subscription's own events, whenever it comes, is newer news.
                store.saveSubscription(c, new BillingStore.Subscription(subscriptionId, accountId, customer,
                        "incomplete", text(session.path("metadata"), "plan"), 0), clock.millis());
                linked = true;
            }
            if (linked) {
                changes.audit().record(c, AuditEvent.of(AuditActions.STRIPE_CUSTOMER_LINKED, accountId,
                        AuditEvent.STRIPE, event.id(), Origin.SYSTEM, details(event, "customer", customer,
                                "subscription", subscriptionId, "session_id", sessionId)));
            }
            return new Handled(accountId, linked);
        }
        if (!"payment".equals(text(session, "mode")) || !"paid".equals(text(session, "payment_status"))) {
            // Unpaid (a delayed method): checkout.session.async_payment_succeeded brings the credits.
            return new Handled(accountId, false);
        }
        long credits = session.path("metadata").path("credits_micros").asLong(0);
        if (credits <= 0) {
            return new Handled(accountId, false);
        }
        if (!"usd".equals(text(session, "currency"))) {
            // Our sessions are in dollars; dollars of credits for another currency's amount would be a guess.
            changes.audit().record(c, AuditEvent.of(AuditActions.PAYMENT_NOT_CREDITED, accountId, AuditEvent.STRIPE,
                    event.id(), Origin.SYSTEM, details(event, "reason", "not_usd", "currency", text(session, "currency"),
                            "amount_total", session.path("amount_total").asLong(0), "session_id", sessionId)));
            return new Handled(accountId, false);
        }
        // Never more credits than dollars received (a discount, a changed session), nor more than were bought.
        long paid = session.path("amount_total").asLong(0) * StripeCheckout.MICROS_PER_CENT;
        long bought = credits;
        credits = Math.min(credits, Math.max(0, paid));
        if (credits <= 0) {
            return new Handled(accountId, false);
        }
        store.savePayment(c, text(session, "payment_intent"), accountId, sessionId, credits, clock.millis());
        // Once per session, whichever of its events (completed, async succeeded) comes first.
        boolean added = changes.adjustCredits(c, accountId, credits, AccountChanges.Kind.PURCHASE,
                "stripe:checkout:" + sessionId, "Stripe Checkout " + sessionId,
                AuditEvent.of(AuditActions.CREDITS_ADDED, accountId, AuditEvent.STRIPE, event.id(), Origin.SYSTEM,
                        details(event, "amount_micros", credits, "kind", AccountChanges.Kind.PURCHASE,
                                "session_id", sessionId, "bought_micros", bought == credits ? null : bought)));
        return new Handled(accountId, added);
    }

    private Handled subscriptionChanged(Connection c, StripeEvent event, JsonNode sub, boolean deleted)
            throws SQLException {
        String subscriptionId = text(sub, "id");
        String customer = text(sub, "customer");
        BillingStore.Subscription known = store.subscription(c, subscriptionId);
        String accountId = known != null ? known.accountId() : text(sub.path("metadata"), "account_id");
        if (accountId == null) {
            accountId = store.customerAccount(c, customer);
        }
        if (accountId == null || store.accountPlan(c, accountId) == null) {
            return Handled.NONE;
        }
        if (known != null && (event.created() < known.eventCreated()
                || (event.created() == known.eventCreated() && "canceled".equals(known.status())))) {
            // Stripe does not deliver in order: this is older than what was applied (or a cancellation stands).
            return new Handled(accountId, false);
        }
        String status = deleted ? "canceled" : text(sub, "status");
        String priceId = text(sub.path("items").path("data").path(0).path("price"), "id");
        PricePlan plan = plan(priceId, known, sub.path("metadata"));
        store.linkCustomer(c, customer, accountId, clock.millis());
        store.saveSubscription(c, new BillingStore.Subscription(subscriptionId, accountId, customer, status,
                plan == null ? (known == null || priceId != null ? null : known.plan()) : plan.name(),
                event.created()), clock.millis());

        String targetPlan;
        Tier targetTier;
        if (LIVE_STATUSES.contains(status) && plan != null) {
            targetPlan = plan.name();
            targetTier = plan.tier();
        } else if (ENDED_STATUSES.contains(status) || (LIVE_STATUSES.contains(status) && priceId != null)) {
            // Ended, or live at a price no plan is sold with (switched in Stripe): the metadata's plan is what
            // was bought once, not what is paid now.
            PricePlan other = catalog.named(String.valueOf(store.otherLivePlan(c, accountId, subscriptionId)))
                    .or(catalog::freePlan).orElse(null);
            targetPlan = other == null ? null : other.name();
            targetTier = other == null ? Tier.FREE : other.tier();
        } else {
            // incomplete: the first payment has not gone through yet; nothing changes until it does.
            return new Handled(accountId, false);
        }
        String[] current = store.accountPlan(c, accountId);
        if (java.util.Objects.equals(current[0], targetPlan) && targetTier.wireName().equals(current[1])) {
            return new Handled(accountId, false);
        }
        boolean changed = changes.setPlan(c, accountId, targetPlan, targetTier, AuditEvent.of(AuditActions.PLAN_CHANGED,
                accountId, AuditEvent.STRIPE, event.id(), Origin.SYSTEM, details(event, "subscription", subscriptionId,
                        "status", status, "plan", targetPlan, "tier", targetTier.wireName(), "previous_plan",
                        current[0], "previous_tier", current[1])));
        return new Handled(accountId, changed);
    }

    private Handled invoicePaid(Connection c, StripeEvent event, JsonNode invoice) throws SQLException {
        String invoiceId = text(invoice, "id");
        String customer = text(invoice, "customer");
        // Where the subscription and its metadata sit depends on the API version of the endpoint.
        JsonNode details = invoice.path("parent").path("subscription_details");
        String subscriptionId = text(invoice, "subscription");
        if (subscriptionId == null) {
            subscriptionId = text(details, "subscription");
        }
        JsonNode metadata = details.path("metadata").isObject() ? details.path("metadata")
                : invoice.path("subscription_details").path("metadata");
        BillingStore.Subscription known = store.subscription(c, subscriptionId);
        String accountId = known != null ? known.accountId() : text(metadata, "account_id");
        if (accountId == null) {
            accountId = store.customerAccount(c, customer);
        }
        JsonNode line = invoice.path("lines").path("data").path(0);
        String priceId = text(line.path("price"), "id");
        if (priceId == null) {
            priceId = text(line.path("pricing").path("price_details"), "price");
        }
        PricePlan plan = plan(priceId, known, metadata);
        if (plan == null || !PERIOD_INVOICES.contains(String.valueOf(text(invoice, "billing_reason")))) {
            // Not one of our plans, or not a month of it: a proration after a plan switch, or a manual invoice,
            // is paid but buys no month of credits (else switching back and forth would mint a month each time).
            return new Handled(accountId, false);
        }
        if (accountId == null) {
            // One of our plans, but its checkout's event has not come yet: Stripe delivers this one again later.
            throw new ApiError(ErrorCode.SERVICE_UNAVAILABLE, "this invoice's account is not known yet; Stripe will"
                    + " deliver it again", Map.of("reason", "account_not_known_yet"), Duration.ofSeconds(60));
        }
        if (store.accountPlan(c, accountId) == null || invoice.path("amount_paid").asLong(0) <= 0
                || plan.monthlyCreditMicros() <= 0) {
            // An unknown account; a $0 invoice (a trial, a full discount) buys no credits.
            return new Handled(accountId, false);
        }
        store.linkCustomer(c, customer, accountId, clock.millis());
        boolean added = changes.adjustCredits(c, accountId, plan.monthlyCreditMicros(), AccountChanges.Kind.PLAN_CREDITS,
                "stripe:invoice:" + invoiceId, "plan " + plan.name() + ", invoice " + invoiceId,
                AuditEvent.of(AuditActions.CREDITS_ADDED, accountId, AuditEvent.STRIPE, event.id(), Origin.SYSTEM,
                        details(event, "amount_micros", plan.monthlyCreditMicros(), "kind",
                                AccountChanges.Kind.PLAN_CREDITS, "invoice", invoiceId, "plan", plan.name())));
        return new Handled(accountId, added);
    }

    private Handled chargeRefunded(Connection c, StripeEvent event, JsonNode charge) throws SQLException {
        String chargeId = text(charge, "id");
        if (chargeId == null || !"usd".equalsIgnoreCase(String.valueOf(text(charge, "currency")))) {
            return Handled.NONE;
        }
        String accountId = text(charge.path("metadata"), "account_id");
        if (accountId == null) {
            accountId = store.paymentAccount(c, text(charge, "payment_intent"));
        }
        if (accountId == null) {
            accountId = store.customerAccount(c, text(charge, "customer"));
        }
        if (accountId == null || store.accountPlan(c, accountId) == null) {
            return Handled.NONE;
        }
        // amount_refunded is the charge's total so far: take back what is not taken back yet, so partial refunds
        // add up, a redelivery takes nothing, and an older event arriving after a newer one takes nothing.
        long refunded = charge.path("amount_refunded").asLong(0);
        store.lockAccount(c, accountId);
        String prefix = "stripe:refund:" + chargeId + ":";
        long missing = refunded * StripeCheckout.MICROS_PER_CENT - store.refundedMicros(c, prefix);
        if (missing <= 0) {
            return new Handled(accountId, false);
        }
        boolean taken = changes.adjustCredits(c, accountId, -missing, AccountChanges.Kind.REFUND, prefix + refunded,
                "refund of charge " + chargeId, AuditEvent.of(AuditActions.CREDITS_REMOVED, accountId,
                        AuditEvent.STRIPE, event.id(), Origin.SYSTEM, details(event, "amount_micros", -missing,
                                "kind", AccountChanges.Kind.REFUND, "charge", chargeId)));
        return new Handled(accountId, taken);
    }

    /**
     * The plan a subscription or invoice is for: the one sold at its Stripe Price. Only when the event names no
     * price, the plan it was bought as (known, or its metadata); a price no plan is sold with is no plan at all.
     */
    private PricePlan plan(String priceId, BillingStore.Subscription known, JsonNode metadata) {
        if (priceId != null) {
            return catalog.byStripePrice(priceId).orElse(null);
        }
        return catalog.named(String.valueOf(known == null ? null : known.plan()))
                .or(() -> catalog.named(String.valueOf(text(metadata, "plan"))))
                .orElse(null);
    }

    /**
     * A chargeback: when Stripe takes the disputed amount from the operator's balance, its credits go too (once per
     * dispute); when a won dispute brings the money back, so do the credits. {@code charge.dispute.created} is not
     * used: an inquiry creates a dispute too, and moves no money. The account is found by the PaymentIntent of bought
     * credits (a dispute names no customer and carries no metadata of ours).
     */
    private Handled disputeFunds(Connection c, StripeEvent event, JsonNode dispute, boolean withdrawn)
            throws SQLException {
        String disputeId = text(dispute, "id");
        String accountId = store.paymentAccount(c, text(dispute, "payment_intent"));
        if (disputeId == null || accountId == null || store.accountPlan(c, accountId) == null
                || !"usd".equals(text(dispute, "currency"))) {
            return new Handled(accountId, false);
        }
        long micros = dispute.path("amount").asLong(0) * StripeCheckout.MICROS_PER_CENT;
        String taken = "stripe:dispute:" + disputeId;
        if (micros <= 0 || (!withdrawn && !store.adjusted(c, taken))) {
            return new Handled(accountId, false);
        }
        long amount = withdrawn ? -micros : micros;
        boolean changed = changes.adjustCredits(c, accountId, amount, AccountChanges.Kind.DISPUTE,
                withdrawn ? taken : "stripe:dispute-reinstated:" + disputeId,
                (withdrawn ? "dispute " : "dispute won ") + disputeId + " of charge " + text(dispute, "charge"),
                AuditEvent.of(withdrawn ? AuditActions.CREDITS_REMOVED : AuditActions.CREDITS_ADDED, accountId,
                        AuditEvent.STRIPE, event.id(), Origin.SYSTEM, details(event, "amount_micros", amount, "kind",
                                AccountChanges.Kind.DISPUTE, "dispute", disputeId, "charge", text(dispute, "charge"))));
        return new Handled(accountId, changed);
    }

    /** The audit entry's details: the Stripe event always, then the pairs given (nulls left out). */
    private static Map<String, Object> details(StripeEvent event, Object... pairs) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("stripe_event", event.id());
        out.put("event_type", event.type());
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] != null) {
                out.put((String) pairs[i], pairs[i + 1]);
            }
        }
        return out;
    }

    /** A string field, or null when absent, null or not a string (an expanded object is not an id). */
    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isTextual() && !v.asText().isBlank() ? v.asText() : null;
    }

    /**
     * Audit entries for refused deliveries, at most one a second per instance: the webhook needs no key, so anyone
     * can post to it, and the log must not be theirs to fill. The entries left out are counted in the next one.
     */
    static final class RejectionLog {
        private final AccountChanges changes;
        private final Clock clock;
        private long lastMs = Long.MIN_VALUE;
        private long suppressed;

        RejectionLog(AccountChanges changes, Clock clock) {
            this.changes = changes;
            this.clock = clock;
        }

        void record(String reason, Origin origin) throws SQLException {
            long skipped;
            synchronized (this) {
                long now = clock.millis();
                if (lastMs != Long.MIN_VALUE && now - lastMs < 1000) {
                    suppressed++;
                    return;
                }
                lastMs = now;
                skipped = suppressed;
                suppressed = 0;
            }
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("reason", reason);
            if (skipped > 0) {
                details.put("suppressed_before", skipped);
            }
            changes.audit().record(AuditEvent.of(AuditActions.WEBHOOK_REJECTED, null, AuditEvent.STRIPE, null, origin,
                    details));
        }
    }
}
