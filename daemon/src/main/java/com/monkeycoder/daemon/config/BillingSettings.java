package com.monkeycoder.daemon.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.shared.config.ConfigKey;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Stripe billing's settings, resolved as every setting is (environment, then {@code config.json}, then the
 * default of {@link ConfigKey}). The two secrets come from the environment only, like {@code MONKEY_CODER_SECRET}:
 * {@code monkey config set} never writes them to a file and {@code monkey config list} never shows them.
 *
 * @param secretKey       {@code STRIPE_SECRET_KEY} ({@code sk_live_...}, {@code sk_test_...} or a restricted key)
 * @param webhookSecret   {@code STRIPE_WEBHOOK_SECRET} ({@code whsec_...}): the signing secret of the webhook endpoint
 * @param apiBase         {@code stripe_api_base}: where the Stripe client sends its calls; null for Stripe itself
 * @param successUrl      {@code billing_success_url}: where Checkout sends a buyer who paid
 * @param cancelUrl       {@code billing_cancel_url}: where Checkout sends a buyer who cancelled
 * @param maxCreditMicros {@code billing_max_credits_usd}: the most one checkout may buy
 */
public record BillingSettings(String secretKey, String webhookSecret, String apiBase, String successUrl,
                              String cancelUrl, long maxCreditMicros) {

    public static final String SECRET_KEY_ENV = "STRIPE_SECRET_KEY";
    public static final String WEBHOOK_SECRET_ENV = "STRIPE_WEBHOOK_SECRET";

    public static BillingSettings resolve(GatewayConfig config) {
        Map<String, String> env = config.env();
        JsonNode file = ObservabilitySettings.settingsFile(config);
        String max = text(env, file, ConfigKey.BILLING_MAX_CREDITS_USD);
        long maxMicros;
        try {
            maxMicros = new BigDecimal(max).movePointRight(6).setScale(0, RoundingMode.DOWN).longValueExact();
        } catch (ArithmeticException | NumberFormatException e) {
            throw new ConfigException(ConfigKey.BILLING_MAX_CREDITS_USD.env() + "=" + max
                    + " is not an amount in dollars such as 10000");
        }
        if (maxMicros <= 0) {
            throw new ConfigException(ConfigKey.BILLING_MAX_CREDITS_USD.env() + " must be more than 0");
        }
        return new BillingSettings(secret(env, SECRET_KEY_ENV), secret(env, WEBHOOK_SECRET_ENV),
                text(env, file, ConfigKey.STRIPE_API_BASE), text(env, file, ConfigKey.BILLING_SUCCESS_URL),
                text(env, file, ConfigKey.BILLING_CANCEL_URL), maxMicros);
    }

    /** What checkout still needs, by variable name; empty when it can sell. */
    public List<String> missingForCheckout() {
        List<String> missing = new ArrayList<>();
        if (secretKey == null) {
            missing.add(SECRET_KEY_ENV);
        }
        if (webhookSecret == null) {
            // Selling without the webhook would take money and never add the credits.
            missing.add(WEBHOOK_SECRET_ENV);
        }
        if (successUrl == null) {
            missing.add(ConfigKey.BILLING_SUCCESS_URL.env());
        }
        if (cancelUrl == null) {
            missing.add(ConfigKey.BILLING_CANCEL_URL.env());
        }
        return missing;
    }

    /** What the webhook still needs; empty when it can verify events. */
    public List<String> missingForWebhook() {
        List<String> missing = new ArrayList<>();
        if (secretKey == null) {
            missing.add(SECRET_KEY_ENV);
        }
        if (webhookSecret == null) {
            missing.add(WEBHOOK_SECRET_ENV);
        }
        return missing;
    }

    /**
     * Refuses at start what would only fail at a buyer's checkout: URLs that are not absolute http(s) URLs. Not
     * done in {@link #resolve}, which also serves {@code monkey config} style checks of single values.
     */
    public BillingSettings checked() {
        url(ConfigKey.STRIPE_API_BASE, apiBase);
        url(ConfigKey.BILLING_SUCCESS_URL, successUrl);
        url(ConfigKey.BILLING_CANCEL_URL, cancelUrl);
        return this;
    }

    private static void url(ConfigKey key, String value) {
        if (value == null) {
            return;
        }
        try {
            URI uri = new URI(value);
            if (uri.getHost() != null && ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
                return;
            }
        } catch (java.net.URISyntaxException e) {
            // answered below
        }
        throw new ConfigException(key.env() + "=" + value + " is not an http(s) URL such as https://example.com/billing");
    }

    private static String secret(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static String text(Map<String, String> env, JsonNode file, ConfigKey key) {
        String value = env.get(key.env());
        if (value != null && !value.isBlank()) {
            return value.strip();
        }
        JsonNode fromFile = file.path(key.key());
        if (fromFile.isValueNode() && !fromFile.asText().isBlank()) {
            return fromFile.asText().strip();
        }
        return key.defaultValue();
    }
}
