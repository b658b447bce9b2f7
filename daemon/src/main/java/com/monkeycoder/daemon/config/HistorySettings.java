package com.monkeycoder.daemon.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.shared.config.ConfigKey;

import java.util.Map;

/**
 * The caps on stored conversations, resolved with the precedence of the README ("Configuration"): environment,
 * then {@code config.json}, then the default of the shared table {@link ConfigKey}. Kept beside
 * {@link GatewayConfig}, as {@link ObservabilitySettings} is, so it grows without touching that record.
 *
 * @param messageMaxKb    {@code session_message_max_kb}: the most of one message's text stored, in KiB
 * @param maxMessages     {@code session_max_messages}: messages kept per conversation
 * @param sessionsPerUser {@code sessions_per_user}: conversations kept per user
 */
public record HistorySettings(int messageMaxKb, int maxMessages, int sessionsPerUser) {

    public static HistorySettings resolve(GatewayConfig config) {
        JsonNode file = ObservabilitySettings.settingsFile(config);
        return new HistorySettings(
                Math.max(1, number(config.env(), file, ConfigKey.SESSION_MESSAGE_MAX_KB)),
                Math.max(2, number(config.env(), file, ConfigKey.SESSION_MAX_MESSAGES)),
                Math.max(1, number(config.env(), file, ConfigKey.SESSIONS_PER_USER)));
    }

    /** A whole-number setting: environment, then the settings file, then the table's default. */
    static int number(Map<String, String> env, JsonNode file, ConfigKey key) {
        String value = env.get(key.env());
        if (value != null && !value.isBlank()) {
            try {
                return Integer.parseInt(value.strip());
            } catch (NumberFormatException e) {
                throw new ConfigException(key.env() + "=" + value + " is not a whole number");
            }
        }
        JsonNode fromFile = file.path(key.key());
        return fromFile.canConvertToInt() ? fromFile.asInt() : key.intDefault();
    }
}
