package com.monkeycoder.daemon.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.monkeycoder.shared.Json;
import com.monkeycoder.shared.config.ConfigKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway reads every gateway key of the shared table ({@link ConfigKey}) by the table's environment variable
 * and config.json key, with the table's default, and reads no key that is not in the table.
 */
class GatewayConfigKeysTest {

    private static final long MB = 1024 * 1024;

    /** What the gateway made of each key, as text comparable with the table's. */
    private static final Map<ConfigKey, Function<GatewayConfig, Object>> READ = new EnumMap<>(ConfigKey.class);

    static {
        READ.put(ConfigKey.PORT, GatewayConfig::port);
        READ.put(ConfigKey.HOST, GatewayConfig::host);
        READ.put(ConfigKey.UPSTREAM_TIMEOUT_SECONDS, c -> c.upstreamReadTimeout().toSeconds());
        READ.put(ConfigKey.UPSTREAM_CONNECT_TIMEOUT_SECONDS, c -> c.upstreamConnectTimeout().toSeconds());
        READ.put(ConfigKey.DRAIN_TIMEOUT_SECONDS, c -> c.drainTimeout().toSeconds());
        READ.put(ConfigKey.DRAIN_PAUSE_SECONDS, c -> LifecycleSettings.resolve(c).drainPause().toSeconds());
        READ.put(ConfigKey.DATABASE_CONNECT_TIMEOUT_SECONDS,
                c -> LifecycleSettings.resolve(c).databaseConnectTimeout().toSeconds());
        READ.put(ConfigKey.AUDIT_RETENTION_DAYS, c -> AuditSettings.resolve(c).retention().toDays());
        READ.put(ConfigKey.DEMO_DELAY_MS, c -> c.demoChunkDelay().toMillis());
        READ.put(ConfigKey.MAX_BODY_MB, c -> c.maxBodyBytes() / MB);
        READ.put(ConfigKey.MAX_ATTEMPTS, c -> c.routing().maxAttempts());
        READ.put(ConfigKey.MAX_RETRY_SECONDS, c -> c.routing().maxTotal().toSeconds());
        READ.put(ConfigKey.BACKOFF_MS, c -> c.routing().baseBackoff().toMillis());
        READ.put(ConfigKey.BREAKER_FAILURES, c -> c.routing().breakerThreshold());
        READ.put(ConfigKey.BREAKER_COOLDOWN_SECONDS, c -> c.routing().breakerCooldown().toSeconds());
        READ.put(ConfigKey.CACHE_TTL_SECONDS, c -> c.cache().ttl().toSeconds());
        READ.put(ConfigKey.CACHE_MAX_MB, c -> c.cache().maxMemoryBytes() / MB);
        READ.put(ConfigKey.REQUEST_LOG, c -> ObservabilitySettings.resolve(c).requestLog());
        READ.put(ConfigKey.LOG_PROMPTS, c -> ObservabilitySettings.resolve(c).logPrompts());
        READ.put(ConfigKey.LOCAL_TIER, c -> c.accounts().localTier().name().toLowerCase(Locale.ROOT));
        READ.put(ConfigKey.DATABASE_URL, c -> c.accounts().databaseUrl());
        READ.put(ConfigKey.REDIS_URL, c -> c.accounts().redisUrl());
        READ.put(ConfigKey.REDIS_PREFIX, c -> c.accounts().redisPrefix());
        READ.put(ConfigKey.STARTER_CREDITS_USD, c -> dollars(BigDecimal.valueOf(c.accounts().starterCreditMicros(), 6)));
        READ.put(ConfigKey.CREDITS, c -> c.accounts().creditsEnforced() ? "on" : "off");
        READ.put(ConfigKey.RESERVE_MAX_TOKENS, c -> c.accounts().reserveMaxTokens());
        READ.put(ConfigKey.AUTH_CACHE_SECONDS, c -> c.accounts().authCacheTtl().toSeconds());
        READ.put(ConfigKey.DATABASE_POOL_SIZE, c -> c.accounts().databasePoolSize());
        READ.put(ConfigKey.METRICS_TOKEN, c -> c.access().metricsToken());
        READ.put(ConfigKey.ADMIN_EMAILS, c -> c.access().adminEmails().isEmpty() ? null
                : String.join(",", new java.util.TreeSet<>(c.access().adminEmails())));
        READ.put(ConfigKey.CORS_ORIGINS, c -> c.access().corsOrigins().isEmpty() ? null
                : String.join(",", new java.util.TreeSet<>(c.access().corsOrigins())));
        READ.put(ConfigKey.MAX_OPEN_HOLDS, c -> c.accounts().maxOpenHolds());
        READ.put(ConfigKey.INSTANCE_TIMEOUT_SECONDS, c -> c.accounts().instanceTimeout().toSeconds());
        READ.put(ConfigKey.MAX_STREAM_SECONDS, c -> c.routing().maxStream().toSeconds());
        READ.put(ConfigKey.MAX_KEYS_PER_ACCOUNT, c -> c.accounts().maxKeysPerAccount());
        READ.put(ConfigKey.TRUSTED_PROXIES, c -> c.accounts().trustedProxies().isEmpty() ? null
                : String.join(",", c.accounts().trustedProxies().stream().map(Object::toString).toList()));
        READ.put(ConfigKey.PASSWORD_HASH_CONCURRENCY, c -> c.accounts().passwordHashConcurrency());
        READ.put(ConfigKey.SIGNUPS_PER_HOUR, c -> c.accounts().signupsPerHour());
        READ.put(ConfigKey.UPSTREAM_DEADLINE_SECONDS, c -> c.availability().upstreamDeadline().toSeconds());
        READ.put(ConfigKey.REQUEST_PARSE_TIMEOUT_SECONDS, c -> c.availability().requestParseTimeout().toSeconds());
        READ.put(ConfigKey.NO_REQUEST_TIMEOUT_SECONDS, c -> c.availability().noRequestTimeout().toSeconds());
        READ.put(ConfigKey.IDLE_TIMEOUT_SECONDS, c -> c.availability().idleTimeout().toSeconds());
        READ.put(ConfigKey.UNAUTHENTICATED_TIMEOUT_SECONDS, c -> c.availability().unauthenticatedTimeout().toSeconds());
        READ.put(ConfigKey.MAX_HEADER_KB, c -> c.availability().maxHeaderBytes() / 1024);
        READ.put(ConfigKey.MAX_CONNECTIONS_PER_ADDRESS, c -> c.availability().maxConnectionsPerAddress());
        READ.put(ConfigKey.SESSION_MESSAGE_MAX_KB, c -> HistorySettings.resolve(c).messageMaxKb());
        READ.put(ConfigKey.SESSION_MAX_MESSAGES, c -> HistorySettings.resolve(c).maxMessages());
        READ.put(ConfigKey.SESSIONS_PER_USER, c -> HistorySettings.resolve(c).sessionsPerUser());
        READ.put(ConfigKey.AUDIT_RETENTION_DAYS, c -> AuditSettings.resolve(c).retention().toDays());
        READ.put(ConfigKey.STRIPE_API_BASE, c -> BillingSettings.resolve(c).apiBase());
        READ.put(ConfigKey.BILLING_SUCCESS_URL, c -> BillingSettings.resolve(c).successUrl());
        READ.put(ConfigKey.BILLING_CANCEL_URL, c -> BillingSettings.resolve(c).cancelUrl());
        READ.put(ConfigKey.BILLING_MAX_CREDITS_USD, c -> dollars(BigDecimal.valueOf(
                BillingSettings.resolve(c).maxCreditMicros(), 6)));
        READ.put(ConfigKey.SMTP_URL, c -> MailSettings.resolve(c).smtpUrl());
        READ.put(ConfigKey.MAIL_FROM, c -> MailSettings.resolve(c).from());
        READ.put(ConfigKey.PUBLIC_URL, c -> MailSettings.resolve(c).publicUrl());
        READ.put(ConfigKey.LOW_CREDIT_THRESHOLD_USD, c -> dollars(BigDecimal.valueOf(MailSettings.resolve(c).lowCreditThresholdMicros(), 6)));
        READ.put(ConfigKey.ACCESS_TOKEN_MINUTES, c -> SessionSettings.resolve(c).accessLifetime().toMinutes());
        READ.put(ConfigKey.REFRESH_TOKEN_DAYS, c -> SessionSettings.resolve(c).refreshLifetime().toDays());
    }

    @TempDir
    Path home;

    @Test
    void everyGatewayKeyOfTheTableIsCoveredHere() {
        assertThat(READ.keySet()).containsExactlyInAnyOrderElementsOf(Arrays.stream(ConfigKey.values())
                .filter(k -> k.scope() != ConfigKey.Scope.CLI).toList());
    }

    @ParameterizedTest
    @EnumSource(ConfigKey.class)
    void withNothingSetTheTablesDefaultApplies(ConfigKey key) {
        if (!READ.containsKey(key)) {
            return;
        }
        String expected = key == ConfigKey.CACHE_MAX_MB
                ? String.valueOf(GatewayConfig.defaultCacheMb(Runtime.getRuntime().maxMemory()))
                : normal(key, key.defaultValue());

        assertThat(read(key, Map.of())).isEqualTo(expected);
    }

    @ParameterizedTest
    @EnumSource(ConfigKey.class)
    void theTablesEnvironmentVariableIsRead(ConfigKey key) {
        if (!READ.containsKey(key)) {
            return;
        }
        String value = other(key);

        assertThat(read(key, Map.of(key.env(), value))).isEqualTo(normal(key, value));
    }

    /** The value {@code monkey config set} stores (ConfigKey.parse) is one the gateway reads, under the table's key. */
    @ParameterizedTest
    @EnumSource(ConfigKey.class)
    void theTablesConfigKeyIsReadAsMonkeyConfigSetWritesIt(ConfigKey key) throws IOException {
        if (!READ.containsKey(key)) {
            return;
        }
        String value = other(key);
        ObjectNode file = Json.mapper().createObjectNode();
        file.set(key.key(), key.parse(value));
        Files.createDirectories(home.resolve("config"));
        Files.writeString(home.resolve("config/config.json"), file.toString());

        assertThat(read(key, Map.of())).isEqualTo(normal(key, value));
    }

    /** No env var or config.json key is named in the config classes except through the table. */
    @Test
    void theGatewayReadsNoKeyOutsideTheTable() throws IOException {
        Path dir = Path.of("src/main/java/com/monkeycoder/daemon/config");
        Pattern literal = Pattern.compile("\"((?:MONKEY_CODER_|DATABASE_|REDIS_)[A-Z_]*)\"|file\\.(?:path|has|get)\\(\"([a-z_]+)\"\\)");
        List<String> outside = new java.util.ArrayList<>();
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Matcher m = literal.matcher(Files.readString(f));
                while (m.find()) {
                    outside.add(m.group(1) != null ? m.group(1) : m.group(2));
                }
            }
        }
        // Not in the table on purpose: secrets (and the first admin's email, which goes with its password) live
        // in the environment only; routing and providers are structured objects with no variable and no default.
        assertThat(outside).as("read in daemon/.../config without ConfigKey").isSubsetOf(
                GatewayConfig.SECRET_ENV, AdminSettings.EMAIL_ENV, AdminSettings.PASSWORD_ENV, "routing", "providers");
    }

    private String read(ConfigKey key, Map<String, String> extraEnv) {
        Map<String, String> env = new HashMap<>(extraEnv);
        env.put("MONKEY_CODER_HOME", home.toString());
        GatewayConfig config = GatewayConfig.resolve(env, null, GatewayMode.GATEWAY);
        return String.valueOf(READ.get(key).apply(config));
    }

    /** A valid value other than the default. */
    private static String other(ConfigKey key) {
        return switch (key.type()) {
            case PORT, POSITIVE, NON_NEGATIVE -> String.valueOf(key.intDefault() + 7);
            case BOOLEAN -> String.valueOf(!key.booleanDefault());
            case ON_OFF -> "on".equals(key.defaultValue()) ? "off" : "on";
            case TIER -> "unlimited".equals(key.defaultValue()) ? "pro" : "unlimited";
            case DOLLARS -> "2.50";
            case BASE_URL -> "http://example.test:1";
            case CIDRS -> "10.0.0.0/8,2001:db8:0:0:0:0:0:0/32";
            case TEXT -> key == ConfigKey.CORS_ORIGINS ? "https://app.example.test" : "x-" + key.key();
        };
    }

    private static String normal(ConfigKey key, String value) {
        return value != null && key.type() == ConfigKey.Type.DOLLARS ? dollars(new BigDecimal(value)) : String.valueOf(value);
    }

    private static String dollars(BigDecimal amount) {
        return amount.stripTrailingZeros().toPlainString();
    }
}
