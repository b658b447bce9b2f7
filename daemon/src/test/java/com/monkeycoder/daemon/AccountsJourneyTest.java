package com.monkeycoder.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.monkeycoder.daemon.ledger.LedgerRow;
import com.monkeycoder.daemon.mfa.Base32;
import com.monkeycoder.daemon.mfa.Totp;
import com.monkeycoder.daemon.testing.FakeStripe;
import com.monkeycoder.daemon.testing.MutableClock;
import com.monkeycoder.daemon.testing.OpenAiFixtures;
import com.monkeycoder.daemon.testing.SharedStores;
import com.monkeycoder.daemon.testing.TestGateway;
import jakarta.mail.internet.MimeMessage;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole account story of a shared gateway, told once on the real PostgreSQL and Redis with GreenMail for SMTP,
 * a fake Stripe and a fake OpenAI upstream: register, verify by mail, buy credits (the webhook delivered three
 * times), subscribe to Pro, get refunded, turn MFA on and sign in with codes, receive credits from an admin, read
 * the audit log of all of it, and chat with a CI key and a test key. Each step builds on the one before, so one
 * test tells it in order; each assertion names the exact amount in micro-dollars.
 */
class AccountsJourneyTest {

    static final String PUBLIC_URL = "https://gateway.example.test";
    static final String PASSWORD = "correct horse battery";
    static final String ADA = "ada@example.com";
    static final String ROOT = "root@example.com";
    static final String PRO_PRICE = "price_1ProMonthly";
    static final String PRICED_MODEL = "openai/gpt-4.1-mini";
    static final long DOLLAR = 1_000_000;
    static final Pattern VERIFY_LINK = Pattern.compile(Pattern.quote(PUBLIC_URL) + "(/v1/auth/verify\\?token=\\S+)");

    @TempDir
    Path home;

    final MutableClock clock = new MutableClock(Instant.parse("2026-01-15T10:00:00Z"));
    SharedStores stores;
    GreenMail smtp;
    FakeStripe stripe;
    MockWebServer openai;
    TestGateway gateway;
    int stripeEvents;

    @BeforeEach
    void start() throws IOException {
        stores = SharedStores.create(SharedStores.Engine.POSTGRES, home);
        smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        smtp.start();
        stripe = new FakeStripe();
        openai = new MockWebServer();
        openai.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return OpenAiFixtures.json(200, "chat-completion.json");
            }
        });
        openai.start();
        Files.createDirectories(home.resolve("config"));
        Files.writeString(home.resolve("config/plans.json"), """
                {"plans": [
                  {"name": "free", "description": "free", "price_usd": 0, "credits_usd_per_month": 0, "tier": "free"},
                  {"name": "pro", "description": "pro", "price_usd": 20, "credits_usd_per_month": 20, "tier": "pro",
                   "stripe_price_id": "%s"}
                ]}""".formatted(PRO_PRICE));

        Map<String, String> env = new HashMap<>(stripe.gatewayEnv());
        env.put("SMTP_URL", "smtp://127.0.0.1:" + smtp.getSmtp().getPort() + "?tls=none");
        env.put("MONKEY_CODER_MAIL_FROM", "Monkey Coder <noreply@example.test>");
        env.put("MONKEY_CODER_PUBLIC_URL", PUBLIC_URL);
        env.put("JWT_SECRET_KEY", "jwt-journey-secret-0123456789abcdef0123456789abcdef");
        env.put("MONKEY_CODER_ADMIN_EMAIL", ROOT);
        env.put("MONKEY_CODER_ADMIN_PASSWORD", PASSWORD);
        env.put("OPENAI_API_KEY", "sk-test-upstream-key-0000");
        env.put("OPENAI_BASE_URL", openai.url("/v1").toString());
        // Sign-ins hash passwords slowly on purpose; a busy machine must not trip the hold of routes without a key.
        env.put("MONKEY_CODER_UNAUTHENTICATED_TIMEOUT", "60");
        gateway = TestGateway.startShared(home, stores, env, clock);
    }

    @AfterEach
    void stop() throws IOException {
        gateway.close();
        openai.shutdown();
        stripe.close();
        smtp.stop();
        stores.close();
    }

    @Test
    void anAccountFromRegistrationToPaymentsMfaAdminCreditsAuditAndScopedKeys() throws Exception {
        // --- register: no credits until the address is verified ---------------------------------------------
        JsonNode registered = json(post("/v1/auth/register", "{\"email\":\"" + ADA + "\",\"password\":\"" + PASSWORD
                + "\"}", null), 201);
        String ada = registered.path("user_id").asText();
        String key = registered.path("api_key").asText();
        assertThat(registered.path("credit_micros").asLong()).isZero();
        assertThat(registered.path("verification_sent").asBoolean()).isTrue();

        // --- the verification mail arrives; its link verifies once and grants the starter credits once ------
        MimeMessage verification = mails(1).getFirst();
        assertThat(verification.getAllRecipients()[0].toString()).isEqualTo(ADA);
        assertThat(verification.getSubject()).isEqualTo("Verify your email for Monkey Coder");
        String link = find(VERIFY_LINK, (String) verification.getContent());
        step();
        JsonNode verified = json(follow(link), 200);
        assertThat(verified.path("verified").asBoolean()).isTrue();
        assertThat(verified.path("starter_credit_micros").asLong()).isEqualTo(DOLLAR);
        follow(link);
        assertThat(balance(key)).isEqualTo(DOLLAR);

        // --- buy $10: Stripe is asked for a $10 payment for this account -------------------------------------
        step();
        JsonNode checkout = json(post("/v1/billing/checkout", "{\"credits_usd\":10}", key), 201);
        String sessionId = checkout.path("session_id").asText();
        assertThat(checkout.path("url").asText()).startsWith("https://checkout.stripe.com/c/pay/" + sessionId);
        assertThat(stripe.calls()).singleElement().satisfies(call -> {
            assertThat(call.path()).isEqualTo("/v1/checkout/sessions");
            assertThat(call.form()).containsEntry("mode", "payment")
                    .containsEntry("line_items[0][price_data][unit_amount]", "1000")
                    .containsEntry("metadata[account_id]", ada)
                    .containsEntry("metadata[credits_micros]", "10000000");
        });

        // --- the signed checkout.session.completed, delivered three times, credits exactly $10 once ---------
        String purchaseEvent = nextEventId();
        String purchase = FakeStripe.event(purchaseEvent, "checkout.session.completed", now(),
                FakeStripe.paidCreditsSession(sessionId, ada, 10 * DOLLAR, "pi_journey"));
        assertThat(List.of(deliver(purchase), deliver(purchase), deliver(purchase)))
                .extracting(AccountsJourneyTest::outcome).containsExactly("applied", "duplicate", "duplicate");
        assertThat(balance(key)).isEqualTo(11 * DOLLAR);

        // --- subscribe to Pro: a subscription checkout, then Stripe's subscription event; the tier is pro at once
        step();
        json(post("/v1/billing/checkout", "{\"plan\":\"pro\"}", key), 201);
        assertThat(stripe.calls().getLast().form()).containsEntry("mode", "subscription")
                .containsEntry("line_items[0][price]", PRO_PRICE);
        String linkEvent = nextEventId();
        assertThat(outcome(deliver(FakeStripe.event(linkEvent, "checkout.session.completed", now(),
                FakeStripe.subscriptionCheckout("cs_journey_sub", ada, "sub_journey"))))).isEqualTo("applied");
        String subscribedEvent = nextEventId();
        assertThat(outcome(deliver(FakeStripe.event(subscribedEvent, "customer.subscription.created", now(),
                FakeStripe.subscription("sub_journey", ada, "active", PRO_PRICE))))).isEqualTo("applied");
        JsonNode usage = json(gateway.get("/usage", key), 200);
        assertThat(usage.path("tier").asText()).isEqualTo("pro");
        assertThat(usage.path("requests_limit").asLong()).isEqualTo(1_000);
        assertThat(usage.path("credit_micros").asLong()).isEqualTo(11 * DOLLAR);

        // --- refund: the $10 go back --------------------------------------------------------------------------
        String refundEvent = nextEventId();
        assertThat(outcome(deliver(FakeStripe.event(refundEvent, "charge.refunded", now(),
                FakeStripe.refundedCharge("ch_journey", "pi_journey", 1000, 1000))))).isEqualTo("applied");
        assertThat(balance(key)).isEqualTo(DOLLAR);

        // --- MFA: enrol, confirm with a code from the secret, then sign-ins need and accept a code ----------
        step();
        JsonNode enrol = json(post("/v1/auth/mfa/enrol", "{\"password\":\"" + PASSWORD + "\"}", key), 200);
        byte[] secret = Base32.decode(enrol.path("secret").asText());
        assertThat(enrol.path("otpauth_uri").asText()).startsWith("otpauth://totp/");
        JsonNode confirmed = json(post("/v1/auth/mfa/confirm", "{\"code\":\"" + totp(secret) + "\"}", key), 200);
        assertThat(confirmed.path("recovery_codes")).hasSize(10);

        clock.advance(Duration.ofSeconds(Totp.STEP_SECONDS));
        assertThat(reason(signIn("/v1/auth/session", null), 401)).isEqualTo("mfa_required");
        JsonNode session = json(signIn("/v1/auth/session", totp(secret)), 201);
        assertThat(gateway.get("/v1/auth/mfa", session.path("access_token").asText()).statusCode()).isEqualTo(200);
        clock.advance(Duration.ofSeconds(Totp.STEP_SECONDS));
        assertThat(reason(signIn("/v1/auth/login", null), 401)).isEqualTo("mfa_required");
        JsonNode login = json(signIn("/v1/auth/login", totp(secret)), 200);
        assertThat(login.path("user_id").asText()).isEqualTo(ada);

        // --- an admin (made from MONKEY_CODER_ADMIN_EMAIL at start) adds $5 with a reason --------------------
        step();
        JsonNode root = json(post("/v1/auth/login", "{\"email\":\"" + ROOT + "\",\"password\":\"" + PASSWORD + "\"}",
                null), 200);
        String admin = root.path("api_key").asText();
        String adminId = root.path("user_id").asText();
        JsonNode granted = json(post("/v1/admin/accounts/" + ada + "/credits",
                "{\"amount_usd\":5,\"reason\":\"journey goodwill\"}", admin), 200);
        assertThat(granted.path("credit_micros").asLong()).isEqualTo(6 * DOLLAR);
        assertThat(balance(key)).isEqualTo(6 * DOLLAR);

        // --- a CI key ({"scopes":["chat"]}) chats on a priced model but cannot create keys -------------------
        step();
        JsonNode ci = json(post("/v1/auth/keys", "{\"name\":\"ci\",\"scopes\":[\"chat\"]}", key), 201);
        String ciKey = ci.path("api_key").asText();
        HttpResponse<String> ciChat = chat(ciKey, PRICED_MODEL);
        assertThat(ciChat.statusCode()).as(ciChat.body()).isEqualTo(200);
        LedgerRow ciRow = gateway.gateway().ledger().find(TestGateway.requestId(ciChat)).orElseThrow();
        // The fixture's usage: 27 prompt tokens at $0.40/M and 14 completion tokens at $1.60/M, 33.2 micro-dollars.
        assertThat(ciRow.costMicros()).isEqualTo(33);
        assertThat(ciRow.keyId()).isEqualTo(ci.path("key_id").asText());
        assertThat(balance(key)).isEqualTo(6 * DOLLAR - 33);
        HttpResponse<String> ciMintsKey = post("/v1/auth/keys", "{}", ciKey);
        assertThat(ciMintsKey.statusCode()).isEqualTo(403);
        assertThat(TestGateway.json(ciMintsKey).path("error").path("message").asText()).contains("'keys' scope");

        // --- an mk-test- key chats with the demo at no cost and never reaches a priced model -----------------
        step();
        JsonNode test = json(post("/v1/auth/keys", "{\"name\":\"ci-dry-run\",\"test\":true}", key), 201);
        String testKey = test.path("api_key").asText();
        assertThat(testKey).startsWith("mk-test-");
        HttpResponse<String> demo = chat(testKey, "demo/monkey-demo");
        assertThat(demo.statusCode()).as(demo.body()).isEqualTo(200);
        assertThat(gateway.gateway().ledger().find(TestGateway.requestId(demo)).orElseThrow().costMicros()).isZero();
        int upstreamCalls = openai.getRequestCount();
        assertThat(chat(testKey, PRICED_MODEL).statusCode()).isEqualTo(403);
        assertThat(openai.getRequestCount()).isEqualTo(upstreamCalls);
        assertThat(balance(key)).isEqualTo(6 * DOLLAR - 33);

        // --- the audit log tells the same story, in order, with who acted and Stripe's event ids ------------
        List<String> own = story(audit("/v1/audit?limit=500", key));
        assertThat(own).containsExactly(
                "register by " + ada,
                "email_verified by " + ada,
                "credits_added by system",
                "checkout_created by " + ada,
                "credits_added by stripe " + purchaseEvent,
                "checkout_created by " + ada,
                "stripe_customer_linked by stripe " + linkEvent,
                "plan_changed by stripe " + subscribedEvent,
                "credits_removed by stripe " + refundEvent,
                "mfa_enabled by " + ada,
                "session_created by " + ada,
                "login by " + ada,
                "credits_added by " + adminId,
                "key_created by " + ada,
                "key_created by " + ada);
        assertThat(story(audit("/v1/audit?limit=500&account=" + ada, admin))).isEqualTo(own);
        List<JsonNode> all = audit("/v1/audit?limit=500", admin);
        assertThat(all).filteredOn(e -> e.path("action").asText().equals("credits_added")
                        && e.path("actor").asText().equals(adminId)).singleElement()
                .satisfies(e -> {
                    assertThat(e.path("account_id").asText()).isEqualTo(ada);
                    assertThat(e.path("details").path("reason").asText()).isEqualTo("journey goodwill");
                    assertThat(e.path("details").path("amount_micros").asLong()).isEqualTo(5 * DOLLAR);
                });
        assertThat(all).filteredOn(e -> e.path("actor").asText().equals("stripe"))
                .extracting(e -> e.path("details").path("stripe_event").asText())
                .containsExactly(purchaseEvent, linkEvent, subscribedEvent, refundEvent);
        assertThat(all.toString()).doesNotContain(key).doesNotContain(ciKey).doesNotContain(testKey)
                .doesNotContain(Base32.encode(secret));
    }

    // --- helpers -------------------------------------------------------------------------------------------

    /** A second between steps, so the audit log (ordered by time) keeps the order of the story. */
    void step() {
        clock.advance(Duration.ofSeconds(1));
    }

    HttpResponse<String> post(String path, String json, String key) {
        return gateway.post(path, json, key);
    }

    static JsonNode json(HttpResponse<String> r, int status) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        return TestGateway.json(r);
    }

    static String reason(HttpResponse<String> r, int status) {
        return json(r, status).path("error").path("details").path("reason").asText();
    }

    long balance(String key) {
        return json(gateway.get("/usage", key), 200).path("credit_micros").asLong();
    }

    /** Waits for the {@code count}-th mail and answers all so far. */
    List<MimeMessage> mails(int count) {
        assertThat(smtp.waitForIncomingEmail(10_000, count)).as("%d mails arrived", count).isTrue();
        return List.of(smtp.getReceivedMessages());
    }

    static String find(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        assertThat(m.find()).as("%s in:%n%s", pattern, text).isTrue();
        return m.group(1);
    }

    /** The mail's link opened on this gateway: the public URL names a host the test does not have. */
    HttpResponse<String> follow(String pathAndQuery) {
        return gateway.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + pathAndQuery)).GET().build());
    }

    long now() {
        return clock.instant().getEpochSecond();
    }

    String nextEventId() {
        return "evt_journey_" + (++stripeEvents);
    }

    /** Delivers a webhook payload signed as Stripe signs it, a second after the step before. */
    HttpResponse<String> deliver(String payload) {
        step();
        return gateway.post("/v1/billing/webhook", payload, Map.of("Content-Type", "application/json",
                "Stripe-Signature", FakeStripe.signature(payload, FakeStripe.WEBHOOK_SECRET, now())));
    }

    static String outcome(HttpResponse<String> r) {
        return json(r, 200).path("outcome").asText();
    }

    String totp(byte[] secret) {
        return Totp.code(secret, now() / Totp.STEP_SECONDS);
    }

    HttpResponse<String> signIn(String path, String code) {
        String totp = code == null ? "" : ",\"totp_code\":\"" + code + "\"";
        step();
        return post(path, "{\"email\":\"" + ADA + "\",\"password\":\"" + PASSWORD + "\"" + totp + "}", null);
    }

    HttpResponse<String> chat(String key, String model) {
        return post("/v1/chat/completions", "{\"model\":\"" + model + "\",\"max_tokens\":16,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"tell me a joke\"}]}", key);
    }

    /** The events of an audit query, oldest first. */
    List<JsonNode> audit(String path, String key) {
        List<JsonNode> events = new ArrayList<>();
        json(gateway.get(path, key), 200).path("events").forEach(events::add);
        return events.reversed();
    }

    /** Each event as "action by actor", with Stripe's event id when Stripe acted. */
    static List<String> story(List<JsonNode> events) {
        return events.stream().map(e -> e.path("action").asText() + " by " + e.path("actor").asText()
                + (e.path("details").has("stripe_event") ? " " + e.path("details").path("stripe_event").asText() : ""))
                .toList();
    }
}
