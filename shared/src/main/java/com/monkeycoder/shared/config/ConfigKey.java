package com.monkeycoder.shared.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The one table of {@code config.json} keys: for each, the environment variable that overrides it, its default,
 * its type and who reads it. The gateway ({@code GatewayConfig}) takes names and defaults from here, and
 * {@code monkey config list|get|set|unset} lists and checks keys from here, so the two cannot drift. The README's
 * "Configuration" section documents the same table (a test holds them together).
 *
 * <p>Precedence everywhere: command-line flag, then environment, then {@code config.json}, then {@link #defaultValue()}.
 *
 * <p>Not here: variables with no {@code config.json} key (provider keys, {@code MONKEY_CODER_SECRET},
 * {@code MONKEY_CODER_API_KEY}, {@code MONKEY_CODER_HOME}, ...), and the structured keys {@code routing} and
 * {@code providers}, which have no variable and no scalar default.
 */
public enum ConfigKey {

    PORT("port", "MONKEY_CODER_PORT", Type.PORT, "8420", Scope.GATEWAY,
            "the local daemon's port on 127.0.0.1 (0: any free port)"),
    UPSTREAM_TIMEOUT_SECONDS("upstream_timeout_seconds", "MONKEY_CODER_UPSTREAM_TIMEOUT", Type.POSITIVE, "120",
            Scope.GATEWAY, "seconds to wait for a provider's first byte, and between stream chunks"),
    UPSTREAM_CONNECT_TIMEOUT_SECONDS("upstream_connect_timeout_seconds", "MONKEY_CODER_UPSTREAM_CONNECT_TIMEOUT",
            Type.POSITIVE, "10", Scope.GATEWAY, "seconds to connect to a provider"),
    DRAIN_TIMEOUT_SECONDS("drain_timeout_seconds", "MONKEY_CODER_DRAIN_TIMEOUT", Type.NON_NEGATIVE, "30", Scope.GATEWAY,
            "seconds 'daemon stop' or SIGTERM lets requests in flight finish, the drain pause included"),
    DRAIN_PAUSE_SECONDS("drain_pause_seconds", "MONKEY_CODER_DRAIN_PAUSE", Type.NON_NEGATIVE, "5", Scope.GATEWAY,
            "shared gateway: seconds it keeps its port open after SIGTERM, /ready answering 503, so balancers"
            + " stop sending before it refuses connections"),
    MAX_ATTEMPTS("max_attempts", "MONKEY_CODER_MAX_ATTEMPTS", Type.POSITIVE, "3", Scope.GATEWAY,
            "calls per request, across retries and failover"),
    MAX_RETRY_SECONDS("max_retry_seconds", "MONKEY_CODER_MAX_RETRY_SECONDS", Type.NON_NEGATIVE, "60", Scope.GATEWAY,
            "longest Retry-After the gateway waits before retrying"),
    BACKOFF_MS("backoff_ms", "MONKEY_CODER_BACKOFF_MS", Type.NON_NEGATIVE, "250", Scope.GATEWAY,
            "first pause between retries, doubled each time"),
    BREAKER_FAILURES("breaker_failures", "MONKEY_CODER_BREAKER_FAILURES", Type.POSITIVE, "5", Scope.GATEWAY,
            "failures in a row that open a provider's circuit breaker"),
    BREAKER_COOLDOWN_SECONDS("breaker_cooldown_seconds", "MONKEY_CODER_BREAKER_COOLDOWN", Type.POSITIVE, "30",
            Scope.GATEWAY, "seconds an open circuit breaker waits before trying the provider again"),
    DEMO_DELAY_MS("demo_delay_ms", "MONKEY_CODER_DEMO_DELAY_MS", Type.NON_NEGATIVE, "12", Scope.GATEWAY,
            "pause between the demo provider's streamed chunks"),
    MAX_STREAM_SECONDS("max_stream_seconds", "MONKEY_CODER_MAX_STREAM_SECONDS", Type.POSITIVE, "1800",
            Scope.GATEWAY, "the longest a streamed answer may run; then it ends with an error event"),
    MAX_BODY_MB("max_body_mb", "MONKEY_CODER_MAX_BODY_MB", Type.POSITIVE, "32", Scope.GATEWAY,
            "the largest request body, in MiB (32 is what Anthropic accepts)"),
    CACHE_TTL_SECONDS("cache_ttl_seconds", "MONKEY_CODER_CACHE_TTL", Type.NON_NEGATIVE, "3600", Scope.GATEWAY,
            "seconds a cached answer is served"),
    CACHE_MAX_MB("cache_max_mb", "MONKEY_CODER_CACHE_MB", Type.POSITIVE, "64", Scope.GATEWAY,
            "memory for cached answers, in MB; by default 64 but at most a quarter of the daemon's heap"),
    REQUEST_LOG("request_log", "MONKEY_CODER_REQUEST_LOG", Type.BOOLEAN, "true", Scope.GATEWAY,
            "one JSON line per request in the daemon's log"),
    LOG_PROMPTS("log_prompts", "MONKEY_CODER_LOG_PROMPTS", Type.BOOLEAN, "false", Scope.GATEWAY,
            "also put the messages sent upstream in that line; prompts often hold code and secrets"),
    LOCAL_TIER("local_tier", "MONKEY_CODER_LOCAL_TIER", Type.TIER, "unlimited", Scope.GATEWAY,
            "the local daemon's user's tier: free, pro, enterprise or unlimited"),
    HOST("host", "MONKEY_CODER_HOST", Type.TEXT, "0.0.0.0", Scope.GATEWAY,
            "the shared gateway's bind address; the local daemon always binds 127.0.0.1"),
    DATABASE_URL("database_url", "DATABASE_URL", Type.TEXT, null, Scope.GATEWAY,
            "shared gateway: the PostgreSQL (or jdbc:sqlite:) database"),
    REDIS_URL("redis_url", "REDIS_URL", Type.TEXT, null, Scope.GATEWAY,
            "shared gateway: the Redis of rate limits and revoked keys"),
    REDIS_PREFIX("redis_prefix", "MONKEY_CODER_REDIS_PREFIX", Type.TEXT, "monkey:", Scope.GATEWAY,
            "shared gateway: put before every Redis key"),
    STARTER_CREDITS_USD("starter_credits_usd", "MONKEY_CODER_STARTER_CREDITS_USD", Type.DOLLARS, "1.00", Scope.GATEWAY,
            "shared gateway: a new account's balance, in dollars"),
    CREDITS("credits", "MONKEY_CODER_CREDITS", Type.ON_OFF, "on", Scope.GATEWAY,
            "shared gateway: 'off' serves accounts without credit balances (tiers and limits still apply)"),
    RESERVE_MAX_TOKENS("reserve_max_tokens", "MONKEY_CODER_RESERVE_MAX_TOKENS", Type.POSITIVE, "4096", Scope.GATEWAY,
            "shared gateway: output tokens held for a request that sets no max_tokens"),
    MAX_OPEN_HOLDS("max_open_holds", "MONKEY_CODER_MAX_OPEN_HOLDS", Type.POSITIVE, "8", Scope.GATEWAY,
            "shared gateway: requests one account may have running at once while credits are held (429 beyond)"),
    INSTANCE_TIMEOUT_SECONDS("instance_timeout_seconds", "MONKEY_CODER_INSTANCE_TIMEOUT", Type.POSITIVE, "120",
            Scope.GATEWAY, "shared gateway: seconds without a heartbeat after which an instance counts as gone"
            + " and any instance gives its credit holds back"),
    AUTH_CACHE_SECONDS("auth_cache_seconds", "MONKEY_CODER_AUTH_CACHE_SECONDS", Type.POSITIVE, "30", Scope.GATEWAY,
            "shared gateway: how long an instance keeps a key lookup in memory"),
    DATABASE_CONNECT_TIMEOUT_SECONDS("database_connect_timeout_seconds", "MONKEY_CODER_DATABASE_CONNECT_TIMEOUT",
            Type.NON_NEGATIVE, "30", Scope.GATEWAY, "shared gateway: seconds a start keeps retrying a database"
            + " that does not answer (0: fail at once)"),
    DATABASE_POOL_SIZE("database_pool_size", "MONKEY_CODER_DB_POOL", Type.POSITIVE, "10", Scope.GATEWAY,
            "shared gateway: PostgreSQL connections per instance (at least 2)"),
    METRICS_TOKEN("metrics_token", "MONKEY_CODER_METRICS_TOKEN", Type.TEXT, null, Scope.GATEWAY,
            "the bearer token GET /metrics needs; without one, a gateway bound beyond loopback refuses /metrics"),
    ADMIN_EMAILS("admin_emails", "MONKEY_CODER_ADMIN_EMAILS", Type.TEXT, null, Scope.GATEWAY,
            "shared gateway: comma-separated emails whose login keys get the admin scope"),
    CORS_ORIGINS("cors_origins", "MONKEY_CODER_CORS_ORIGINS", Type.TEXT, null, Scope.GATEWAY,
            "comma-separated web origins (https://app.example.com) whose pages may call the API from a browser"),
    MAX_KEYS_PER_ACCOUNT("max_keys_per_account", "MONKEY_CODER_MAX_KEYS_PER_ACCOUNT", Type.POSITIVE, "20",
            Scope.GATEWAY, "shared gateway: active keys an account may have; POST /v1/auth/keys beyond it is 403"),
    TRUSTED_PROXIES("trusted_proxies", "MONKEY_CODER_TRUSTED_PROXIES", Type.CIDRS, null, Scope.GATEWAY,
            "shared gateway: load balancers (comma-separated address blocks) whose X-Forwarded-For / Forwarded is believed"),
    PASSWORD_HASH_CONCURRENCY("password_hash_concurrency", "MONKEY_CODER_PASSWORD_HASH_CONCURRENCY", Type.NON_NEGATIVE,
            "0", Scope.GATEWAY, "shared gateway: password hashes computed at once per instance (0: one per core); more wait, then 503"),
    SIGNUPS_PER_HOUR("signups_per_hour", "MONKEY_CODER_SIGNUPS_PER_HOUR", Type.POSITIVE, "100", Scope.GATEWAY,
            "shared gateway: registrations per clock hour across all instances; beyond it 429"),
    UPSTREAM_DEADLINE_SECONDS("upstream_deadline_seconds", "MONKEY_CODER_UPSTREAM_DEADLINE", Type.POSITIVE, "900",
            Scope.GATEWAY, "seconds one provider call may take in all, its stream included"),
    REQUEST_PARSE_TIMEOUT_SECONDS("request_parse_timeout_seconds", "MONKEY_CODER_REQUEST_PARSE_TIMEOUT", Type.POSITIVE,
            "10", Scope.GATEWAY, "seconds a client has to send a request's line and headers once it started"),
    NO_REQUEST_TIMEOUT_SECONDS("no_request_timeout_seconds", "MONKEY_CODER_NO_REQUEST_TIMEOUT", Type.POSITIVE, "60",
            Scope.GATEWAY, "seconds a connection may stay open without a request in progress"),
    IDLE_TIMEOUT_SECONDS("idle_timeout_seconds", "MONKEY_CODER_IDLE_TIMEOUT", Type.POSITIVE, "960", Scope.GATEWAY,
            "seconds a connection may pass no byte either way (above upstream_deadline_seconds)"),
    UNAUTHENTICATED_TIMEOUT_SECONDS("unauthenticated_timeout_seconds", "MONKEY_CODER_UNAUTHENTICATED_TIMEOUT",
            Type.POSITIVE, "5", Scope.GATEWAY,
            "seconds a route without a key (register, login, health, ready, metrics) may hold its connection"),
    MAX_HEADER_KB("max_header_kb", "MONKEY_CODER_MAX_HEADER_KB", Type.POSITIVE, "64", Scope.GATEWAY,
            "the largest request line and headers, in KiB"),
    MAX_CONNECTIONS_PER_ADDRESS("max_connections_per_address", "MONKEY_CODER_MAX_CONNECTIONS_PER_ADDRESS",
            Type.NON_NEGATIVE, "256", Scope.GATEWAY,
            "shared gateway: open connections one client address may hold (0: no cap)"),
    SESSION_MESSAGE_MAX_KB("session_message_max_kb", "MONKEY_CODER_SESSION_MESSAGE_MAX_KB", Type.POSITIVE, "64",
            Scope.GATEWAY, "stored conversations: the most of one message's text kept, in KiB; a longer one is cut"
            + " and marked [truncated]"),
    SESSION_MAX_MESSAGES("session_max_messages", "MONKEY_CODER_SESSION_MAX_MESSAGES", Type.POSITIVE, "200",
            Scope.GATEWAY, "stored conversations: messages kept per conversation; the oldest pairs are pruned"),
    SESSIONS_PER_USER("sessions_per_user", "MONKEY_CODER_SESSIONS_PER_USER", Type.POSITIVE, "200", Scope.GATEWAY,
            "stored conversations: conversations kept per user; the least recently updated are pruned"),
    AUDIT_RETENTION_DAYS("audit_retention_days", "MONKEY_CODER_AUDIT_RETENTION_DAYS", Type.POSITIVE, "365",
            Scope.GATEWAY, "shared gateway: days the audit log keeps an event; older ones are deleted daily"),
    STRIPE_API_BASE("stripe_api_base", "STRIPE_API_BASE", Type.TEXT, null, Scope.GATEWAY,
            "shared gateway: Stripe's API address (https://api.stripe.com when unset); tests point it at a fake"),
    BILLING_SUCCESS_URL("billing_success_url", "MONKEY_CODER_BILLING_SUCCESS_URL", Type.TEXT, null, Scope.GATEWAY,
            "shared gateway: where Stripe Checkout sends a buyer after paying (https URL; checkout needs it)"),
    BILLING_CANCEL_URL("billing_cancel_url", "MONKEY_CODER_BILLING_CANCEL_URL", Type.TEXT, null, Scope.GATEWAY,
            "shared gateway: where Stripe Checkout sends a buyer who cancels (https URL; checkout needs it)"),
    BILLING_MAX_CREDITS_USD("billing_max_credits_usd", "MONKEY_CODER_BILLING_MAX_CREDITS_USD", Type.DOLLARS, "10000",
            Scope.GATEWAY, "shared gateway: the most credits one checkout may buy, in dollars"),
    SMTP_URL("smtp_url", "SMTP_URL", Type.TEXT, null, Scope.GATEWAY,
            "shared gateway: smtp://user:pass@host:587 (STARTTLS) or smtps://...:465; unset: no mail is sent"),
    MAIL_FROM("mail_from", "MONKEY_CODER_MAIL_FROM", Type.TEXT, null, Scope.GATEWAY,
            "shared gateway: the From address of its mails (Monkey Coder <noreply@example.com>)"),
    PUBLIC_URL("public_url", "MONKEY_CODER_PUBLIC_URL", Type.TEXT, null, Scope.GATEWAY,
            "shared gateway: its public https URL, for the links in its mails"),
    LOW_CREDIT_THRESHOLD_USD("low_credit_threshold_usd", "MONKEY_CODER_LOW_CREDIT_THRESHOLD_USD", Type.DOLLARS,
            "0.50", Scope.GATEWAY, "shared gateway: a balance falling below it gets one mail; 0 sends none"),
    ACCESS_TOKEN_MINUTES("access_token_minutes", "MONKEY_CODER_ACCESS_TOKEN_MINUTES", Type.POSITIVE, "15",
            Scope.GATEWAY, "shared gateway: minutes a session's access token (JWT) is valid, at most 1440"),
    REFRESH_TOKEN_DAYS("refresh_token_days", "MONKEY_CODER_REFRESH_TOKEN_DAYS", Type.POSITIVE, "30", Scope.GATEWAY,
            "shared gateway: days a session lasts without a refresh; each refresh starts the days again"),
    BASE_URL("base_url", "MONKEY_CODER_BASE_URL", Type.BASE_URL, "local", Scope.CLI,
            "'local' (this machine's daemon) or the http(s) URL of a shared gateway"),
    DEFAULT_MODEL("default_model", "MONKEY_CODER_MODEL", Type.TEXT, null, Scope.CLI,
            "model for implement and chat when --model is not given (provider/model or a model name)"),
    DEFAULT_PROVIDER("default_provider", "MONKEY_CODER_PROVIDER", Type.TEXT, null, Scope.CLI,
            "provider for implement and chat when neither --provider nor --model is given"),
    DEFAULT_PERSONA("default_persona", "MONKEY_CODER_PERSONA", Type.TEXT, null, Scope.CLI,
            "persona for implement and chat when --persona is not given (the gateway's default: developer)"),
    TOOL_MAX_CALLS("tool_max_calls", "MONKEY_CODER_TOOL_MAX_CALLS", Type.POSITIVE, "40", Scope.CLI,
            "implement in a project: tool calls a model may make in one run"),
    TOOL_MAX_READ_KB("tool_max_read_kb", "MONKEY_CODER_TOOL_MAX_READ_KB", Type.POSITIVE, "1024", Scope.CLI,
            "implement in a project: KiB of the project the tools may hand a model in one run");

    /** Who reads a key: the gateway when it starts, the CLI on every command, or both. */
    public enum Scope {
        GATEWAY, CLI, BOTH;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The kind of value: how it is checked and how {@code config.json} stores it (a number, a boolean or text). */
    public enum Type {
        PORT(0, 65535), POSITIVE(1, Integer.MAX_VALUE), NON_NEGATIVE(0, Integer.MAX_VALUE),
        BOOLEAN, ON_OFF, TIER, DOLLARS, BASE_URL, CIDRS, TEXT;

        private final int min;
        private final int max;

        Type() {
            this(0, 0);
        }

        Type(int min, int max) {
            this.min = min;
            this.max = max;
        }

        /** Whether config.json stores it as a whole number. */
        public boolean numeric() {
            return max > 0;
        }
    }

    /** The tiers {@link Type#TIER} accepts, as the gateway names them. */
    public static final List<String> TIERS = List.of("free", "pro", "enterprise", "unlimited");

    private final String key;
    private final String env;
    private final Type type;
    private final String defaultValue;
    private final Scope scope;
    private final String description;

    ConfigKey(String key, String env, Type type, String defaultValue, Scope scope, String description) {
        this.key = key;
        this.env = env;
        this.type = type;
        this.defaultValue = defaultValue;
        this.scope = scope;
        this.description = description;
    }

    /** The key in {@code config.json}. */
    public String key() {
        return key;
    }

    /** The environment variable that overrides {@link #key()}. */
    public String env() {
        return env;
    }

    public Type type() {
        return type;
    }

    /** The default as text; null when the key is unset by default. */
    public String defaultValue() {
        return defaultValue;
    }

    /** The default of a numeric key. */
    public int intDefault() {
        if (!type.numeric()) {
            throw new IllegalStateException(key + " is not a number");
        }
        return Integer.parseInt(defaultValue);
    }

    /** The default of a {@link Type#BOOLEAN} key. */
    public boolean booleanDefault() {
        if (type != Type.BOOLEAN) {
            throw new IllegalStateException(key + " is not a boolean");
        }
        return Boolean.parseBoolean(defaultValue);
    }

    public Scope scope() {
        return scope;
    }

    public String description() {
        return description;
    }

    public static Optional<ConfigKey> find(String key) {
        return Arrays.stream(values()).filter(k -> k.key.equals(key)).findFirst();
    }

    /**
     * The JSON value {@code raw} is stored as in {@code config.json}, in the form the gateway reads (a number, a
     * boolean, or text).
     *
     * @throws IllegalArgumentException saying what is expected, when {@code raw} does not fit
     */
    public JsonNode parse(String raw) {
        String value = raw.strip();
        if (type.numeric()) {
            int n;
            try {
                n = Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + " must be a whole number, not '" + raw + "'");
            }
            if (n < type.min || n > type.max) {
                throw new IllegalArgumentException(key + " must be " + (type.max == Integer.MAX_VALUE
                        ? "at least " + type.min : "from " + type.min + " to " + type.max) + ", not " + n);
            }
            return IntNode.valueOf(n);
        }
        if (value.isEmpty()) {
            throw new IllegalArgumentException(key + " must not be empty: use 'monkey config unset " + key + "'");
        }
        return switch (type) {
            case BOOLEAN -> switch (value.toLowerCase(Locale.ROOT)) {
                case "1", "true", "yes", "on" -> BooleanNode.TRUE;
                case "0", "false", "no", "off" -> BooleanNode.FALSE;
                default -> throw new IllegalArgumentException(key + " must be true or false, not '" + raw + "'");
            };
            case ON_OFF -> switch (value.toLowerCase(Locale.ROOT)) {
                case "on", "off" -> TextNode.valueOf(value.toLowerCase(Locale.ROOT));
                default -> throw new IllegalArgumentException(key + " must be on or off, not '" + raw + "'");
            };
            case TIER -> {
                if (!TIERS.contains(value.toLowerCase(Locale.ROOT))) {
                    throw new IllegalArgumentException(key + " must be one of " + String.join(", ", TIERS)
                            + ", not '" + raw + "'");
                }
                yield TextNode.valueOf(value.toLowerCase(Locale.ROOT));
            }
            case DOLLARS -> {
                try {
                    if (new BigDecimal(value).signum() < 0) {
                        throw new IllegalArgumentException(key + " must not be negative, not '" + raw + "'");
                    }
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(key + " must be an amount in dollars such as 1.00, not '" + raw + "'");
                }
                yield TextNode.valueOf(value);
            }
            case BASE_URL -> {
                if (!value.equals("local") && !value.startsWith("http://") && !value.startsWith("https://")) {
                    throw new IllegalArgumentException(key + " must be 'local' or an http(s) URL, not '" + raw + "'");
                }
                yield TextNode.valueOf(value);
            }
            case CIDRS -> {
                try {
                    com.monkeycoder.shared.net.Cidr.parseList(value);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(key + ": " + e.getMessage());
                }
                yield TextNode.valueOf(value);
            }
            default -> TextNode.valueOf(value);
        };
    }
}
