package com.monkeycoder.daemon.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.shared.Json;
import com.monkeycoder.shared.config.ConfigKey;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Locale;

/**
 * Settings of metrics and the request log, resolved with the precedence of the README ("Configuration") (environment, then
 * {@code config.json}, then the default; names and defaults from the shared table {@link ConfigKey}). Kept beside {@link GatewayConfig} rather than in it so that it can
 * grow without touching the record every other part reads.
 *
 * @param logPrompts whether the request log prints the messages sent upstream ({@code log_prompts},
 *                   {@code MONKEY_CODER_LOG_PROMPTS}); off by default, since prompts often hold code and secrets
 * @param requestLog whether the daemon writes one JSON line per request to its log ({@code request_log},
 *                   {@code MONKEY_CODER_REQUEST_LOG}); on by default
 */
public record ObservabilitySettings(boolean logPrompts, boolean requestLog) {

    public static final String LOG_PROMPTS_ENV = ConfigKey.LOG_PROMPTS.env();
    public static final String REQUEST_LOG_ENV = ConfigKey.REQUEST_LOG.env();

    public static ObservabilitySettings resolve(GatewayConfig config) {
        JsonNode file = settingsFile(config);
        return new ObservabilitySettings(
                flag(config.env(), file, ConfigKey.LOG_PROMPTS),
                flag(config.env(), file, ConfigKey.REQUEST_LOG));
    }

    /**
     * {@code config.json} as a tree, empty when there is none. Read again by the settings kept beside
     * {@link GatewayConfig}; {@link GatewayConfig#resolve} already read it and said what is wrong with a bad one.
     */
    static JsonNode settingsFile(GatewayConfig config) {
        if (Files.isRegularFile(config.paths().configFile())) {
            try {
                return Json.mapper().readTree(config.paths().configFile().toFile());
            } catch (IOException e) {
                // reported at start by GatewayConfig.resolve
            }
        }
        return Json.mapper().createObjectNode();
    }

    private static boolean flag(java.util.Map<String, String> env, JsonNode file, ConfigKey key) {
        return flag(env.get(key.env()), file.path(key.key()), key.booleanDefault(), key.env());
    }

    private static boolean flag(String env, JsonNode fromFile, boolean fallback, String name) {
        if (env != null && !env.isBlank()) {
            return switch (env.strip().toLowerCase(Locale.ROOT)) {
                case "1", "true", "yes", "on" -> true;
                case "0", "false", "no", "off" -> false;
                default -> throw new ConfigException(name + "=" + env + " is not a yes/no value: use true or false");
            };
        }
        return fromFile.isBoolean() ? fromFile.asBoolean() : fallback;
    }
}
