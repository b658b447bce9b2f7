package com.monkeycoder.cli.billing;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.cli.CliRun;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.daemon.testing.FakeStripe;
import com.monkeycoder.daemon.testing.MutableClock;
import com.monkeycoder.daemon.testing.SharedStores;
import com.monkeycoder.daemon.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The real {@code monkey billing} commands against a shared gateway that sells through a fake Stripe. */
class BillingCommandsTest {

    @TempDir
    Path gatewayHome;

    @TempDir
    Path cliHome;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-15T10:00:00Z"));
    private SharedStores stores;
    private FakeStripe stripe;
    private TestGateway gateway;
    private Map<String, String> env;
    private String userId;

    @BeforeEach
    void start() {
        stores = SharedStores.create(SharedStores.Engine.SQLITE, gatewayHome);
        stripe = new FakeStripe();
        // No starter credits: the payments listed are the ones this test makes.
        Map<String, String> gatewayEnv = new HashMap<>(stripe.gatewayEnv());
        gatewayEnv.put("MONKEY_CODER_STARTER_CREDITS_USD", "0");
        gateway = TestGateway.startShared(gatewayHome, stores, gatewayEnv, clock);
        HttpResponse<String> r = gateway.post("/v1/auth/register",
                "{\"email\":\"ada@example.com\",\"password\":\"correct horse battery\"}", (String) null);
        JsonNode account = TestGateway.json(r);
        userId = account.path("user_id").asText();
        env = new HashMap<>();
        env.put("MONKEY_CODER_HOME", cliHome.toString());
        env.put("MONKEY_CODER_BASE_URL", gateway.baseUrl());
        env.put("MONKEY_CODER_API_KEY", account.path("api_key").asText());
        // A CI machine with a display variable set: the URL is printed, no browser is started.
        env.put("CI", "true");
        env.put("DISPLAY", ":0");
    }

    @AfterEach
    void stop() {
        gateway.close();
        stripe.close();
        stores.close();
    }

    @Test
    void buyPrintsTheCheckoutPageOfAPaymentForThatAmount() {
        CliRun run = CliRun.run(env, "billing", "buy", "--usd", "10");

        assertThat(run.exitCode()).as(run.allOutput()).isEqualTo(ExitCodes.OK);
        assertThat(run.outLines()).contains("Pay for $10 of credits with Stripe Checkout:",
                "https://checkout.stripe.com/c/pay/cs_test_fake1#fidkdWxOYHwnPyd1blpxYHZxWjA0");
        assertThat(run.err()).isEmpty();
        assertThat(stripe.calls()).singleElement().satisfies(call -> assertThat(call.form())
                .containsEntry("mode", "payment")
                .containsEntry("line_items[0][price_data][unit_amount]", "1000")
                .containsEntry("metadata[account_id]", userId));
        assertThat(run.allOutput()).doesNotContain(FakeStripe.SECRET_KEY);
    }

    @Test
    void buyWithJsonPrintsTheGatewaysAnswer() {
        CliRun run = CliRun.run(env, "billing", "buy", "--usd", "12.50", "--json");

        assertThat(run.exitCode()).as(run.allOutput()).isZero();
        JsonNode body = TestGateway.parse(run.out());
        assertThat(body.path("session_id").asText()).isEqualTo("cs_test_fake1");
        assertThat(stripe.calls().getFirst().form()).containsEntry("line_items[0][price_data][unit_amount]", "1250");
    }

    @Test
    void aRefusedAmountIsOneLineOnStderrAndNoCheckout() {
        CliRun tooMuch = CliRun.run(env, "billing", "buy", "--usd", "20000");
        CliRun zero = CliRun.run(env, "billing", "buy", "--usd", "0");
        CliRun words = CliRun.run(env, "billing", "buy", "--usd", "ten");

        assertThat(tooMuch.exitCode()).isNotZero();
        assertThat(tooMuch.errLines()).singleElement().asString().startsWith("monkey: ").contains("credits_usd");
        assertThat(zero.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(words.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(stripe.calls()).isEmpty();
    }

    @Test
    void subscribeToAPlanNotSoldThroughStripeSaysSo() {
        CliRun run = CliRun.run(env, "billing", "subscribe", "pro");

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.errLines()).singleElement().asString().contains("stripe_price_id");
    }

    @Test
    void paymentsListsTheCreditsAStripeEventAdded() {
        String payload = FakeStripe.event("evt_cli_1", "checkout.session.completed", clock.instant().getEpochSecond(),
                FakeStripe.paidCreditsSession("cs_cli", userId, 10_000_000, "pi_cli"));
        gateway.post("/v1/billing/webhook", payload, Map.of("Stripe-Signature",
                FakeStripe.signature(payload, FakeStripe.WEBHOOK_SECRET, clock.instant().getEpochSecond())));

        CliRun table = CliRun.run(env, "billing", "payments");
        CliRun json = CliRun.run(env, "billing", "payments", "--json");

        assertThat(table.exitCode()).as(table.allOutput()).isZero();
        assertThat(table.tableRow("2026-01-15 10:00")).containsExactly("2026-01-15 10:00", "purchase", "$10.00",
                "Stripe Checkout cs_cli");
        assertThat(TestGateway.parse(json.out()).path("payments").path(0).path("amount_micros").asLong())
                .isEqualTo(10_000_000);
    }
}
