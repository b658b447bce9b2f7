package com.monkeycoder.daemon.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.shared.config.ConfigKey;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;

/**
 * The shared gateway's mail settings, resolved as every setting is (environment, then {@code config.json}, then the
 * table's default). The SMTP URL is kept as given and parsed where the mailer is built, which says what is wrong
 * with it without quoting its password.
 *
 * @param smtpUrl                  {@code SMTP_URL}; null: no mail is sent
 * @param from                     {@code MONKEY_CODER_MAIL_FROM}: the From address of every mail
 * @param publicUrl                {@code MONKEY_CODER_PUBLIC_URL}: the gateway's public base URL, for links in mails,
 *                                 without a trailing slash
 * @param lowCreditThresholdMicros {@code low_credit_threshold_usd} in micro-dollars; 0 sends no low-credit notice
 */
public record MailSettings(String smtpUrl, String from, String publicUrl, long lowCreditThresholdMicros) {

    public static MailSettings resolve(GatewayConfig config) {
        JsonNode file = ObservabilitySettings.settingsFile(config);
        String publicUrl = text(config.env(), file, ConfigKey.PUBLIC_URL);
        if (publicUrl != null && publicUrl.endsWith("/")) {
            publicUrl = publicUrl.substring(0, publicUrl.length() - 1);
        }
        return new MailSettings(text(config.env(), file, ConfigKey.SMTP_URL), text(config.env(), file, ConfigKey.MAIL_FROM),
                publicUrl, dollars(config.env(), file, ConfigKey.LOW_CREDIT_THRESHOLD_USD));
    }

    /** Whether mail is to be sent at all. */
    public boolean configured() {
        return smtpUrl != null;
    }

    private static String text(Map<String, String> env, JsonNode file, ConfigKey key) {
        String value = env.get(key.env());
        if (value != null && !value.isBlank()) {
            return value.strip();
        }
        JsonNode fromFile = file.path(key.key());
        return fromFile.isTextual() && !fromFile.asText().isBlank() ? fromFile.asText().strip() : key.defaultValue();
    }

    private static long dollars(Map<String, String> env, JsonNode file, ConfigKey key) {
        String value = text(env, file, key);
        try {
            long micros = new BigDecimal(value).movePointRight(6).setScale(0, RoundingMode.HALF_UP).longValueExact();
            if (micros < 0) {
                throw new ConfigException(key.env() + " must not be negative");
            }
            return micros;
        } catch (ArithmeticException | NumberFormatException e) {
            throw new ConfigException(key.env() + "=" + value + " is not an amount in dollars such as 1.00");
        }
    }
}
