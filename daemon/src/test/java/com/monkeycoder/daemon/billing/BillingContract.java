package com.monkeycoder.daemon.billing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.monkeycoder.daemon.testing.FakeStripe;
import com.monkeycoder.daemon.testing.MutableClock;
import com.monkeycoder.daemon.testing.OpenAiFixtures;
import com.monkeycoder.daemon.testing.SharedStores;
import com.monkeycoder.daemon.testing.TestGateway;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stripe billing on a shared gateway against a fake Stripe API and webhook events signed as Stripe signs them,
 * written once and run on each engine ({@link SqliteBillingTest}, {@link PostgresBillingTest}).
 */
abstract class BillingContract {

    static final String PRO_PRICE = "price_1ProMonthly";
    static final long DOLLAR = 1_000_000;

    @TempDir
    Path home;

    MutableClock clock = new MutableClock(Instant.parse("2026-01-15T10:00:00Z"));
    SharedStores stores;
    MockWebServer openai;
    FakeStripe stripe;
    TestGateway gateway;
    int events;
    Map<String, String> env;

    abstract SharedStores.Engine engine();

    @BeforeEach
    void start() throws IOException {
        stores = SharedStores.create(engine(), home);
        openai = new MockWebServer();
        openai.setDispatcher(new okhttp3.mockwebserver.Dispatcher() {
            @Override
            public okhttp3.mockwebserver.MockResponse dispatch(okhttp3.mockwebserver.RecordedRequest request) {
                return OpenAiFixtures.json(200, "chat-completion.json");
            }
        });
        openai.start();
        stripe = new FakeStripe();
        Files.createDirectories(home.resolve("config"));
        Files.writeString(home.resolve("config/plans.json"), """
                {"plans": [
                  {"name": "free", "description": "free", "price_usd": 0, "credits_usd_per_month": 0, "tier": "free"},
                  {"name": "pro", "description": "pro", "price_usd": 20, "credits_usd_per_month": 20, "tier": "pro",
                   "stripe_price_id": "%s"},
                  {"name": "team", "description": "not sold online", "price_usd": 200, "credits_usd_per_month": 200,
                   "tier": "enterprise"}
                ]}""".formatted(PRO_PRICE));
        env = new HashMap<>(stripe.gatewayEnv());
        env.put("OPENAI_API_KEY", "sk-test-upstream-key-0000");
        env.put("OPENAI_BASE_URL", openai.url("/v1").toString());
        env.put("MONKEY_CODER_STARTER_CREDITS_USD", "0");
        env.put("MONKEY_CODER_ADMIN_EMAILS", "admin@example.com");
        gateway = TestGateway.startShared(home, stores, env, clock);
    }

    @AfterEach
    void stop() throws IOException {
        gateway.close();
        stripe.close();
        openai.shutdown();
        stores.close();
    }

    // --- helpers -------------------------------------------------------------------------------------------

    record User(String id, String key) {
    }

    User register(String email) {
        HttpResponse<String> r = gateway.post("/v1/auth/register",
                "{\"email\":\"" + email + "\",\"password\":\"correct horse battery\"}", (String) null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode body = TestGateway.json(r);
        return new User(body.path("user_id").asText(), body.path("api_key").asText());
    }

    long balance(User user) {
        return TestGateway.json(gateway.get("/usage", user.key())).path("credit_micros").asLong();
    }

    /** The tier the gateway applies, once the 30-second key cache has let go of the old one. */
    String tier(User user) {
        clock.advance(Duration.ofSeconds(31));
        return TestGateway.json(gateway.get("/usage", user.key())).path("tier").asText();
    }

    HttpResponse<String> checkout(User user, String body) {
        // A second apart, so the audit log's order (by time) is the order of the steps.
        clock.advance(Duration.ofSeconds(1));
        return gateway.post("/v1/billing/checkout", body, user.key());
    }

    long now() {
        return clock.instant().getEpochSecond();
    }

    String nextEventId() {
        return "evt_test_" + (++events);
    }

    HttpResponse<String> deliver(String payload) {
        clock.advance(Duration.ofSeconds(1));
        return deliver(payload, FakeStripe.signature(payload, FakeStripe.WEBHOOK_SECRET, now()));
    }

    HttpResponse<String> deliver(String payload, String signature) {
        return gateway.post("/v1/billing/webhook", payload, Map.of("Stripe-Signature", signature,
                "Content-Type", "application/json"));
    }

    static ObjectNode object(String json) {
        return FakeStripe.object(json);
    }

    ObjectNode paidCreditsSession(String sessionId, User user, long micros, String paymentIntent) {
        return FakeStripe.paidCreditsSession(sessionId, user.id(), micros, paymentIntent);
    }

    ObjectNode subscription(String id, User user, String status, String price) {
        return FakeStripe.subscription(id, user.id(), status, price);
    }

    ObjectNode invoice(String id, String subscription, long amountPaid) {
        return invoice(id, subscription, amountPaid, PRO_PRICE, "subscription_create");
    }

    ObjectNode invoice(String id, String subscription, long amountPaid, String price, String billingReason) {
        return object("""
                {"id": "%s", "object": "invoice", "customer": "cus_test_1", "amount_paid": %d, "currency": "usd",
                 "status": "paid", "billing_reason": "%s",
                 "parent": {"type": "subscription_details", "subscription_details": {"subscription": "%s",
                   "metadata": {}}},
                 "lines": {"object": "list", "data": [{"id": "il_1", "object": "line_item", "amount": %d,
                   "pricing": {"type": "price_details", "price_details": {"price": "%s", "product": "prod_1"}}}]}}"""
                .formatted(id, amountPaid, billingReason, subscription, amountPaid, price));
    }

    ObjectNode refundedCharge(String id, String paymentIntent, long amount, long amountRefunded) {
        return FakeStripe.refundedCharge(id, paymentIntent, amount, amountRefunded);
    }

    HttpResponse<String> priced(User user) {
        return gateway.post("/v1/chat/completions", "{\"model\":\"openai/gpt-4.1-mini\",\"max_tokens\":16,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"tell me a joke\"}]}", user.key());
    }

    List<JsonNode> audit(String key) {
        List<JsonNode> out = new ArrayList<>();
        TestGateway.json(gateway.get("/v1/audit?limit=500", key)).path("events").forEach(out::add);
        return out.reversed();
    }

    // --- checkout ------------------------------------------------------------------------------------------

    @Test
    void creditsCheckoutAsksStripeForAPaymentOfThatAmountForTheAccount() {
        User ada = register("ada@example.com");

        HttpResponse<String> r = checkout(ada, "{\"credits_usd\": 10}");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode body = TestGateway.json(r);
        assertThat(body.path("session_id").asText()).isEqualTo("cs_test_fake1");
        assertThat(body.path("url").asText()).startsWith("https://checkout.stripe.com/c/pay/cs_test_fake1");
        FakeStripe.Call call = stripe.calls().getLast();
        assertThat(call.path()).isEqualTo("/v1/checkout/sessions");
        assertThat(call.authorization()).isEqualTo("Bearer " + FakeStripe.SECRET_KEY);
        assertThat(call.form()).containsEntry("mode", "payment")
                .containsEntry("line_items[0][quantity]", "1")
                .containsEntry("line_items[0][price_data][currency]", "usd")
                .containsEntry("line_items[0][price_data][unit_amount]", "1000")
                .containsEntry("metadata[account_id]", ada.id())
                .containsEntry("metadata[credits_micros]", "10000000")
                .containsEntry("payment_intent_data[metadata][account_id]", ada.id())
                .containsEntry("client_reference_id", ada.id())
                .containsEntry("customer_creation", "always")
                .containsEntry("success_url", "https://billing.example.test/success")
                .containsEntry("cancel_url", "https://billing.example.test/cancel");
        assertThat(audit(ada.key())).filteredOn(e -> e.path("action").asText().equals("checkout_created"))
                .singleElement().satisfies(e -> {
                    assertThat(e.path("target").asText()).isEqualTo("cs_test_fake1");
                    assertThat(e.path("details").path("credits_micros").asLong()).isEqualTo(10 * DOLLAR);
                    assertThat(e.path("details").path("mode").asText()).isEqualTo("payment");
                });
    }

    @Test
    void planCheckoutAsksStripeForASubscriptionAtThePlansPrice() {
        User ada = register("ada@example.com");

        HttpResponse<String> r = checkout(ada, "{\"plan\": \"pro\"}");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(stripe.calls().getLast().form()).containsEntry("mode", "subscription")
                .containsEntry("line_items[0][price]", PRO_PRICE)
                .containsEntry("line_items[0][quantity]", "1")
                .containsEntry("subscription_data[metadata][account_id]", ada.id())
                .containsEntry("subscription_data[metadata][plan]", "pro")
                .containsEntry("metadata[plan]", "pro")
                .containsEntry("client_reference_id", ada.id())
                .doesNotContainKey("line_items[0][price_data][unit_amount]");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{\"credits_usd\": 0}|credits_usd",
            "{\"credits_usd\": -5}|credits_usd",
            "{\"credits_usd\": 0.10}|credits_usd",
            "{\"credits_usd\": 10000.01}|credits_usd",
            "{\"credits_usd\": 1e12}|credits_usd",
            "{\"credits_usd\": 10.005}|credits_usd",
            "{\"credits_usd\": 10.001}|credits_usd",
            "{\"credits_usd\": 1e400}|credits_usd",
            "{\"credits_usd\": 1e-400}|credits_usd",
            "{\"credits_usd\": -0}|credits_usd",
            "{\"credits_usd\": -0.0}|credits_usd",
            "{\"credits_usd\": 1E+308}|credits_usd",
            "{\"credits_usd\": \"10\"}|credits_usd",
            "{\"credits_usd\": true}|credits_usd",
            "{}|credits_usd",
            "{\"credits_usd\": 10, \"plan\": \"pro\"}|plan",
            "{\"plan\": \"platinum\"}|plan",
            "{\"plan\": \"team\"}|plan",
            "{\"plan\": 7}|plan"})
    void badCheckoutsAre422NamingTheFieldAndNeverReachStripe(String json, String field) {
        User ada = register("ada@example.com");

        HttpResponse<String> r = checkout(ada, json);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
        JsonNode error = TestGateway.json(r).path("error");
        assertThat(error.path("code").asText()).isEqualTo("VALIDATION_ERROR");
        assertThat(error.path("details").path("field").asText()).isEqualTo(field);
        assertThat(stripe.calls()).isEmpty();
    }

    @Test
    void checkoutAndPaymentsNeedTheBillingScope() {
        User ada = register("ada@example.com");
        HttpResponse<String> created = gateway.post("/v1/auth/keys", "{\"name\":\"ci\"}", ada.key());
        String chatOnly = TestGateway.json(created).path("api_key").asText();

        assertThat(gateway.post("/v1/billing/checkout", "{\"credits_usd\": 10}", chatOnly).statusCode()).isEqualTo(403);
        assertThat(gateway.get("/v1/billing/payments", chatOnly).statusCode()).isEqualTo(403);
        assertThat(gateway.post("/v1/billing/checkout", "{\"credits_usd\": 10}", (String) null).statusCode())
                .isEqualTo(401);
        assertThat(stripe.calls()).isEmpty();
    }

    @Test
    void withoutTheStripeSettingsBothRoutesAre503NamingTheVariables() {
        User ada = register("ada@example.com");
        Map<String, String> env = new HashMap<>();
        env.put("MONKEY_CODER_STARTER_CREDITS_USD", "0");
        try (TestGateway bare = TestGateway.startShared(home.resolve("bare"), stores, env, clock)) {
            HttpResponse<String> checkout = bare.post("/v1/billing/checkout", "{\"credits_usd\": 10}", ada.key());
            String payload = FakeStripe.event("evt_x", "invoice.paid", now(), object("{\"id\":\"in_x\"}"));
            HttpResponse<String> webhook = bare.post("/v1/billing/webhook", payload,
                    Map.of("Stripe-Signature", FakeStripe.signature(payload, FakeStripe.WEBHOOK_SECRET, now())));

            assertThat(checkout.statusCode()).isEqualTo(503);
            assertThat(TestGateway.json(checkout).path("error").path("message").asText())
                    .contains("STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "MONKEY_CODER_BILLING_SUCCESS_URL");
            assertThat(webhook.statusCode()).isEqualTo(503);
            assertThat(TestGateway.json(webhook).path("error").path("details").path("missing"))
                    .extracting(JsonNode::asText).containsExactly("STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET");
        }
        assertThat(balance(ada)).isZero();
    }

    // --- the webhook ---------------------------------------------------------------------------------------

    @Test
    @DisplayName("buy $10, credited once over three deliveries; subscribe to Pro; invoice credits once; refunds to 402")
    void theWholeBillingFlow() {
        User ada = register("ada@example.com");
        String sessionId = TestGateway.json(checkout(ada, "{\"credits_usd\": 10}")).path("session_id").asText();

        String purchase = FakeStripe.event(nextEventId(), "checkout.session.completed", now(),
                paidCreditsSession(sessionId, ada, 10 * DOLLAR, "pi_test_1"));
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = deliver(purchase);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(TestGateway.json(r).path("outcome").asText()).isEqualTo(i == 0 ? "applied" : "duplicate");
        }
        assertThat(balance(ada)).isEqualTo(10 * DOLLAR);

        checkout(ada, "{\"plan\": \"pro\"}");
        String subCheckout = FakeStripe.event(nextEventId(), "checkout.session.completed", now(), FakeStripe.subscriptionCheckout("cs_test_sub", ada.id(), "sub_test_1"));
        assertThat(deliver(subCheckout).statusCode()).isEqualTo(200);
        String created = FakeStripe.event(nextEventId(), "customer.subscription.created", now(),
                subscription("sub_test_1", ada, "active", PRO_PRICE));
        assertThat(deliver(created).statusCode()).isEqualTo(200);
        assertThat(tier(ada)).isEqualTo("pro");

        String paid = FakeStripe.event(nextEventId(), "invoice.paid", now(), invoice("in_test_1", "sub_test_1", 2000));
        deliver(paid);
        deliver(paid);
        assertThat(balance(ada)).isEqualTo(30 * DOLLAR);

        HttpResponse<String> spent = priced(ada);
        assertThat(spent.statusCode()).as(spent.body()).isEqualTo(200);
        long afterSpend = balance(ada);
        assertThat(afterSpend).isLessThan(30 * DOLLAR);

        String refundPurchase = FakeStripe.event(nextEventId(), "charge.refunded", now(),
                refundedCharge("ch_test_1", "pi_test_1", 1000, 1000));
        String refundInvoice = FakeStripe.event(nextEventId(), "charge.refunded", now(),
                refundedCharge("ch_test_2", "pi_test_invoice", 2000, 2000));
        deliver(refundPurchase);
        deliver(refundInvoice);
        deliver(refundPurchase);
        assertThat(balance(ada)).isEqualTo(afterSpend - 30 * DOLLAR).isNegative();

        HttpResponse<String> refused = priced(ada);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(402);

        List<JsonNode> log = audit(ada.key());
        assertThat(log).extracting(e -> e.path("action").asText()).containsSubsequence("checkout_created",
                "credits_added", "checkout_created", "stripe_customer_linked", "plan_changed", "credits_added",
                "credits_removed", "credits_removed");
        assertThat(log).filteredOn(e -> e.path("actor").asText().equals("stripe"))
                .extracting(e -> e.path("details").path("stripe_event").asText())
                .containsExactly("evt_test_1", "evt_test_2", "evt_test_3", "evt_test_4", "evt_test_5", "evt_test_6");
        assertThat(log).filteredOn(e -> e.path("action").asText().equals("plan_changed")).singleElement()
                .satisfies(e -> assertThat(e.path("details").path("tier").asText()).isEqualTo("pro"));

        JsonNode payments = TestGateway.json(gateway.get("/v1/billing/payments", ada.key())).path("payments");
        assertThat(payments).extracting(p -> p.path("kind").asText() + " " + p.path("amount_micros").asLong())
                .containsExactlyInAnyOrder("purchase 10000000", "plan_credits 20000000", "refund -10000000",
                        "refund -20000000");
    }

    @Test
    void paymentHistoryShowsOnlyTheCallersOwnChanges() {
        User ada = register("ada@example.com");
        User bob = register("bob@example.com");
        deliver(FakeStripe.event(nextEventId(), "checkout.session.completed", now(),
                paidCreditsSession("cs_ada", ada, 5 * DOLLAR, "pi_ada")));

        assertThat(TestGateway.json(gateway.get("/v1/billing/payments", ada.key())).path("payments")).hasSize(1);
        assertThat(TestGateway.json(gateway.get("/v1/billing/payments", bob.key())).path("payments")).isEmpty();
        assertThat(gateway.get("/v1/billing/payments?limit=0", ada.key()).statusCode()).isEqualTo(422);
    }

    @Test
    void aStaleOrWrongSignatureIs400WithAnAuditEntryAndChangesNothing() {
        User ada = register("ada@example.com");
        User admin = register("admin@example.com");
        String payload = FakeStripe.event(nextEventId(), "checkout.session.completed", now(),
                paidCreditsSession("cs_forged", ada, 500 * DOLLAR, "pi_forged"));

        HttpResponse<String> stale = deliver(payload,
                FakeStripe.signature(payload, FakeStripe.WEBHOOK_SECRET, now() - 301));
        clock.advance(Duration.ofSeconds(2));
        HttpResponse<String> wrong = deliver(payload, FakeStripe.signature(payload, "whsec_not_the_secret", now()));
        clock.advance(Duration.ofSeconds(2));
        HttpResponse<String> tampered = deliver(payload.replace("500000000", "900000000"),
                FakeStripe.signature(payload, FakeStripe.WEBHOOK_SECRET, now()));
        clock.advance(Duration.ofSeconds(2));
        HttpResponse<String> missing = gateway.post("/v1/billing/webhook", payload, Map.of());

        assertThat(List.of(stale, wrong, tampered, missing)).allSatisfy(r -> {
            assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
            assertThat(TestGateway.json(r).path("error").path("code").asText()).isEqualTo("BAD_REQUEST");
            assertThat(r.body()).doesNotContain(FakeStripe.WEBHOOK_SECRET);
        });
        assertThat(TestGateway.json(stale).path("error").path("details").path("reason").asText())
                .isEqualTo("stale_timestamp");
        assertThat(TestGateway.json(wrong).path("error").path("details").path("reason").asText())
                .isEqualTo("bad_signature");
        assertThat(balance(ada)).isZero();
        assertThat(audit(admin.key())).filteredOn(e -> e.path("action").asText().equals("webhook_rejected"))
                .extracting(e -> e.path("details").path("reason").asText())
                .containsExactly("stale_timestamp", "bad_signature", "bad_signature", "missing_signature");

        // The same event, properly signed, still applies: the rejected deliveries did not mark it processed.
        assertThat(TestGateway.json(deliver(payload)).path("outcome").asText()).isEqualTo("applied");
        assertThat(balance(ada)).isEqualTo(500 * DOLLAR);
    }

    @Test
    void aFloodOfForgedDeliveriesWritesAtMostOneAuditEntryASecond() {
        User admin = register("admin@example.com");
        String payload = FakeStripe.event("evt_flood", "invoice.paid", now(), object("{\"id\":\"in_x\"}"));
        for (int i = 0; i < 20; i++) {
            assertThat(deliver(payload, "t=" + now() + ",v1=00").statusCode()).isEqualTo(400);
        }
        clock.advance(Duration.ofSeconds(1));
        deliver(payload, "t=" + now() + ",v1=00");

        assertThat(audit(admin.key())).filteredOn(e -> e.path("action").asText().equals("webhook_rejected"))
                .extracting(e -> e.path("details").path("suppressed_before").asLong(0)).containsExactly(0L, 19L);
    }

    @Test
    void subscriptionEventsArrivingOutOfOrderKeepTheNewestState() {
        User ada = register("ada@example.com");
        long t = now();
        String created = FakeStripe.event(nextEventId(), "customer.subscription.created", t,
                subscription("sub_1", ada, "incomplete", PRO_PRICE));
        String active = FakeStripe.event(nextEventId(), "customer.subscription.updated", t + 10,
                subscription("sub_1", ada, "active", PRO_PRICE));
        String deleted = FakeStripe.event(nextEventId(), "customer.subscription.deleted", t + 30,
                subscription("sub_1", ada, "canceled", PRO_PRICE));
        String lateUpdate = FakeStripe.event(nextEventId(), "customer.subscription.updated", t + 20,
                subscription("sub_1", ada, "active", PRO_PRICE));

        deliver(active);
        assertThat(TestGateway.json(deliver(created)).path("outcome").asText()).isEqualTo("ignored");
        assertThat(tier(ada)).isEqualTo("pro");
        deliver(deleted);
        assertThat(TestGateway.json(deliver(lateUpdate)).path("outcome").asText()).isEqualTo("ignored");
        assertThat(tier(ada)).isEqualTo("free");
        assertThat(audit(ada.key())).filteredOn(e -> e.path("action").asText().equals("plan_changed"))
                .extracting(e -> e.path("details").path("plan").asText() + "/" + e.path("details").path("tier").asText())
                .containsExactly("pro/pro", "free/free");
    }

    @Test
    void anUnpaidCheckoutAddsNothingUntilItsAsyncPaymentSucceedsAndThenOnlyOnce() {
        User ada = register("ada@example.com");
        ObjectNode unpaid = paidCreditsSession("cs_async", ada, 7 * DOLLAR, "pi_async");
        unpaid.put("payment_status", "unpaid");

        deliver(FakeStripe.event(nextEventId(), "checkout.session.completed", now(), unpaid));
        assertThat(balance(ada)).isZero();
        ObjectNode paid = paidCreditsSession("cs_async", ada, 7 * DOLLAR, "pi_async");
        deliver(FakeStripe.event(nextEventId(), "checkout.session.async_payment_succeeded", now(), paid));
        deliver(FakeStripe.event(nextEventId(), "checkout.session.completed", now(), paid));

        assertThat(balance(ada)).isEqualTo(7 * DOLLAR);
    }

    @Test
    void partialRefundsAddUpAndAnOlderRefundEventTakesNothingMore() {
        User ada = register("ada@example.com");
        deliver(FakeStripe.event(nextEventId(), "checkout.session.completed", now(),
                paidCreditsSession("cs_r", ada, 10 * DOLLAR, "pi_r")));
        String first = FakeStripe.event(nextEventId(), "charge.refunded", now(), refundedCharge("ch_r", "pi_r", 1000, 300));
        String second = FakeStripe.event(nextEventId(), "charge.refunded", now(), refundedCharge("ch_r", "pi_r", 1000, 500));

        deliver(second);
        deliver(first);

        assertThat(balance(ada)).isEqualTo(5 * DOLLAR);
    }

    @Test
    void unknownEventTypesAndEventsOfOtherCustomersAreAcknowledgedAndIgnored() {
        User ada = register("ada@example.com");

        HttpResponse<String> unknown = deliver(FakeStripe.event(nextEventId(), "customer.created", now(),
                object("{\"id\":\"cus_other\",\"object\":\"customer\"}")));
        HttpResponse<String> stranger = deliver(FakeStripe.event(nextEventId(), "charge.refunded", now(),
                object("{\"id\":\"ch_x\",\"object\":\"charge\",\"amount_refunded\":500,\"currency\":\"usd\","
                        + "\"customer\":\"cus_stranger\",\"metadata\":{}}")));

        assertThat(unknown.statusCode()).isEqualTo(200);
        assertThat(TestGateway.json(unknown).path("outcome").asText()).isEqualTo("ignored");
        assertThat(TestGateway.json(stranger).path("outcome").asText()).isEqualTo("ignored");
        assertThat(balance(ada)).isZero();
    }

    @Test
    void anInvoiceOfAPlanWhoseAccountIsNotKnownYetIsRefusedSoStripeDeliversItAgain() {
        User ada = register("ada@example.com");
        String paid = FakeStripe.event(nextEventId(), "invoice.paid", now(), invoice("in_early", "sub_early", 2000));

        HttpResponse<String> early = deliver(paid);
        assertThat(early.statusCode()).isEqualTo(503);
        deliver(FakeStripe.event(nextEventId(), "customer.subscription.created", now(),
                subscription("sub_early", ada, "active", PRO_PRICE)));
        HttpResponse<String> again = deliver(paid);

        assertThat(TestGateway.json(again).path("outcome").asText()).isEqualTo("applied");
        assertThat(balance(ada)).isEqualTo(20 * DOLLAR);
    }

    // --- abuse and the accountant's view ---------------------------------------------------------------

    /** A second instance on the same database, as a load balancer spreads Stripe's deliveries. */
    TestGateway secondInstance() throws IOException {
        Path other = home.resolve("second");
        Files.createDirectories(other.resolve("config"));
        Files.copy(home.resolve("config/plans.json"), other.resolve("config/plans.json"));
        return TestGateway.startShared(other, stores, env, clock);
    }

    /** Posts each payload to its gateway at the same moment; the answers in the same order. */
    static List<HttpResponse<String>> atOnce(List<TestGateway> gateways, List<String> payloads, long now) {
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < payloads.size(); i++) {
            TestGateway g = gateways.get(i);
            String payload = payloads.get(i);
            String signature = FakeStripe.signature(payload, FakeStripe.WEBHOOK_SECRET, now);
            calls.add(CompletableFuture.supplyAsync(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return g.post("/v1/billing/webhook", payload, Map.of("Stripe-Signature", signature));
            }));
        }
        start.countDown();
        return calls.stream().map(CompletableFuture::join).toList();
    }

    @Test
    void theSameEventDeliveredToTwoInstancesAtOnceIsAppliedOnce() throws IOException {
        User ada = register("ada@example.com");
        try (TestGateway second = secondInstance()) {
            for (int round = 0; round < 8; round++) {
                String payload = FakeStripe.event(nextEventId(), "checkout.session.completed", now(),
                        paidCreditsSession("cs_race_" + round, ada, DOLLAR, "pi_race_" + round));
                List<HttpResponse<String>> answers = atOnce(List.of(gateway, second), List.of(payload, payload), now());

                assertThat(answers).allSatisfy(r -> assertThat(r.statusCode()).as(r.body()).isEqualTo(200));
                assertThat(answers).extracting(r -> TestGateway.json(r).path("outcome").asText())
                        .containsExactlyInAnyOrder("applied", "duplicate");
            }
        }
        assertThat(balance(ada)).isEqualTo(8 * DOLLAR);
    }

    @Test
    void twoPartialRefundsOfOneChargeRacingTakeBackOnlyWhatWasRefunded() throws IOException {
        User ada = register("ada@example.com");
        int rounds = 6;
        try (TestGateway second = secondInstance()) {
            for (int round = 0; round < rounds; round++) {
                deliver(FakeStripe.event(nextEventId(), "checkout.session.completed", now(),
                        paidCreditsSession("cs_rr_" + round, ada, 10 * DOLLAR, "pi_rr_" + round)));
                List<String> refunds = List.of(
                        FakeStripe.event(nextEventId(), "charge.refunded", now(),
                                refundedCharge("ch_rr_" + round, "pi_rr_" + round, 1000, 300)),
                        FakeStripe.event(nextEventId(), "charge.refunded", now(),
                                refundedCharge("ch_rr_" + round, "pi_rr_" + round, 1000, 500)));
                List<HttpResponse<String>> answers = atOnce(List.of(gateway, second), refunds, now());
                for (int i = 0; i < answers.size(); i++) {
                    if (answers.get(i).statusCode() != 200) {
                        // A delivery that lost a write race is answered 5xx, and Stripe delivers it again.
                        assertThat(deliver(refunds.get(i)).statusCode()).isEqualTo(200);
                    }
                }
            }
        }
        assertThat(balance(ada)).isEqualTo(rounds * 5 * DOLLAR);
    }

    @Test
    void aForgedBodyIsRefusedBeforeItIsParsedAndAnOversizedOneIs413() {
        User admin = register("admin@example.com");

        HttpResponse<String> garbage = deliver("{\"id\": [[[[ not json", "t=" + now() + ",v1=00");
        clock.advance(Duration.ofSeconds(2));
        String huge = FakeStripe.event(nextEventId(), "customer.created", now(),
                object("{\"id\": \"cus_x\", \"pad\": \"" + "x".repeat(2 * 1024 * 1024) + "\"}"));
        HttpResponse<String> oversized = deliver(huge);

        assertThat(garbage.statusCode()).isEqualTo(400);
        assertThat(TestGateway.json(garbage).path("error").path("details").path("reason").asText())
                .isEqualTo("bad_signature");
        assertThat(oversized.statusCode()).as(oversized.body()).isEqualTo(413);
        assertThat(audit(admin.key())).filteredOn(e -> e.path("action").asText().equals("webhook_rejected"))
                .extracting(e -> e.path("details").path("reason").asText()).containsExactly("bad_signature");
    }

    @Test
    void aSubscriptionMovedToAPriceOfNoPlanLosesThePlanAndItsInvoicesAddNothing() {
        User ada = register("ada@example.com");
        deliver(FakeStripe.event(nextEventId(), "customer.subscription.created", now(),
                subscription("sub_p", ada, "active", PRO_PRICE)));
        assertThat(tier(ada)).isEqualTo("pro");

        // metadata.plan still says pro: the price, which is what is paid, decides.
        deliver(FakeStripe.event(nextEventId(), "customer.subscription.updated", now(),
                subscription("sub_p", ada, "active", "price_1CheapOther")));
        HttpResponse<String> cheap = deliver(FakeStripe.event(nextEventId(), "invoice.paid", now(),
                invoice("in_cheap", "sub_p", 100, "price_1CheapOther", "subscription_cycle")));

        assertThat(tier(ada)).isEqualTo("free");
        assertThat(TestGateway.json(cheap).path("outcome").asText()).isEqualTo("ignored");
        assertThat(balance(ada)).isZero();
    }

    @Test
    void onlyAnInvoiceForAPeriodOfThePlanAddsItsMonthlyCredits() {
        User ada = register("ada@example.com");
        deliver(FakeStripe.event(nextEventId(), "customer.subscription.created", now(),
                subscription("sub_i", ada, "active", PRO_PRICE)));

        // A proration after a plan switch (or a manual invoice) is paid, but is not a month of the plan:
        // switching back and forth must not mint a month of credits each time.
        deliver(FakeStripe.event(nextEventId(), "invoice.paid", now(),
                invoice("in_prorate", "sub_i", 50, PRO_PRICE, "subscription_update")));
        deliver(FakeStripe.event(nextEventId(), "invoice.paid", now(),
                invoice("in_manual", "sub_i", 50, PRO_PRICE, "manual")));
        assertThat(balance(ada)).isZero();

        deliver(FakeStripe.event(nextEventId(), "invoice.paid", now(),
                invoice("in_cycle", "sub_i", 2000, PRO_PRICE, "subscription_cycle")));
        assertThat(balance(ada)).isEqualTo(20 * DOLLAR);
    }

    @Test
    void aCheckoutCreditsNoMoreThanTheDollarsItWasPaid() {
        User ada = register("ada@example.com");
        User admin = register("admin@example.com");
        ObjectNode euros = paidCreditsSession("cs_eur", ada, 10 * DOLLAR, "pi_eur");
        euros.put("currency", "eur");
        ObjectNode less = paidCreditsSession("cs_less", ada, 10 * DOLLAR, "pi_less");
        less.put("amount_total", 100);

        deliver(FakeStripe.event(nextEventId(), "checkout.session.completed", now(), euros));
        assertThat(balance(ada)).isZero();
        deliver(FakeStripe.event(nextEventId(), "checkout.session.completed", now(), less));
        assertThat(balance(ada)).isEqualTo(DOLLAR);

        assertThat(audit(admin.key())).filteredOn(e -> e.path("action").asText().equals("payment_not_credited"))
                .singleElement().satisfies(e -> {
                    assertThat(e.path("account_id").asText()).isEqualTo(ada.id());
                    assertThat(e.path("details").path("currency").asText()).isEqualTo("eur");
                });
    }

    ObjectNode dispute(String id, String paymentIntent, long amount, String status) {
        return object("""
                {"id": "%s", "object": "dispute", "amount": %d, "currency": "usd", "charge": "ch_d",
                 "payment_intent": "%s", "reason": "fraudulent", "status": "%s", "metadata": {}}"""
                .formatted(id, amount, paymentIntent, status));
    }

    @Test
    void aDisputeTakesTheCreditsBackWhenStripeWithdrawsTheFundsAndAWonOneGivesThemBack() {
        User ada = register("ada@example.com");
        deliver(FakeStripe.event(nextEventId(), "checkout.session.completed", now(),
                paidCreditsSession("cs_d", ada, 10 * DOLLAR, "pi_d")));

        deliver(FakeStripe.event(nextEventId(), "charge.dispute.funds_withdrawn", now(),
                dispute("dp_1", "pi_d", 1000, "needs_response")));
        deliver(FakeStripe.event(nextEventId(), "charge.dispute.funds_withdrawn", now(),
                dispute("dp_1", "pi_d", 1000, "under_review")));
        assertThat(balance(ada)).isZero();
        assertThat(priced(ada).statusCode()).isEqualTo(402);

        deliver(FakeStripe.event(nextEventId(), "charge.dispute.funds_reinstated", now(),
                dispute("dp_1", "pi_d", 1000, "won")));
        deliver(FakeStripe.event(nextEventId(), "charge.dispute.funds_reinstated", now(),
                dispute("dp_1", "pi_d", 1000, "won")));
        // A reinstatement of a dispute whose funds were never taken here gives nothing.
        deliver(FakeStripe.event(nextEventId(), "charge.dispute.funds_reinstated", now(),
                dispute("dp_other", "pi_d", 1000, "won")));
        assertThat(balance(ada)).isEqualTo(10 * DOLLAR);
        assertThat(TestGateway.json(gateway.get("/v1/billing/payments", ada.key())).path("payments"))
                .extracting(p -> p.path("kind").asText() + " " + p.path("amount_micros").asLong())
                .containsExactlyInAnyOrder("purchase 10000000", "dispute -10000000", "dispute 10000000");
    }
}
