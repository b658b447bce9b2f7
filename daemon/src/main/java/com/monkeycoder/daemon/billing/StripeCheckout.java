package com.monkeycoder.daemon.billing;

import com.monkeycoder.daemon.errors.ApiError;
import com.monkeycoder.daemon.errors.ErrorCode;
import com.stripe.StripeClient;
import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.StripeException;
import com.stripe.model.checkout.Session;
import com.stripe.param.checkout.SessionCreateParams;

import java.math.BigDecimal;
import java.util.Map;

/**
 * Creates Stripe Checkout Sessions through a {@link StripeClient} of this gateway's own (its key and API address
 * come through the constructor; nothing is set on the library's global {@code Stripe} class). What the buyer pays
 * for is written into the session's metadata, which comes back signed in the webhook's events.
 */
final class StripeCheckout {

    /** A cent, in micro-dollars. */
    static final long MICROS_PER_CENT = 10_000;

    private final StripeClient client;
    private final String successUrl;
    private final String cancelUrl;

    StripeCheckout(StripeClient client, String successUrl, String cancelUrl) {
        this.client = client;
        this.successUrl = successUrl;
        this.cancelUrl = cancelUrl;
    }

    static StripeClient client(String secretKey, String apiBase) {
        StripeClient.StripeClientBuilder builder = StripeClient.builder().setApiKey(secretKey)
                .setConnectTimeout(10_000).setReadTimeout(30_000).setMaxNetworkRetries(2);
        if (apiBase != null) {
            builder.setApiBase(apiBase.endsWith("/") ? apiBase.substring(0, apiBase.length() - 1) : apiBase);
        }
        return builder.build();
    }

    /** A one-off payment of {@code creditMicros} (whole cents) that buys as many micro-dollars of credits. */
    CheckoutSession buyCredits(String accountId, long creditMicros, String customerId) {
        long cents = creditMicros / MICROS_PER_CENT;
        Map<String, String> metadata = Map.of("account_id", accountId, "credits_micros", String.valueOf(creditMicros));
        SessionCreateParams.Builder params = SessionCreateParams.builder()
                .setMode(SessionCreateParams.Mode.PAYMENT)
                .setSuccessUrl(successUrl)
                .setCancelUrl(cancelUrl)
                .setClientReferenceId(accountId)
                .putAllMetadata(metadata)
                // Copied to the PaymentIntent (and so to its charge), where a refund finds the account.
                .setPaymentIntentData(SessionCreateParams.PaymentIntentData.builder().putAllMetadata(metadata).build())
                .addLineItem(SessionCreateParams.LineItem.builder()
                        .setQuantity(1L)
                        .setPriceData(SessionCreateParams.LineItem.PriceData.builder()
                                .setCurrency("usd")
                                .setUnitAmount(cents)
                                .setProductData(SessionCreateParams.LineItem.PriceData.ProductData.builder()
                                        .setName("Monkey Coder credits ($" + BigDecimal.valueOf(cents, 2) + ")")
                                        .build())
                                .build())
                        .build());
        if (customerId != null) {
            params.setCustomer(customerId);
        } else {
            // A customer, so later invoices and refunds that carry only the customer still find the account.
            params.setCustomerCreation(SessionCreateParams.CustomerCreation.ALWAYS);
        }
        return create(params.build());
    }

    /** A monthly subscription to {@code plan} at its Stripe Price. */
    CheckoutSession subscribe(String accountId, PricePlan plan, String customerId) {
        Map<String, String> metadata = Map.of("account_id", accountId, "plan", plan.name());
        SessionCreateParams.Builder params = SessionCreateParams.builder()
                .setMode(SessionCreateParams.Mode.SUBSCRIPTION)
                .setSuccessUrl(successUrl)
                .setCancelUrl(cancelUrl)
                .setClientReferenceId(accountId)
                .putAllMetadata(metadata)
                // On the subscription itself: its events (and its invoices) then name the account even when they
                // arrive before the checkout's own event.
                .setSubscriptionData(SessionCreateParams.SubscriptionData.builder().putAllMetadata(metadata).build())
                .addLineItem(SessionCreateParams.LineItem.builder().setPrice(plan.stripePriceId()).setQuantity(1L)
                        .build());
        if (customerId != null) {
            params.setCustomer(customerId);
        }
        return create(params.build());
    }

    private CheckoutSession create(SessionCreateParams params) {
        try {
            Session session = client.v1().checkout().sessions().create(params);
            return new CheckoutSession(session.getId(), session.getUrl());
        } catch (ApiConnectionException e) {
            throw new ApiError(ErrorCode.SERVICE_UNAVAILABLE, "Stripe could not be reached; try again shortly",
                    Map.of("reason", "stripe_unavailable"), java.time.Duration.ofSeconds(5));
        } catch (StripeException e) {
            // Stripe's message may quote request details; the code and request id are enough to look it up.
            String code = e.getCode() != null ? e.getCode() : e.getClass().getSimpleName();
            throw new ApiError(ErrorCode.SERVICE_UNAVAILABLE, "Stripe refused to create the checkout session ("
                    + code + "); the gateway's operator can look up request " + e.getRequestId(),
                    Map.of("reason", "stripe_error", "stripe_code", code), null);
        }
    }
}
