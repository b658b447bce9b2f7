package com.monkeycoder.daemon.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.monkeycoder.shared.Json;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stripe's API as far as the gateway uses it: {@code POST /v1/checkout/sessions} answered with a Checkout Session
 * object shaped as Stripe documents it (fixtures/stripe/checkout-session.json, its id, mode, metadata and URLs
 * taken from the request), and each request's form fields recorded. Also signs webhook payloads exactly as Stripe
 * does: {@code t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.payload" with the endpoint's secret>}.
 */
public final class FakeStripe implements AutoCloseable {

    public static final String SECRET_KEY = "sk_test_fake0000000000000000000000";
    public static final String WEBHOOK_SECRET = "whsec_test_fake000000000000000000000";

    /** One request the gateway made: its path, Authorization header and form fields. */
    public record Call(String path, String authorization, Map<String, String> form) {
    }

    private final MockWebServer server = new MockWebServer();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final AtomicInteger sessions = new AtomicInteger();

    public FakeStripe() {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                Map<String, String> form = form(request.getBody().readUtf8());
                calls.add(new Call(request.getPath(), request.getHeader("Authorization"), form));
                if (!("Bearer " + SECRET_KEY).equals(request.getHeader("Authorization"))) {
                    return new MockResponse().setResponseCode(401).setHeader("Content-Type", "application/json")
                            .setBody("{\"error\":{\"message\":\"Invalid API Key provided\",\"type\":\"invalid_request_error\"}}");
                }
                if (!"POST".equals(request.getMethod()) || !"/v1/checkout/sessions".equals(request.getPath())) {
                    return new MockResponse().setResponseCode(404).setHeader("Content-Type", "application/json")
                            .setBody("{\"error\":{\"message\":\"Unrecognized request URL\",\"type\":\"invalid_request_error\"}}");
                }
                return new MockResponse().setHeader("Content-Type", "application/json")
                        .setHeader("Request-Id", "req_fake" + sessions.get()).setBody(session(form));
            }
        });
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The API base the gateway's {@code STRIPE_API_BASE} points at. */
    public String apiBase() {
        return "http://127.0.0.1:" + server.getPort();
    }

    /** What a gateway needs in its environment to sell through this fake. */
    public Map<String, String> gatewayEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("STRIPE_SECRET_KEY", SECRET_KEY);
        env.put("STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET);
        env.put("STRIPE_API_BASE", apiBase());
        env.put("MONKEY_CODER_BILLING_SUCCESS_URL", "https://billing.example.test/success");
        env.put("MONKEY_CODER_BILLING_CANCEL_URL", "https://billing.example.test/cancel");
        return env;
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    /** Stripe's signature header for {@code payload} at {@code unixSeconds}. */
    public static String signature(String payload, String secret, long unixSeconds) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String signed = unixSeconds + "." + payload;
            return "t=" + unixSeconds + ",v1="
                    + HexFormat.of().formatHex(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An event as Stripe sends it to a webhook endpoint, around {@code object}. */
    public static String event(String id, String type, long createdSeconds, ObjectNode object) {
        ObjectNode event = Json.mapper().createObjectNode();
        event.put("id", id);
        event.put("object", "event");
        event.put("api_version", "2025-12-15.clover");
        event.put("created", createdSeconds);
        event.putObject("data").set("object", object);
        event.put("livemode", false);
        event.put("pending_webhooks", 1);
        ObjectNode request = event.putObject("request");
        request.putNull("id");
        request.putNull("idempotency_key");
        event.put("type", type);
        return event.toString();
    }

    /** A JSON object, for the Stripe objects a test wraps in an {@link #event}. */
    public static ObjectNode object(String json) {
        try {
            return (ObjectNode) Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A paid one-time Checkout Session buying {@code micros} of credits for the account, as the gateway made it. */
    public static ObjectNode paidCreditsSession(String sessionId, String accountId, long micros, String paymentIntent) {
        return object("""
                {"id": "%s", "object": "checkout.session", "mode": "payment", "payment_status": "paid",
                 "status": "complete", "amount_total": %d, "currency": "usd", "client_reference_id": "%s",
                 "customer": "cus_test_1", "payment_intent": "%s", "subscription": null,
                 "metadata": {"account_id": "%s", "credits_micros": "%d"}}"""
                .formatted(sessionId, micros / 10_000, accountId, paymentIntent, accountId, micros));
    }

    /** A completed Checkout Session of a subscription to the pro plan. */
    public static ObjectNode subscriptionCheckout(String sessionId, String accountId, String subscription) {
        return object("""
                {"id": "%s", "object": "checkout.session", "mode": "subscription",
                 "payment_status": "paid", "customer": "cus_test_1", "subscription": "%s",
                 "client_reference_id": "%s", "metadata": {"account_id": "%s", "plan": "pro"}}"""
                .formatted(sessionId, subscription, accountId, accountId));
    }

    /** A subscription of the account to {@code price}, monthly. */
    public static ObjectNode subscription(String id, String accountId, String status, String price) {
        return object("""
                {"id": "%s", "object": "subscription", "customer": "cus_test_1", "status": "%s",
                 "metadata": {"account_id": "%s", "plan": "pro"},
                 "items": {"object": "list", "data": [{"id": "si_1", "object": "subscription_item",
                   "price": {"id": "%s", "object": "price", "recurring": {"interval": "month"}, "unit_amount": 2000}}]}}"""
                .formatted(id, status, accountId, price));
    }

    /** A charge of {@code amount} cents of which {@code amountRefunded} are refunded so far. */
    public static ObjectNode refundedCharge(String id, String paymentIntent, long amount, long amountRefunded) {
        return object("""
                {"id": "%s", "object": "charge", "amount": %d, "amount_refunded": %d, "currency": "usd",
                 "customer": "cus_test_1", "payment_intent": "%s", "refunded": %b, "metadata": {}}"""
                .formatted(id, amount, amountRefunded, paymentIntent, amount == amountRefunded));
    }

    private String session(Map<String, String> form) {
        try (InputStream in = FakeStripe.class.getResourceAsStream("/fixtures/stripe/checkout-session.json")) {
            ObjectNode session = (ObjectNode) Json.mapper().readTree(in);
            String id = "cs_test_fake" + sessions.incrementAndGet();
            session.put("id", id);
            session.put("mode", form.get("mode"));
            session.put("client_reference_id", form.get("client_reference_id"));
            session.put("success_url", form.get("success_url"));
            session.put("cancel_url", form.get("cancel_url"));
            ObjectNode metadata = session.putObject("metadata");
            form.forEach((k, v) -> {
                if (k.startsWith("metadata[")) {
                    metadata.put(k.substring("metadata[".length(), k.length() - 1), v);
                }
            });
            String amount = form.get("line_items[0][price_data][unit_amount]");
            if (amount != null) {
                session.put("amount_total", Long.parseLong(amount));
                session.put("amount_subtotal", Long.parseLong(amount));
            }
            session.put("url", "https://checkout.stripe.com/c/pay/" + id + "#fidkdWxOYHwnPyd1blpxYHZxWjA0");
            return session.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        if (body.isEmpty()) {
            return out;
        }
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(key, value);
        }
        return out;
    }

    @Override
    public void close() {
        try {
            server.shutdown();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
