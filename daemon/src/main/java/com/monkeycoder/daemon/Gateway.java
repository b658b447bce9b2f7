package com.monkeycoder.daemon;

import com.monkeycoder.daemon.accounts.AccountKeyAuthenticator;
import com.monkeycoder.daemon.admin.AccountAdmin;
import com.monkeycoder.daemon.admin.FirstAdmin;
import com.monkeycoder.daemon.billing.PlanCatalog;
import com.monkeycoder.daemon.config.AdminSettings;
import com.monkeycoder.daemon.accounts.AccountChanges;
import com.monkeycoder.daemon.accounts.SessionEnder;
import com.monkeycoder.daemon.accounts.AccountMail;
import com.monkeycoder.daemon.accounts.AccountService;
import com.monkeycoder.daemon.accounts.LowCreditNotices;
import com.monkeycoder.daemon.accounts.PasswordReset;
import com.monkeycoder.daemon.config.MailSettings;
import com.monkeycoder.daemon.mail.MailQueue;
import com.monkeycoder.daemon.mail.Mailer;
import com.monkeycoder.daemon.mail.SmtpEndpoint;
import com.monkeycoder.daemon.mail.SmtpTransport;
import com.monkeycoder.shared.config.ConfigKey;
import com.monkeycoder.daemon.audit.AuditLog;
import com.monkeycoder.daemon.audit.JdbcAuditLog;
import com.monkeycoder.daemon.config.AuditSettings;
import com.monkeycoder.daemon.config.BillingSettings;
import com.monkeycoder.daemon.billing.Billing;
import com.monkeycoder.daemon.billing.PlanCatalog;
import com.monkeycoder.daemon.server.AccountServices;
import com.monkeycoder.daemon.accounts.AccountStore;
import com.monkeycoder.daemon.routing.Credits;
import com.monkeycoder.daemon.accounts.JdbcAccountStore;
import com.monkeycoder.daemon.accounts.JdbcCredits;
import com.monkeycoder.daemon.accounts.KeyUsageRecorder;
import com.monkeycoder.daemon.accounts.PasswordHasher;
import com.monkeycoder.daemon.accounts.RedisRevocations;
import com.monkeycoder.daemon.accounts.Revocations;
import com.monkeycoder.daemon.auth.Authenticator;
import com.monkeycoder.daemon.auth.Caller;
import com.monkeycoder.daemon.auth.BearerAuthenticator;
import com.monkeycoder.daemon.auth.KeyHasher;
import com.monkeycoder.daemon.config.SessionSettings;
import com.monkeycoder.daemon.mfa.JdbcMfaStore;
import com.monkeycoder.daemon.mfa.MfaService;
import com.monkeycoder.daemon.mfa.SecretBox;
import com.monkeycoder.daemon.sessions.AccessTokens;
import com.monkeycoder.daemon.sessions.JdbcSessionStore;
import com.monkeycoder.daemon.sessions.SessionAuthenticator;
import com.monkeycoder.daemon.sessions.SessionService;
import com.monkeycoder.daemon.auth.LocalKeyAuthenticator;
import com.monkeycoder.daemon.dashboard.AccountBrowserCallers;
import com.monkeycoder.daemon.dashboard.BrowserCallers;
import com.monkeycoder.daemon.dashboard.BrowserSessions;
import com.monkeycoder.daemon.dashboard.Dashboard;
import com.monkeycoder.daemon.dashboard.LoginLinks;
import com.monkeycoder.daemon.dashboard.MemoryBrowserSessionStore;
import com.monkeycoder.daemon.dashboard.RedisBrowserSessionStore;
import com.monkeycoder.daemon.cache.JdbcCacheStore;
import com.monkeycoder.daemon.cache.ResponseCache;
import com.monkeycoder.daemon.catalog.ModelCatalog;
import com.monkeycoder.daemon.config.AccountSettings;
import com.monkeycoder.daemon.config.ConfigException;
import com.monkeycoder.daemon.config.LifecycleSettings;
import com.monkeycoder.daemon.config.GatewayConfig;
import com.monkeycoder.daemon.config.GatewayMode;
import com.monkeycoder.daemon.config.HistorySettings;
import com.monkeycoder.daemon.history.Conversations;
import com.monkeycoder.daemon.history.HistoryLimits;
import com.monkeycoder.daemon.history.JdbcConversationStore;
import com.monkeycoder.daemon.ledger.JdbcLedger;
import com.monkeycoder.daemon.ledger.Ledger;
import com.monkeycoder.daemon.ledger.LedgerException;
import com.monkeycoder.daemon.ledger.CommitHook;
import com.monkeycoder.daemon.limits.Admission;
import com.monkeycoder.daemon.limits.MemoryRateLimiter;
import com.monkeycoder.daemon.limits.Plan;
import com.monkeycoder.daemon.limits.RateLimiter;
import com.monkeycoder.daemon.limits.RedisRateLimiter;
import com.monkeycoder.daemon.limits.Rejections;
import com.monkeycoder.daemon.logging.LibraryLogging;
import com.monkeycoder.daemon.logging.RequestLog;
import com.monkeycoder.daemon.metrics.GatewayMetrics;
import com.monkeycoder.daemon.metrics.MeteredLedger;
import com.monkeycoder.daemon.config.ObservabilitySettings;
import com.monkeycoder.daemon.providers.ProviderRegistry;
import com.monkeycoder.daemon.routing.Sleeper;
import com.monkeycoder.daemon.server.CachedProbe;
import com.monkeycoder.daemon.server.GatewayServer;
import com.monkeycoder.daemon.store.Database;
import com.monkeycoder.daemon.store.Housekeeping;
import com.monkeycoder.shared.PrivateFiles;
import com.monkeycoder.shared.Redaction;
import okhttp3.ConnectionPool;
import com.monkeycoder.daemon.providers.CallDeadline;
import okhttp3.OkHttpClient;
import redis.clients.jedis.JedisPooled;

import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.concurrent.TimeUnit;

/**
 * Wires the gateway together, in this one place: config, key check, providers, stores, limits, server. Nothing
 * else constructs these parts, and each gets what it needs through its constructor. The local daemon keeps
 * everything in its SQLite file and memory; the shared gateway ({@code --mode gateway}) in PostgreSQL and Redis.
 */
public final class Gateway implements AutoCloseable {

    private static final int MIN_SECRET_CHARS = 32;
    /** How long an ended (revoked or expired) session is kept, for GET /v1/audit's targets and support questions. */
    private static final Duration ENDED_SESSIONS_KEPT = Duration.ofDays(30);

    private final GatewayServer server;
    private final Parts parts;
    private final OkHttpClient http;
    private final ProviderRegistry providers;
    private final Deque<AutoCloseable> opened;
    private final GatewayMetrics metrics;
    private final RequestLog requestLog;

    /** The stores and services of one mode. */
    private record Parts(Authenticator authenticator, Ledger ledger, ResponseCache cache, AccountServices services,
                         Database database, AccountStore accounts, Map<String, BooleanSupplier> dependencies,
                         Billing billing, com.monkeycoder.daemon.dashboard.Dashboard dashboard) {
    }

    private Gateway(GatewayServer server, Parts parts, OkHttpClient http, ProviderRegistry providers,
                    Deque<AutoCloseable> opened, GatewayMetrics metrics, RequestLog requestLog) {
        this.metrics = metrics;
        this.requestLog = requestLog;
        this.server = server;
        this.parts = parts;
        this.http = http;
        this.providers = providers;
        this.opened = opened;
    }

    /** Builds and starts a gateway; throws {@link ConfigException} with a fix-it message when it cannot. */
    public static Gateway start(GatewayConfig config, Clock clock) throws LedgerException {
        return start(config, clock, Sleeper.REAL);
    }

    /** The same with a chosen way of waiting between retries (tests record instead of sleeping). */
    public static Gateway start(GatewayConfig config, Clock clock, Sleeper sleeper) throws LedgerException {
        return start(config, clock, sleeper, System.err);
    }

    /** The same, writing the request log (one JSON line per request) to {@code log} instead of stderr. */
    public static Gateway start(GatewayConfig config, Clock clock, Sleeper sleeper, PrintStream log)
            throws LedgerException {
        Deque<AutoCloseable> opened = new ArrayDeque<>();
        try {
            ObservabilitySettings observability = ObservabilitySettings.resolve(config);
            LibraryLogging.quiet();
            GatewayMetrics metrics = new GatewayMetrics(observability.logPrompts()).withJvmMetrics();
            RequestLog requestLog = push(opened, observability.requestLog() ? RequestLog.to(log) : RequestLog.off());
            Parts parts = config.mode() == GatewayMode.GATEWAY ? shared(config, clock, opened, metrics)
                    : local(config, clock, opened, metrics);
            CallDeadline timeouts = push(opened, new CallDeadline(config.availability().upstreamDeadline()));
            OkHttpClient http = httpClient(config, timeouts);
            ProviderRegistry providers = new ProviderRegistry(ModelCatalog.builtIn(), config, http, timeouts);
            GatewayServer server = new GatewayServer(config, parts.authenticator(), providers, parts.ledger(),
                    parts.cache(), clock, sleeper, metrics, requestLog, parts.services(), parts.dependencies(),
                    conversations(config, parts.database(), clock), parts.billing(),
                    parts.dashboard());
            server.start();
            return new Gateway(server, parts, http, providers, opened, metrics, requestLog);
        } catch (RuntimeException | LedgerException e) {
            closeAll(opened);
            throw e;
        } catch (SQLException e) {
            closeAll(opened);
            throw new LedgerException("cannot open the gateway's database: " + e.getMessage(), e);
        }
    }

    /** The local daemon: one user and key, SQLite, limits in memory, no credit limit. */
    private static Parts local(GatewayConfig config, Clock clock, Deque<AutoCloseable> opened, GatewayMetrics metrics)
            throws SQLException, LedgerException {
        Caller user = new Caller(LocalKeyAuthenticator.LOCAL_USER.userId(), LocalKeyAuthenticator.LOCAL_USER.keyId(),
                Plan.of(config.accounts().localTier(), false));
        Authenticator authenticator = LocalKeyAuthenticator.load(
                config.env().get(LocalKeyAuthenticator.LOCAL_KEY_ENV), config.paths().localKeyFile(), user);
        ownDirectories(config);
        Database database = push(opened, Database.sqlite(config.paths().database()));
        Ledger ledger = push(opened, metered(new JdbcLedger(database, CommitHook.NONE, metrics), metrics));
        ResponseCache cache = push(opened, new ResponseCache(new JdbcCacheStore(database),
                config.cache().ttl(), config.cache().maxMemoryBytes(), clock));
        RateLimiter limiter = push(opened, new MemoryRateLimiter());
        return new Parts(authenticator, ledger, cache,
                new AccountServices(null, new Admission(limiter, clock, rejections(metrics)), Credits.NONE, null, false), database, null,
                Map.of(), null, new Dashboard(new BrowserSessions(new MemoryBrowserSessionStore(clock), clock,
                        Dashboard.SESSION_LIFETIME), BrowserCallers.local(user), new LoginLinks(clock)));
    }

    /** The data and state folders are the user's alone (0700), also when an older version made them with the umask. */
    private static void ownDirectories(GatewayConfig config) {
        try {
            PrivateFiles.ownDirectory(config.paths().dataDir());
            PrivateFiles.ownDirectory(config.paths().stateDir());
        } catch (java.io.IOException e) {
            throw new ConfigException("cannot create the data and state folders (" + config.paths().dataDir() + ", "
                    + config.paths().stateDir() + "): " + e.getMessage());
        }
    }

    /** The shared gateway: accounts, keys and the ledger in PostgreSQL; limits and revocations in Redis. */
    private static Parts shared(GatewayConfig config, Clock clock, Deque<AutoCloseable> opened, GatewayMetrics metrics)
            throws SQLException, LedgerException {
        AccountSettings settings = config.accounts();
        List<String> missing = new ArrayList<>();
        if (settings.databaseUrl() == null) {
            missing.add("DATABASE_URL (postgres://user:password@host:5432/db)");
        }
        if (settings.redisUrl() == null) {
            missing.add("REDIS_URL (redis://host:6379)");
        }
        if (settings.secret() == null) {
            missing.add("MONKEY_CODER_SECRET (at least " + MIN_SECRET_CHARS + " random characters, the same on every instance)");
        }
        if (!missing.isEmpty()) {
            throw new ConfigException("gateway mode needs " + String.join(", ", missing) + "; set "
                    + (missing.size() == 1 ? "it" : "them") + " in the environment");
        }
        if (settings.secret().length() < MIN_SECRET_CHARS) {
            throw new ConfigException("MONKEY_CODER_SECRET is too short: use at least " + MIN_SECRET_CHARS
                    + " random characters (e.g. openssl rand -base64 48)");
        }
        Database database = push(opened, openDatabase(settings.databaseUrl(), settings.databasePoolSize(),
                LifecycleSettings.resolve(config).databaseConnectTimeout()));
        JedisPooled redis = push(opened, redis(settings.redisUrl()));
        MailSettings mailSettings = MailSettings.resolve(config);
        // Pushed before the ledger, so closed after it: the notices of the last rows still go out.
        Mailer mailer = mailer(mailSettings, clock, opened);
        LowCreditNotices lowCredit = push(opened, new LowCreditNotices(database, mailer, clock,
                mailSettings.lowCreditThresholdMicros(), mailSettings.publicUrl()));
        JdbcCredits credits = new JdbcCredits(database, clock, settings.reserveMaxTokens(), settings.maxOpenHolds(),
                settings.instanceTimeout());
        // With credits off nothing is held or debited: the ledger settles nothing.
        Ledger ledger = push(opened, metered(new JdbcLedger(database,
                settings.creditsEnforced() ? CommitHook.both(credits, lowCredit) : CommitHook.NONE, metrics), metrics));
        push(opened, credits).sweepStaleHolds();
        AccountStore store = new JdbcAccountStore(database);
        AuditLog audit = new JdbcAuditLog(database, clock);
        Duration auditRetention = AuditSettings.resolve(config).retention();
        KeyUsageRecorder recorder = push(opened, new KeyUsageRecorder(store));
        KeyHasher hasher = new KeyHasher(settings.secret().getBytes(StandardCharsets.UTF_8));
        Revocations revocations = new RedisRevocations(redis, settings.redisPrefix());
        RateLimiter limiter = push(opened, new RedisRateLimiter(redis, settings.redisPrefix()));
        Authenticator keys = new AccountKeyAuthenticator(store, hasher, revocations, recorder, clock,
                settings.authCacheTtl(), settings.creditsEnforced(), config.access());
        PasswordHasher passwords = PasswordHasher.bounded(settings.passwordHashPermits());
        AccountChanges changes = new AccountChanges(database, audit, clock, revocations::accountChanged);
        // A password reset and disabling an account end the account's sessions, the dashboard's browsers included (in
        // the change's transaction); sessions are built after the account service they need, so the ender finds
        // them through this reference.
        BrowserSessions browserSessions = new BrowserSessions(new RedisBrowserSessionStore(redis, settings.redisPrefix(),
                clock), clock, Dashboard.SESSION_LIFETIME);
        java.util.concurrent.atomic.AtomicReference<SessionService> sessionsForReset = new java.util.concurrent.atomic.AtomicReference<>();
        SessionEnder endSessions = (connection, accountId, reason) -> {
            SessionService s = sessionsForReset.get();
            if (s != null) {
                s.endAll(connection, accountId, reason);
            }
            for (String id : browserSessions.closeAll(accountId)) {
                audit.record(connection, com.monkeycoder.daemon.audit.AuditEvent.of(
                        com.monkeycoder.daemon.audit.AuditActions.SESSION_REVOKED, accountId,
                        com.monkeycoder.daemon.audit.AuditEvent.SYSTEM, id, null,
                        Map.of("reason", reason, "via", "dashboard")));
            }
        };
        AccountMail mail = AccountMail.of(mailer, database, hasher, store, changes, passwords, limiter, clock,
                settings.starterCreditMicros(), mailSettings.publicUrl(),
                (connection, accountId) -> endSessions.endAll(connection, accountId, "password_reset"));
        MfaService mfa = new MfaService(new JdbcMfaStore(database),
                new SecretBox(settings.secret().getBytes(StandardCharsets.UTF_8)), hasher, limiter, changes, clock);
        AccountService service = new AccountService(store, hasher, passwords, revocations, limiter, recorder, clock,
                settings.maxKeysPerAccount(), settings.signupsPerHour(), config.access(), changes, mail, mfa);
        // Without the Stripe settings, billing's routes answer 503 naming them; the gateway itself still starts.
        Billing billing = new Billing(BillingSettings.resolve(config).checked(),
                PlanCatalog.load(config.paths().configDir().resolve("plans.json")), changes, clock);
        firstAdmin(AdminSettings.resolve(config), new FirstAdmin(changes, passwords, clock, settings.starterCreditMicros()));
        AccountAdmin admin = new AccountAdmin(database, store, changes, revocations,
                PlanCatalog.load(config.paths().configDir().resolve("plans.json")), endSessions);
        // Sessions need JWT_SECRET_KEY; without it keys work as before and the session routes answer 503.
        SessionSettings sessionSettings = SessionSettings.resolve(config);
        SessionService sessions = null;
        Authenticator authenticator = keys;
        if (sessionSettings.configured()) {
            AccessTokens tokens = new AccessTokens(sessionSettings.jwtSecret(), clock, sessionSettings.accessLifetime());
            JdbcSessionStore sessionStore = new JdbcSessionStore(database);
            sessions = new SessionService(service, sessionStore, tokens, hasher, revocations, clock,
                    sessionSettings.refreshLifetime());
            sessionsForReset.set(sessions);
            authenticator = new BearerAuthenticator(keys, new SessionAuthenticator(tokens, revocations, store,
                    sessionStore, config.access(), clock, settings.authCacheTtl(), settings.creditsEnforced()));
        }
        // The sessions table is there whether or not sessions are on now: ended ones go either way.
        JdbcSessionStore sessionRows = new JdbcSessionStore(database);
        Map<String, Housekeeping.Purge> purges = new LinkedHashMap<>();
        purges.put("audit log", now -> audit.purgeOlderThan(now - auditRetention.toMillis()));
        purges.put("ended sessions", now -> sessionRows.purgeEnded(now - ENDED_SESSIONS_KEPT.toMillis()));
        push(opened, new Housekeeping(clock, purges));
        ResponseCache cache = push(opened, new ResponseCache(new JdbcCacheStore(database), config.cache().ttl(),
                config.cache().maxMemoryBytes(), clock));
        AccountServices services = new AccountServices(service, new Admission(limiter, clock, rejections(metrics)),
                settings.creditsEnforced() ? credits : Credits.NONE, settings.creditsEnforced() ? credits : null, true,
                admin, sessions, mfa);
        // /ready reports Redis too: without it no request can be counted, so none is served.
        return new Parts(authenticator, ledger, cache, services, database, store,
                Map.of("redis", new CachedProbe(() -> redis.ping(), Duration.ofMillis(250))), billing,
                new Dashboard(browserSessions, new AccountBrowserCallers(store, config.access(),
                        settings.creditsEnforced()), null));
    }

    /**
     * The mailer of {@code SMTP_URL}, or {@link Mailer#NONE} without one. A URL that is set but wrong, or set without
     * a From address or public URL, stops the start saying why (never quoting the SMTP password).
     */
    private static Mailer mailer(MailSettings settings, Clock clock, Deque<AutoCloseable> opened) {
        if (!settings.configured()) {
            return Mailer.NONE;
        }
        List<String> missing = new ArrayList<>();
        if (settings.from() == null) {
            missing.add(ConfigKey.MAIL_FROM.env() + " (the From address, e.g. noreply@example.com)");
        }
        if (settings.publicUrl() == null) {
            missing.add(ConfigKey.PUBLIC_URL.env() + " (the gateway's public URL, e.g. https://gateway.example.com)");
        }
        if (!missing.isEmpty()) {
            throw new ConfigException(ConfigKey.SMTP_URL.env() + " is set, so mail also needs " + String.join(" and ", missing));
        }
        if (!settings.publicUrl().startsWith("https://") && !settings.publicUrl().startsWith("http://")) {
            throw new ConfigException(ConfigKey.PUBLIC_URL.env() + " must be an http(s) URL such as"
                    + " https://gateway.example.com, not '" + Redaction.secrets(settings.publicUrl()) + "'");
        }
        SmtpEndpoint endpoint;
        try {
            endpoint = SmtpEndpoint.parse(settings.smtpUrl());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(ConfigKey.SMTP_URL.env() + " " + Redaction.secrets(settings.smtpUrl()) + " "
                    + e.getMessage());
        }
        SmtpTransport transport;
        try {
            transport = new SmtpTransport(endpoint, settings.from(), Duration.ofSeconds(20), clock);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(ConfigKey.MAIL_FROM.env() + " " + e.getMessage());
        }
        return push(opened, MailQueue.of(transport, endpoint.password()));
    }

    /**
     * {@code MONKEY_CODER_ADMIN_EMAIL} (+ {@code _PASSWORD}) while the gateway has no admin: makes that account the
     * first one. Once any admin exists the variables are ignored, so leaving them set changes nothing later.
     */
    private static void firstAdmin(AdminSettings settings, FirstAdmin first) throws SQLException {
        if (settings.email() == null || first.anyAdmin()) {
            return;
        }
        try {
            FirstAdmin.Result made = first.make(settings.email(), () -> {
                if (settings.password() == null) {
                    throw new ConfigException(AdminSettings.EMAIL_ENV + " names no account yet: set "
                            + AdminSettings.PASSWORD_ENV + " too (8 to 1024 characters) to create it as the first admin");
                }
                return settings.password();
            });
            System.getLogger(Gateway.class.getName()).log(System.Logger.Level.INFO, made.email() + " ("
                    + made.accountId() + ") is this gateway's first admin (" + AdminSettings.EMAIL_ENV + ")");
        } catch (com.monkeycoder.daemon.errors.ApiError e) {
            throw new ConfigException(AdminSettings.EMAIL_ENV + "/" + AdminSettings.PASSWORD_ENV + ": "
                    + e.getMessage());
        }
    }

    /**
     * Opens the database, retrying one that does not answer (a replica often starts before its database does) with
     * a doubling pause, up to {@code patience}; then, or at once for a URL or login that is wrong, the start fails.
     */
    private static Database openDatabase(String url, int poolSize, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        long pauseMs = 250;
        int attempts = 0;
        while (true) {
            attempts++;
            try {
                return Database.open(url, poolSize);
            } catch (SQLException e) {
                long left = deadline - System.nanoTime();
                if (!Database.unreachable(e) || left <= 0) {
                    throw new ConfigException("cannot use DATABASE_URL: " + e.getMessage()
                            + (patience.isZero() ? "" : " (" + attempts + (attempts == 1 ? " attempt" : " attempts")
                            + ", retried for up to " + patience.toSeconds() + " s)"));
                }
                long pause = Math.min(pauseMs, TimeUnit.NANOSECONDS.toMillis(left) + 1);
                System.getLogger(Gateway.class.getName()).log(System.Logger.Level.WARNING,
                        "the database does not answer yet; retrying in " + pause + " ms (" + e.getMessage() + ")");
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new ConfigException("cannot use DATABASE_URL: " + e.getMessage());
                }
                pauseMs = Math.min(pauseMs * 2, 5_000);
            }
        }
    }

    /** Stored conversations, in the same database as the ledger (whose start applied their migration). */
    private static Conversations conversations(GatewayConfig config, Database database, Clock clock) {
        HistorySettings settings = HistorySettings.resolve(config);
        HistoryLimits limits = new HistoryLimits((int) Math.min(Integer.MAX_VALUE, settings.messageMaxKb() * 1024L),
                settings.maxMessages(), settings.sessionsPerUser());
        return new Conversations(new JdbcConversationStore(database, limits), clock);
    }

    /** Requests turned away by the limits, counted in /metrics. */
    private static Rejections rejections(GatewayMetrics metrics) {
        return new Rejections() {
            @Override
            public void rateLimited() {
                metrics.rateLimited();
            }

            @Override
            public void quotaExhausted() {
                metrics.quotaRejected();
            }
        };
    }

    /** The ledger counted in /metrics: rows, tokens and cost, queue depth and commit latency. */
    private static Ledger metered(JdbcLedger ledger, GatewayMetrics metrics) {
        metrics.watchLedgerQueue(ledger::queueDepth);
        return new MeteredLedger(ledger, metrics);
    }

    private static JedisPooled redis(String url) {
        String shown = Redaction.secrets(url);
        JedisPooled redis;
        try {
            redis = new JedisPooled(new URI(url));
        } catch (java.net.URISyntaxException e) {
            // URI's message quotes the whole URL, password and all: only the reason and where.
            throw new ConfigException("REDIS_URL " + shown + " is not a Redis URL such as redis://host:6379 ("
                    + e.getReason() + " at index " + e.getIndex() + ")");
        } catch (RuntimeException e) {
            throw new ConfigException("REDIS_URL " + shown + " is not a Redis URL such as redis://host:6379 ("
                    + Redaction.secrets(e.getMessage()) + ")");
        }
        try {
            redis.ping();
        } catch (RuntimeException e) {
            redis.close();
            throw new ConfigException("cannot reach Redis at " + shown + " (" + Redaction.secrets(e.getMessage())
                    + "): check REDIS_URL");
        }
        return redis;
    }

    private static <T extends AutoCloseable> T push(Deque<AutoCloseable> opened, T resource) {
        opened.push(resource);
        return resource;
    }

    private static void closeAll(Deque<AutoCloseable> opened) {
        while (!opened.isEmpty()) {
            try {
                opened.pop().close();
            } catch (Exception e) {
                System.getLogger(Gateway.class.getName()).log(System.Logger.Level.WARNING,
                        "closing on the way out: " + e.getMessage());
            }
        }
    }

    private static OkHttpClient httpClient(GatewayConfig config, CallDeadline timeouts) {
        return new OkHttpClient.Builder()
                .connectTimeout(config.upstreamConnectTimeout())
                // The read timeout (time to first byte and between stream chunks: a hung provider never holds a client
                // forever) and the whole call's deadline (an upstream that never stops sending cannot hold a request)
                // are CallDeadline's, not OkHttp's: its okio AsyncTimeouts take one global lock per call and per socket
                // read and write, with O(n) list walks under it (11% of samples at c=32).
                .readTimeout(Duration.ZERO)
                .writeTimeout(Duration.ZERO)
                .addInterceptor(timeouts.interceptor(config.upstreamReadTimeout()))
                .connectionPool(new ConnectionPool(32, 5, TimeUnit.MINUTES))
                .retryOnConnectionFailure(false)
                .build();
    }

    public int port() {
        return server.port();
    }

    public ProviderRegistry providers() {
        return providers;
    }

    public Ledger ledger() {
        return parts.ledger();
    }

    public ResponseCache cache() {
        return parts.cache();
    }

    /** The accounts store; null on the local daemon. */
    public AccountStore accounts() {
        return parts.accounts();
    }

    public Database database() {
        return parts.database();
    }

    public GatewayMetrics metrics() {
        return metrics;
    }

    public RequestLog requestLog() {
        return requestLog;
    }

    /** Drains in-flight requests, then commits what the ledger holds and releases connections. */
    @Override
    public void close() {
        server.close();
        closeAll(opened);
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }
}
