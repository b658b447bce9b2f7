package com.monkeycoder.daemon.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.daemon.limits.Tier;
import com.monkeycoder.shared.Json;
import com.monkeycoder.shared.MonkeyPaths;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;

/**
 * Everything the gateway reads at start, resolved once with the precedence of the README ("Configuration"):
 * command-line flag, then environment, then {@code config.json}, then the default.
 *
 * @param env the environment the gateway sees; provider keys are read from it and never copied elsewhere
 */
public record GatewayConfig(
        GatewayMode mode,
        String host,
        int port,
        MonkeyPaths paths,
        Map<String, String> env,
        long maxBodyBytes,
        Duration upstreamConnectTimeout,
        Duration upstreamReadTimeout,
        Duration drainTimeout,
        Duration demoChunkDelay,
        RoutingSettings routing,
        CacheSettings cache,
        Map<String, ProviderTimeouts> providerTimeouts,
        AccountSettings accounts) {

    public static final int DEFAULT_PORT = 8420;
    /** Agent conversations and images run to megabytes; 32 MiB is what Anthropic accepts. */
    public static final int DEFAULT_MAX_BODY_MB = 32;

    /**
     * @param portFlag the {@code --port} flag, or null
     * @param modeFlag the {@code --mode} flag, or null
     */
    public static GatewayConfig resolve(Map<String, String> env, Integer portFlag, GatewayMode modeFlag) {
        MonkeyPaths paths = MonkeyPaths.from(env);
        JsonNode file = readConfigFile(paths);
        GatewayMode mode = modeFlag != null ? modeFlag : GatewayMode.LOCAL;
        int port = portFlag != null ? portFlag
                : intSetting(env, "MONKEY_CODER_PORT", file.path("port"), DEFAULT_PORT);
        if (port < 0 || port > 65535) {
            throw new ConfigException("port " + port + " is out of range: use 0 (any free port) to 65535");
        }
        // The local daemon answers only on loopback (README, "Configuration"); the shared gateway binds where it is told.
        String host = mode == GatewayMode.LOCAL ? "127.0.0.1"
                : env.getOrDefault("MONKEY_CODER_HOST", file.path("host").asText("0.0.0.0"));
        return new GatewayConfig(mode, host, port, paths, Map.copyOf(env),
                Math.max(1, intSetting(env, "MONKEY_CODER_MAX_BODY_MB", file.path("max_body_mb"), DEFAULT_MAX_BODY_MB)) * 1024L * 1024,
                Duration.ofSeconds(intSetting(env, "MONKEY_CODER_UPSTREAM_CONNECT_TIMEOUT", file.path("upstream_connect_timeout_seconds"), 10)),
                Duration.ofSeconds(intSetting(env, "MONKEY_CODER_UPSTREAM_TIMEOUT", file.path("upstream_timeout_seconds"), 120)),
                Duration.ofSeconds(intSetting(env, "MONKEY_CODER_DRAIN_TIMEOUT", file.path("drain_timeout_seconds"), 30)),
                Duration.ofMillis(intSetting(env, "MONKEY_CODER_DEMO_DELAY_MS", file.path("demo_delay_ms"), 12)),
                new RoutingSettings(
                        Math.max(1, intSetting(env, "MONKEY_CODER_MAX_ATTEMPTS", file.path("max_attempts"), 3)),
                        Duration.ofSeconds(intSetting(env, "MONKEY_CODER_MAX_RETRY_SECONDS", file.path("max_retry_seconds"), 60)),
                        Duration.ofMillis(intSetting(env, "MONKEY_CODER_BACKOFF_MS", file.path("backoff_ms"), 250)),
                        Math.max(1, intSetting(env, "MONKEY_CODER_BREAKER_FAILURES", file.path("breaker_failures"), 5)),
                        Duration.ofSeconds(intSetting(env, "MONKEY_CODER_BREAKER_COOLDOWN", file.path("breaker_cooldown_seconds"), 30)),
                        file.has("routing") ? file.get("routing") : null),
                new CacheSettings(
                        Duration.ofSeconds(intSetting(env, "MONKEY_CODER_CACHE_TTL", file.path("cache_ttl_seconds"), 3600)),
                        intSetting(env, "MONKEY_CODER_CACHE_MB", file.path("cache_max_mb"),
                                defaultCacheMb(Runtime.getRuntime().maxMemory())) * 1024L * 1024L),
                providerTimeouts(file.path("providers")),
                accountSettings(env, file));
    }

    private static AccountSettings accountSettings(Map<String, String> env, JsonNode file) {
        String tierName = textSetting(env, "MONKEY_CODER_LOCAL_TIER", file.path("local_tier"), "unlimited");
        Tier localTier = Tier.parse(tierName).orElseThrow(() -> new ConfigException("local_tier '" + tierName
                + "' is not a tier: use free, pro, enterprise or unlimited"));
        String credits = textSetting(env, "MONKEY_CODER_STARTER_CREDITS_USD", file.path("starter_credits_usd"), "1.00");
        long starterMicros;
        try {
            starterMicros = new java.math.BigDecimal(credits).movePointRight(6).setScale(0, java.math.RoundingMode.HALF_UP)
                    .longValueExact();
        } catch (ArithmeticException | NumberFormatException e) {
            throw new ConfigException("MONKEY_CODER_STARTER_CREDITS_USD=" + credits + " is not an amount in dollars such as 1.00");
        }
        if (starterMicros < 0) {
            throw new ConfigException("MONKEY_CODER_STARTER_CREDITS_USD must not be negative");
        }
        String enforced = textSetting(env, "MONKEY_CODER_CREDITS", file.path("credits"), "on");
        return new AccountSettings(textSetting(env, "DATABASE_URL", file.path("database_url"), null),
                textSetting(env, "REDIS_URL", file.path("redis_url"), null),
                textSetting(env, "MONKEY_CODER_SECRET", com.fasterxml.jackson.databind.node.MissingNode.getInstance(), null),
                textSetting(env, "MONKEY_CODER_REDIS_PREFIX", file.path("redis_prefix"), "monkey:"),
                starterMicros, localTier,
                Math.max(1, intSetting(env, "MONKEY_CODER_RESERVE_MAX_TOKENS", file.path("reserve_max_tokens"), 4096)),
                Duration.ofSeconds(Math.max(1, intSetting(env, "MONKEY_CODER_AUTH_CACHE_SECONDS", file.path("auth_cache_seconds"), 30))),
                Math.max(2, intSetting(env, "MONKEY_CODER_DB_POOL", file.path("database_pool_size"), 10)),
                !enforced.equalsIgnoreCase("off"));
    }

    private static String textSetting(Map<String, String> env, String name, JsonNode fromFile, String fallback) {
        String value = env.get(name);
        if (value != null && !value.isBlank()) {
            return value.strip();
        }
        if (fromFile.isTextual() && !fromFile.asText().isBlank()) {
            return fromFile.asText().strip();
        }
        return fallback;
    }

    /**
     * The response cache's memory default: 64 MB, but at most a quarter of the heap this JVM may use, so a full
     * cache leaves room for the requests in flight. {@code monkey daemon start} gives the daemon a 128 MB heap
     * (see DaemonControl), which makes it about 30 MB.
     */
    static int defaultCacheMb(long maxHeapBytes) {
        return (int) Math.max(1, Math.min(64, maxHeapBytes / 4 / (1024 * 1024)));
    }

    /** A copy with other upstream timeouts (tests use short ones). */
    public GatewayConfig withUpstreamTimeouts(Duration connect, Duration read) {
        return new GatewayConfig(mode, host, port, paths, env, maxBodyBytes, connect, read, drainTimeout, demoChunkDelay,
                routing, cache, providerTimeouts, accounts);
    }

    private static Map<String, ProviderTimeouts> providerTimeouts(JsonNode providers) {
        Map<String, ProviderTimeouts> out = new java.util.HashMap<>();
        providers.properties().forEach(e -> {
            JsonNode p = e.getValue();
            out.put(e.getKey(), new ProviderTimeouts(
                    p.path("connect_timeout_seconds").canConvertToInt() ? Duration.ofSeconds(p.get("connect_timeout_seconds").asInt()) : null,
                    p.path("timeout_seconds").canConvertToInt() ? Duration.ofSeconds(p.get("timeout_seconds").asInt()) : null));
        });
        return Map.copyOf(out);
    }

    /** The value of the first of these env vars that is set and not blank, or null. */
    public String envValue(Iterable<String> names) {
        for (String name : names) {
            String value = env.get(name);
            if (value != null && !value.isBlank()) {
                return value.strip();
            }
        }
        return null;
    }

    private static JsonNode readConfigFile(MonkeyPaths paths) {
        if (!Files.isRegularFile(paths.configFile())) {
            return Json.mapper().createObjectNode();
        }
        try {
            return Json.mapper().readTree(paths.configFile().toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ConfigException("cannot read " + paths.configFile() + ": it is not valid JSON ("
                    + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new ConfigException("cannot read " + paths.configFile() + ": " + e.getMessage());
        }
    }

    private static int intSetting(Map<String, String> env, String name, JsonNode fromFile, int fallback) {
        String value = env.get(name);
        if (value != null && !value.isBlank()) {
            try {
                return Integer.parseInt(value.strip());
            } catch (NumberFormatException e) {
                throw new ConfigException(name + "=" + value + " is not a whole number");
            }
        }
        if (fromFile.canConvertToInt()) {
            return fromFile.asInt();
        }
        return fallback;
    }
}
