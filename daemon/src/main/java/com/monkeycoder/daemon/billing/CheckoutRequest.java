package com.monkeycoder.daemon.billing;

/** What a buyer asks to pay for: credits once, or a plan each month. */
public sealed interface CheckoutRequest {

    /** Credits worth {@code micros}, paid once. */
    record Credits(long micros) implements CheckoutRequest {
    }

    /** A monthly subscription to the plan of this name. */
    record Subscription(String plan) implements CheckoutRequest {
    }
}
