package com.monkeycoder.daemon;

import com.monkeycoder.daemon.auth.Authenticator;
import com.monkeycoder.daemon.auth.LocalKeyAuthenticator;
import com.monkeycoder.daemon.cache.ResponseCache;
import com.monkeycoder.daemon.cache.SqliteCacheStore;
import com.monkeycoder.daemon.catalog.ModelCatalog;
import com.monkeycoder.daemon.config.ConfigException;
import com.monkeycoder.daemon.config.GatewayConfig;
import com.monkeycoder.daemon.config.GatewayMode;
import com.monkeycoder.daemon.config.ObservabilitySettings;
import com.monkeycoder.daemon.ledger.Ledger;
import com.monkeycoder.daemon.ledger.LedgerException;
import com.monkeycoder.daemon.ledger.SqliteLedger;
import com.monkeycoder.daemon.logging.LibraryLogging;
import com.monkeycoder.daemon.logging.RequestLog;
import com.monkeycoder.daemon.metrics.GatewayMetrics;
import com.monkeycoder.daemon.metrics.MeteredLedger;
import com.monkeycoder.daemon.providers.ProviderRegistry;
import com.monkeycoder.daemon.routing.Sleeper;
import com.monkeycoder.daemon.server.GatewayServer;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Wires the gateway together, in this one place: config, key check, providers, ledger, server. Nothing else
 * constructs these parts, and each gets what it needs through its constructor.
 */
public final class Gateway implements AutoCloseable {

    private final GatewayServer server;
    private final Ledger ledger;
    private final ResponseCache cache;
    private final OkHttpClient http;
    private final ProviderRegistry providers;
    private final GatewayMetrics metrics;
    private final RequestLog requestLog;

    private Gateway(GatewayServer server, Ledger ledger, ResponseCache cache, OkHttpClient http,
                    ProviderRegistry providers, GatewayMetrics metrics, RequestLog requestLog) {
        this.server = server;
        this.ledger = ledger;
        this.cache = cache;
        this.http = http;
        this.providers = providers;
        this.metrics = metrics;
        this.requestLog = requestLog;
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
        if (config.mode() == GatewayMode.GATEWAY) {
            throw new ConfigException("gateway mode (accounts, PostgreSQL and Redis) is not available in this version;"
                    + " run the local daemon (--mode local)");
        }
        Authenticator authenticator = LocalKeyAuthenticator.load(
                config.env().get(LocalKeyAuthenticator.LOCAL_KEY_ENV), config.paths().localKeyFile());
        OkHttpClient http = httpClient(config);
        ProviderRegistry providers = new ProviderRegistry(ModelCatalog.builtIn(), config, http);
        ObservabilitySettings observability = ObservabilitySettings.resolve(config);
        LibraryLogging.quiet();
        GatewayMetrics metrics = new GatewayMetrics(observability.logPrompts()).withJvmMetrics();
        SqliteLedger sqlite = new SqliteLedger(config.paths().database(), metrics);
        metrics.watchLedgerQueue(sqlite::queueDepth);
        Ledger ledger = new MeteredLedger(sqlite, metrics);
        RequestLog requestLog = observability.requestLog() ? RequestLog.to(log) : RequestLog.off();
        ResponseCache cache = null;
        try {
            cache = new ResponseCache(new SqliteCacheStore(config.paths().database()), config.cache().ttl(),
                    config.cache().maxMemoryBytes(), clock);
            GatewayServer server = new GatewayServer(config, authenticator, providers, ledger, cache, clock, sleeper,
                    metrics, requestLog);
            server.start();
            return new Gateway(server, ledger, cache, http, providers, metrics, requestLog);
        } catch (RuntimeException | java.sql.SQLException e) {
            if (cache != null) {
                cache.close();
            }
            ledger.close();
            requestLog.close();
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw new LedgerException("cannot open the response cache: " + e.getMessage(), e);
        }
    }

    private static OkHttpClient httpClient(GatewayConfig config) {
        return new OkHttpClient.Builder()
                .connectTimeout(config.upstreamConnectTimeout())
                // Time to first byte and between stream chunks: a hung provider never holds a client forever.
                .readTimeout(config.upstreamReadTimeout())
                .writeTimeout(Duration.ofSeconds(30))
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
        return ledger;
    }

    public ResponseCache cache() {
        return cache;
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
        cache.close();
        ledger.close();
        requestLog.close();
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }
}
