package com.monkeycoder.daemon.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.shared.config.ConfigKey;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Sessions of the shared gateway: the key access tokens are signed with ({@code JWT_SECRET_KEY}, from the
 * environment only, like every secret; null when unset, and then the session routes answer 503), and how long
 * access tokens and sessions last.
 *
 * @param jwtSecret       the HS256 key's bytes (at least 32), or null
 * @param accessLifetime  {@code access_token_minutes}: at most a day, since a revoked session's marker in Redis is
 *                        kept a day and must outlive every token of the session
 * @param refreshLifetime {@code refresh_token_days}: how long a session lasts without a refresh
 */
public record SessionSettings(byte[] jwtSecret, Duration accessLifetime, Duration refreshLifetime) {

    public static final String JWT_SECRET_ENV = "JWT_SECRET_KEY";
    static final int MIN_SECRET_BYTES = 32;

    public static SessionSettings resolve(GatewayConfig config) {
        JsonNode file = ObservabilitySettings.settingsFile(config);
        int minutes = HistorySettings.number(config.env(), file, ConfigKey.ACCESS_TOKEN_MINUTES);
        if (minutes < 1 || minutes > 1440) {
            throw new ConfigException(ConfigKey.ACCESS_TOKEN_MINUTES.env() + "=" + minutes
                    + " is out of range: use 1 to 1440 minutes (default 15)");
        }
        int days = HistorySettings.number(config.env(), file, ConfigKey.REFRESH_TOKEN_DAYS);
        if (days < 1 || days > 3650) {
            throw new ConfigException(ConfigKey.REFRESH_TOKEN_DAYS.env() + "=" + days
                    + " is out of range: use 1 to 3650 days (default 30)");
        }
        String secret = config.env().get(JWT_SECRET_ENV);
        byte[] bytes = null;
        if (secret != null && !secret.isBlank()) {
            bytes = secret.strip().getBytes(StandardCharsets.UTF_8);
            if (bytes.length < MIN_SECRET_BYTES) {
                throw new ConfigException(JWT_SECRET_ENV + " is too short: use at least " + MIN_SECRET_BYTES
                        + " random bytes (e.g. openssl rand -base64 48), the same on every instance");
            }
        }
        return new SessionSettings(bytes, Duration.ofMinutes(minutes), Duration.ofDays(days));
    }

    public boolean configured() {
        return jwtSecret != null;
    }
}
