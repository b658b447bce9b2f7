package com.monkeycoder.daemon.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.daemon.limits.Tier;
import com.monkeycoder.shared.Json;
import com.monkeycoder.shared.MonkeyPaths;
import com.monkeycoder.shared.config.ConfigKey;
import com.monkeycoder.shared.net.Cidr;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Everything the gateway reads at start, resolved once with the precedence of the README ("Configuration"):
 * command-line flag, then environment, then {@code config.json}, then the default. Every key's {@code config.json}
 * name, environment variable and default come from the shared table {@link ConfigKey}, which {@code monkey config}
 * lists too.
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
        AccountSettings accounts,
        AccessSettings access,
        AvailabilitySettings availability) {

    public static final int DEFAULT_PORT = ConfigKey.PORT.intDefault();
    /** Agent conversations and images run to megabytes; 32 MiB is what Anthropic accepts. */
    public static final int DEFAULT_MAX_BODY_MB = ConfigKey.MAX_BODY_MB.intDefault();
    /** Read from the environment only: a secret has no place in config.json. */
    public static final String SECRET_ENV = "MONKEY_CODER_SECRET";

    /**
     * @param portFlag the {@code --port} flag, or null
     * @param modeFlag the {@code --mode} flag, or null
     */
    public static GatewayConfig resolve(Map<String, String> env, Integer portFlag, GatewayMode modeFlag) {
        MonkeyPaths paths = MonkeyPaths.from(env);
        JsonNode file = readConfigFile(paths);
        GatewayMode mode = modeFlag != null ? modeFlag : GatewayMode.LOCAL;
        int port = portFlag != null ? portFlag
                : intSetting(env, file, ConfigKey.PORT);
        if (port < 0 || port > 65535) {
            throw new ConfigException("port " + port + " is out of range: use 0 (any free port) to 65535");
        }
        // The local daemon answers only on loopback (README, "Configuration"); the shared gateway binds where it is told.
        String host = mode == GatewayMode.LOCAL ? "127.0.0.1"
                : env.getOrDefault(ConfigKey.HOST.env(), file.path(ConfigKey.HOST.key()).asText(ConfigKey.HOST.defaultValue()));
        return new GatewayConfig(mode, host, port, paths, Map.copyOf(env),
                Math.max(1, intSetting(env, file, ConfigKey.MAX_BODY_MB)) * 1024L * 1024,
                Duration.ofSeconds(intSetting(env, file, ConfigKey.UPSTREAM_CONNECT_TIMEOUT_SECONDS)),
                Duration.ofSeconds(intSetting(env, file, ConfigKey.UPSTREAM_TIMEOUT_SECONDS)),
                Duration.ofSeconds(intSetting(env, file, ConfigKey.DRAIN_TIMEOUT_SECONDS)),
                Duration.ofMillis(intSetting(env, file, ConfigKey.DEMO_DELAY_MS)),
                new RoutingSettings(
                        Math.max(1, intSetting(env, file, ConfigKey.MAX_ATTEMPTS)),
                        Duration.ofSeconds(intSetting(env, file, ConfigKey.MAX_RETRY_SECONDS)),
                        Duration.ofMillis(intSetting(env, file, ConfigKey.BACKOFF_MS)),
                        Math.max(1, intSetting(env, file, ConfigKey.BREAKER_FAILURES)),
                        Duration.ofSeconds(intSetting(env, file, ConfigKey.BREAKER_COOLDOWN_SECONDS)),
                        file.has("routing") ? file.get("routing") : null,
                        Duration.ofSeconds(Math.max(1, intSetting(env, file, ConfigKey.MAX_STREAM_SECONDS)))),
                new CacheSettings(
                        Duration.ofSeconds(intSetting(env, file, ConfigKey.CACHE_TTL_SECONDS)),
                        intSetting(env, file, ConfigKey.CACHE_MAX_MB,
                                defaultCacheMb(Runtime.getRuntime().maxMemory())) * 1024L * 1024L),
                providerTimeouts(file.path("providers")),
                accountSettings(env, file),
                new AccessSettings(textSetting(env, file, ConfigKey.METRICS_TOKEN),
                        AccessSettings.parseEmails(textSetting(env, file, ConfigKey.ADMIN_EMAILS)),
                        AccessSettings.parseOrigins(textSetting(env, file, ConfigKey.CORS_ORIGINS))),
                availability(env, file, mode));
    }

    private static AvailabilitySettings availability(Map<String, String> env, JsonNode file, GatewayMode mode) {
        Duration deadline = Duration.ofSeconds(intSetting(env, file, ConfigKey.UPSTREAM_DEADLINE_SECONDS));
        return new AvailabilitySettings(
                Duration.ofSeconds(Math.max(1, intSetting(env, file, ConfigKey.REQUEST_PARSE_TIMEOUT_SECONDS))),
                Duration.ofSeconds(Math.max(1, intSetting(env, file, ConfigKey.NO_REQUEST_TIMEOUT_SECONDS))),
                Duration.ofSeconds(Math.max(1, intSetting(env, file, ConfigKey.IDLE_TIMEOUT_SECONDS))),
                Duration.ofSeconds(Math.max(1, intSetting(env, file, ConfigKey.UNAUTHENTICATED_TIMEOUT_SECONDS))),
                Math.max(1, intSetting(env, file, ConfigKey.MAX_HEADER_KB)) * 1024,
                // The local daemon has one user on loopback: no cap there.
                mode == GatewayMode.GATEWAY ? Math.max(0, intSetting(env, file, ConfigKey.MAX_CONNECTIONS_PER_ADDRESS)) : 0,
                deadline.isZero() || deadline.isNegative() ? Duration.ofSeconds(1) : deadline);
    }

    private static AccountSettings accountSettings(Map<String, String> env, JsonNode file) {
        String tierName = textSetting(env, file, ConfigKey.LOCAL_TIER);
        Tier localTier = Tier.parse(tierName).orElseThrow(() -> new ConfigException("local_tier '" + tierName
                + "' is not a tier: use free, pro, enterprise or unlimited"));
        String credits = textSetting(env, file, ConfigKey.STARTER_CREDITS_USD);
        long starterMicros;
        try {
            starterMicros = new java.math.BigDecimal(credits).movePointRight(6).setScale(0, java.math.RoundingMode.HALF_UP)
                    .longValueExact();
        } catch (ArithmeticException | NumberFormatException e) {
            throw new ConfigException(ConfigKey.STARTER_CREDITS_USD.env() + "=" + credits + " is not an amount in dollars such as 1.00");
        }
        if (starterMicros < 0) {
            throw new ConfigException(ConfigKey.STARTER_CREDITS_USD.env() + " must not be negative");
        }
        String enforced = textSetting(env, file, ConfigKey.CREDITS);
        List<Cidr> trustedProxies;
        try {
            trustedProxies = Cidr.parseList(textSetting(env, file, ConfigKey.TRUSTED_PROXIES));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(ConfigKey.TRUSTED_PROXIES.env() + ": " + e.getMessage());
        }
        return new AccountSettings(textSetting(env, file, ConfigKey.DATABASE_URL),
                textSetting(env, file, ConfigKey.REDIS_URL),
                textSetting(env, SECRET_ENV, com.fasterxml.jackson.databind.node.MissingNode.getInstance(), null),
                textSetting(env, file, ConfigKey.REDIS_PREFIX),
                starterMicros, localTier,
                Math.max(1, intSetting(env, file, ConfigKey.RESERVE_MAX_TOKENS)),
                Duration.ofSeconds(Math.max(1, intSetting(env, file, ConfigKey.AUTH_CACHE_SECONDS))),
                Math.max(2, intSetting(env, file, ConfigKey.DATABASE_POOL_SIZE)),
                !enforced.equalsIgnoreCase("off"),
                Math.max(1, intSetting(env, file, ConfigKey.MAX_OPEN_HOLDS)),
                Duration.ofSeconds(Math.max(1, intSetting(env, file, ConfigKey.INSTANCE_TIMEOUT_SECONDS))),
                Math.max(1, intSetting(env, file, ConfigKey.MAX_KEYS_PER_ACCOUNT)),
                trustedProxies,
                Math.max(0, intSetting(env, file, ConfigKey.PASSWORD_HASH_CONCURRENCY)),
                Math.max(1, intSetting(env, file, ConfigKey.SIGNUPS_PER_HOUR)));
    }

    /** {@code key}'s text: its environment variable, else config.json's text value, else the table's default. */
    private static String textSetting(Map<String, String> env, JsonNode file, ConfigKey key) {
        return textSetting(env, key.env(), file.path(key.key()), key.defaultValue());
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
     * cache leaves room for the requests in flight (64 is {@code cache_max_mb}'s default in {@link ConfigKey}). {@code monkey daemon start} gives the daemon a 128 MB heap
     * (see DaemonControl), which makes it about 30 MB.
     */
    static int defaultCacheMb(long maxHeapBytes) {
        return (int) Math.max(1, Math.min(ConfigKey.CACHE_MAX_MB.intDefault(), maxHeapBytes / 4 / (1024 * 1024)));
    }

    /** A copy with other upstream timeouts (tests use short ones). */
    public GatewayConfig withUpstreamTimeouts(Duration connect, Duration read) {
        return new GatewayConfig(mode, host, port, paths, env, maxBodyBytes, connect, read, drainTimeout, demoChunkDelay,
                routing, cache, providerTimeouts, accounts, access, availability);
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

    /** {@code key}'s whole number: its environment variable, else config.json's, else the table's default. */
    private static int intSetting(Map<String, String> env, JsonNode file, ConfigKey key) {
        return intSetting(env, file, key, key.intDefault());
    }

    /** As above with a default worked out at start (the cache's, from the heap). */
    private static int intSetting(Map<String, String> env, JsonNode file, ConfigKey key, int fallback) {
        return intSetting(env, key.env(), file.path(key.key()), fallback);
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
