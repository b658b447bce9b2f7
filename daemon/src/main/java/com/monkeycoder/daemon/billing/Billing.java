package com.monkeycoder.daemon.billing;

import com.monkeycoder.daemon.accounts.AccountChanges;
import com.monkeycoder.daemon.audit.AuditActions;
import com.monkeycoder.daemon.audit.AuditEvent;
import com.monkeycoder.daemon.audit.Origin;
import com.monkeycoder.daemon.config.BillingSettings;
import com.monkeycoder.daemon.errors.ApiError;
import com.monkeycoder.daemon.errors.ErrorCode;

import java.sql.SQLException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Paying for the shared gateway with Stripe: Checkout Sessions for credits or a plan, the webhook that turns
 * Stripe's events into credits and plans, and an account's payment history. Without the Stripe settings every
 * billing route answers 503 naming what is missing; the rest of the gateway runs as before.
 */
public final class Billing {

    /** Stripe's smallest USD charge. */
    static final long MIN_CREDIT_MICROS = 500_000;

    private final BillingSettings settings;
    private final PlanCatalog catalog;
    private final AccountChanges changes;
    private final BillingStore store = new BillingStore();
    private final StripeCheckout checkout;
    private final StripeWebhooks webhooks;

    public Billing(BillingSettings settings, PlanCatalog catalog, AccountChanges changes, Clock clock) {
        this.settings = settings;
        this.catalog = catalog;
        this.changes = changes;
        this.checkout = settings.missingForCheckout().isEmpty() ? new StripeCheckout(StripeCheckout.client(
                settings.secretKey(), settings.apiBase()), settings.successUrl(), settings.cancelUrl()) : null;
        this.webhooks = settings.missingForWebhook().isEmpty()
                ? new StripeWebhooks(settings.webhookSecret(), changes, store, catalog, clock) : null;
    }

    /** Opens a Checkout Session for the account and writes {@code checkout_created} to the audit log. */
    public CheckoutSession checkout(String accountId, CheckoutRequest request, Origin origin) throws SQLException {
        if (checkout == null) {
            throw unconfigured(settings.missingForCheckout());
        }
        String customer = changes.inTransaction(c -> store.accountCustomer(c, accountId));
        Map<String, Object> details = new LinkedHashMap<>();
        CheckoutSession session = switch (request) {
            case CheckoutRequest.Credits credits -> {
                long micros = credits.micros();
                if (micros < MIN_CREDIT_MICROS || micros > settings.maxCreditMicros()) {
                    throw ApiError.validation("credits_usd", "must be from 0.50 to "
                            + java.math.BigDecimal.valueOf(settings.maxCreditMicros(), 6).stripTrailingZeros()
                            .toPlainString() + " dollars");
                }
                if (micros % StripeCheckout.MICROS_PER_CENT != 0) {
                    throw ApiError.validation("credits_usd", "must be whole cents, such as 10 or 12.50");
                }
                details.put("mode", "payment");
                details.put("credits_micros", micros);
                yield checkout.buyCredits(accountId, micros, customer);
            }
            case CheckoutRequest.Subscription subscription -> {
                PricePlan plan = catalog.named(subscription.plan()).orElseThrow(() -> ApiError.validation("plan",
                        "is not a plan of this gateway: one of " + String.join(", ",
                                catalog.plans().stream().filter(p -> p.stripePriceId() != null)
                                        .map(PricePlan::name).toList())));
                if (plan.stripePriceId() == null) {
                    throw ApiError.validation("plan", "'" + plan.name() + "' is not sold through Stripe on this"
                            + " gateway (its plans.json entry has no stripe_price_id)");
                }
                details.put("mode", "subscription");
                details.put("plan", plan.name());
                yield checkout.subscribe(accountId, plan, customer);
            }
        };
        details.put("session_id", session.id());
        changes.audit().record(AuditEvent.of(AuditActions.CHECKOUT_CREATED, accountId, accountId, session.id(),
                origin, details));
        return session;
    }

    /** Checks and applies one delivery of Stripe's webhook; see {@link StripeWebhooks}. */
    public WebhookReceipt webhook(String payload, String signature, Origin origin) throws SQLException {
        if (webhooks == null) {
            throw unconfigured(settings.missingForWebhook());
        }
        StripeWebhooks.Result result = webhooks.receive(payload, signature, origin);
        return new WebhookReceipt(result.eventId(), result.type(), result.outcome().name().toLowerCase(
                java.util.Locale.ROOT));
    }

    /** The account's credit changes (purchases, plan credits, refunds, grants), newest first. */
    public List<AccountChanges.CreditAdjustment> payments(String accountId, int limit) throws SQLException {
        return changes.creditHistory(accountId, limit);
    }

    /** What became of a webhook delivery: {@code applied}, {@code duplicate} or {@code ignored}. */
    public record WebhookReceipt(String eventId, String type, String outcome) {
    }

    private static ApiError unconfigured(List<String> missing) {
        return new ApiError(ErrorCode.SERVICE_UNAVAILABLE, "billing is not configured on this gateway: its operator"
                + " sets " + String.join(", ", missing), Map.of("reason", "billing_not_configured", "missing", missing),
                null);
    }
}
