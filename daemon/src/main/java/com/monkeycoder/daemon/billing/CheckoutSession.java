package com.monkeycoder.daemon.billing;

/** A Stripe Checkout Session the buyer is sent to: its id and the page's address. */
public record CheckoutSession(String id, String url) {
}
