-- Stripe billing. Each webhook event is applied once: its id goes into stripe_events in the same transaction as
-- the change it makes, so a redelivery (Stripe delivers at least once) finds it and changes nothing.
CREATE TABLE stripe_events (
    id           TEXT    PRIMARY KEY,
    type         TEXT    NOT NULL,
    account_id   TEXT,
    processed_ms INTEGER NOT NULL
);
-- Which account a Stripe customer pays for: learnt from a completed Checkout Session, used to place invoices,
-- subscriptions and refunds that carry only the customer.
CREATE TABLE stripe_customers (
    customer_id TEXT    PRIMARY KEY,
    account_id  TEXT    NOT NULL,
    created_ms  INTEGER NOT NULL
);
CREATE INDEX stripe_customers_by_account ON stripe_customers (account_id);
-- The last subscription event applied per subscription: Stripe does not deliver in order, so an event created
-- before event_created (seconds, Stripe's clock) is older news and is not applied.
CREATE TABLE stripe_subscriptions (
    id            TEXT    PRIMARY KEY,
    account_id    TEXT    NOT NULL,
    customer_id   TEXT,
    status        TEXT    NOT NULL,
    plan          TEXT,
    event_created INTEGER NOT NULL,
    updated_ms    INTEGER NOT NULL
);
CREATE INDEX stripe_subscriptions_by_account ON stripe_subscriptions (account_id);
-- Credits bought with a one-off payment, by its PaymentIntent: a refund of that payment names the PaymentIntent.
CREATE TABLE stripe_payments (
    payment_intent TEXT    PRIMARY KEY,
    account_id     TEXT    NOT NULL,
    session_id     TEXT    NOT NULL,
    credits_micros INTEGER NOT NULL,
    created_ms     INTEGER NOT NULL
)
