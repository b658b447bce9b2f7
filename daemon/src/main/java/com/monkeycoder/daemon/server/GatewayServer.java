package com.monkeycoder.daemon.server;

import com.monkeycoder.daemon.dialects.ErrorBodies;
import com.monkeycoder.daemon.dialects.ErrorStyle;
import com.monkeycoder.daemon.errors.ErrorCode;
import com.monkeycoder.daemon.errors.ApiError;
import com.monkeycoder.daemon.auth.Authenticator;
import com.monkeycoder.daemon.config.GatewayConfig;
import com.monkeycoder.daemon.config.GatewayMode;
import com.monkeycoder.daemon.auth.KeyScope;
import com.monkeycoder.daemon.ledger.Ledger;
import com.monkeycoder.daemon.logging.RequestLog;
import com.monkeycoder.daemon.metrics.GatewayMetrics;
import com.monkeycoder.daemon.providers.ProviderRegistry;
import com.monkeycoder.daemon.cache.ResponseCache;
import com.monkeycoder.daemon.config.RoutingSettings;
import com.monkeycoder.daemon.routing.Dispatcher;
import com.monkeycoder.daemon.routing.ProviderKeys;
import com.monkeycoder.daemon.routing.HealthBoard;
import com.monkeycoder.daemon.routing.RetryPolicy;
import com.monkeycoder.daemon.routing.RoutingTable;
import com.monkeycoder.daemon.routing.Sleeper;
import com.monkeycoder.daemon.routing.RouteResolver;
import com.monkeycoder.daemon.tasks.TaskCatalog;
import com.monkeycoder.daemon.dialects.Dialect;
import com.monkeycoder.daemon.history.Conversations;
import com.monkeycoder.daemon.billing.Billing;
import com.monkeycoder.daemon.dialects.ErrorBodies;
import com.monkeycoder.daemon.dialects.ErrorStyle;
import com.monkeycoder.daemon.dialects.anthropic.MessagesDialect;
import com.monkeycoder.daemon.dialects.nativeapi.ExecuteDialect;
import com.monkeycoder.daemon.dialects.openai.ChatCompletionsDialect;
import com.monkeycoder.daemon.dialects.responses.ResponsesDialect;
import com.monkeycoder.daemon.limits.Admission;
import com.monkeycoder.shared.Version;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.connector.ByteBufferPool;
import io.undertow.server.DefaultByteBufferPool;
import io.undertow.server.HttpHandler;
import io.undertow.server.RoutingHandler;
import io.undertow.server.protocol.http.HttpOpenListener;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.Xnio;
import org.xnio.XnioWorker;
import org.xnio.channels.AcceptingChannel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The Undertow server and its routes. Requests run on virtual threads, so provider calls and ledger commits
 * are plain blocking code and a slow stream holds no platform thread.
 */
public final class GatewayServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(GatewayServer.class.getName());

    /**
     * How much of a refused (too large) body is still read and thrown away after the 413, as Tomcat's
     * {@code maxSwallowSize} does: a client still sending gets to read the answer instead of a reset connection.
     * Beyond the body limit plus this, Undertow cuts the connection.
     */
    static final long SWALLOW_BYTES = 8L * 1024 * 1024;

    private final GatewayConfig config;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Drain drain;
    private final Duration drainPause;
    private final OptionMap serverOptions;
    private final HttpOpenListener openListener;
    private final ConnectionCap connectionCap;
    private final Map<String, BooleanSupplier> dependencies;
    private XnioWorker worker;
    private AcceptingChannel<StreamConnection> listener;
    private final Clock clock;
    private final Ledger ledger;
    private final long startedNanos = System.nanoTime();
    private boolean stopped;

    public GatewayServer(GatewayConfig config, Authenticator authenticator, ProviderRegistry providers, Ledger ledger,
                         ResponseCache cache, Clock clock, Sleeper sleeper, GatewayMetrics metrics,
                         RequestLog requestLog, AccountServices accounts, Map<String, BooleanSupplier> dependencies,
                         Conversations conversations, Billing billing,
                         com.monkeycoder.daemon.dashboard.Dashboard dashboard) {
        this.config = config;
        this.dependencies = Map.copyOf(dependencies);
        this.clock = clock;
        this.ledger = ledger;
        ErrorBodies errors = new ErrorBodies(clock);
        // The local daemon refuses any Host but loopback's (DNS rebinding); the shared gateway serves any name.
        ClientAddresses clients = new ClientAddresses(config.accounts().trustedProxies());
        Endpoint.Context ctx = new Endpoint.Context(executor, authenticator, errors, config.maxBodyBytes(), metrics,
                requestLog, config.mode() == GatewayMode.LOCAL,
                config.availability().unauthenticatedTimeout(), clients,
                new BrowserAuth(dashboard));
        java.util.Set<String> catalogModels = new java.util.HashSet<>();
        providers.catalog().models().forEach(m -> catalogModels.add(m.provider() + "/" + m.id()));
        metrics.knownModels((provider, model) -> catalogModels.contains(provider + "/" + model));
        RoutingSettings routing = config.routing();
        HealthBoard health = new HealthBoard(routing.breakerThreshold(), routing.breakerCooldown(), clock);
        RoutingTable table = RoutingTable.builtIn().overriddenBy(routing.tableOverride());
        RouteResolver resolver = new RouteResolver(providers, table, health);
        TaskCatalog tasks = TaskCatalog.load(config.paths().configDir().resolve("tasks.json"));
        RetryPolicy retries = new RetryPolicy(routing.maxAttempts(), routing.maxTotal(), routing.baseBackoff(),
                Duration.ofSeconds(10));
        metrics.watchBreakers(() -> {
            Map<String, String> states = new LinkedHashMap<>();
            health.breakerStates().forEach((provider, state) -> states.put(provider, state.name().toLowerCase()));
            return states;
        });
        Dispatcher dispatcher = new Dispatcher(ledger, providers, health, retries, sleeper, clock, cache, metrics,
                accounts.credits(), routing.maxStream(),
                config.mode() == GatewayMode.GATEWAY ? ProviderKeys.OPERATORS : ProviderKeys.USERS_OWN);
        var limits = accounts.admission();
        SessionHistory sessions = new SessionHistory(conversations, providers.catalog(),
                config.accounts().reserveMaxTokens());
        CatalogRoutes catalog = new CatalogRoutes(providers, health, clock.instant().getEpochSecond(),
                config.mode() == GatewayMode.GATEWAY);

        RoutingHandler routes = Handlers.routing()
                .get("/health", new Endpoint(ctx, this::health, false, ErrorStyle.NATIVE))
                .get("/ready", new Endpoint(ctx, this::ready, false, ErrorStyle.NATIVE))
                .get("/metrics", new Endpoint(ctx, new MetricsRoute(metrics, config.access().metricsToken(),
                        MetricsRoute.isLoopback(config.host())), false, ErrorStyle.NATIVE))
                .post("/v1/execute", ingress(ctx, new ExecuteDialect(tasks), resolver, dispatcher, errors, limits, sessions))
                .post("/v1/chat/completions", ingress(ctx, new ChatCompletionsDialect(), resolver, dispatcher, errors, limits, sessions))
                .post("/v1/messages", ingress(ctx, new MessagesDialect(true), resolver, dispatcher, errors, limits, sessions))
                .post("/v1/responses", ingress(ctx, new ResponsesDialect(), resolver, dispatcher, errors, limits, sessions))
                .post("/v1/messages/count_tokens", new Endpoint(ctx, new CountTokensRoute(new MessagesDialect(false), resolver), true, ErrorStyle.ANTHROPIC, KeyScope.CHAT))
                .add("HEAD", "/", new Endpoint(ctx, call -> call.sendEmpty(200), false, ErrorStyle.NATIVE))
                .get("/v1/models", new Endpoint(ctx, catalog::models, true, ErrorStyle.OPENAI))
                .get("/v1/capabilities", new Endpoint(ctx, new CapabilitiesRoute(tasks, table, providers), true, ErrorStyle.NATIVE))
                .get("/v1/providers", new Endpoint(ctx, catalog::providers, true, ErrorStyle.NATIVE))
                .get("/v1/providers/check", new Endpoint(ctx, new ProviderCheckRoute(providers,
                        config.mode() == GatewayMode.GATEWAY), true, ErrorStyle.NATIVE))
                .get("/v1/billing/plans", new Endpoint(ctx, new PlansRoute(com.monkeycoder.daemon.billing.PlanCatalog
                        .load(config.paths().configDir().resolve("plans.json"))), false, ErrorStyle.NATIVE))
                .get("/v1/billing/usage", new Endpoint(ctx, new UsageRoute(ledger, clock, accounts.scopedUsage()), true, ErrorStyle.NATIVE, KeyScope.BILLING).browser())
                .setFallbackHandler(new Endpoint(ctx, call -> {
                    throw ApiError.notFound("no route " + call.exchange().getRequestMethod() + " "
                            + call.exchange().getRequestPath());
                }, false, ErrorStyle.NATIVE))
                .setInvalidMethodHandler(new Endpoint(ctx, call -> {
                    throw new ApiError(ErrorCode.METHOD_NOT_ALLOWED, call.exchange().getRequestMethod()
                            + " is not allowed on " + call.exchange().getRequestPath());
                }, false, ErrorStyle.NATIVE));
        AccountRoutes.addTo(routes, ctx, accounts, clock, clients);
        AdminRoutes.addTo(routes, ctx, accounts.admin(), clients, clock);
        EmailRoutes.addTo(routes, ctx, accounts, clients);
        AuthSessionRoutes.addTo(routes, ctx, accounts, clock, clients);
        MfaRoutes.addTo(routes, ctx, accounts, clients);
        SessionRoutes.addTo(routes, ctx, conversations);
        AuditRoute.addTo(routes, ctx, accounts.service() == null ? null : accounts.service().changes().audit());
        BillingRoutes.addTo(routes, ctx, billing, new ClientAddresses(config.accounts().trustedProxies()));
        DashboardRoutes.addTo(routes, ctx, dashboard, accounts.service(),
                new ClientAddresses(config.accounts().trustedProxies()), config.mode().name().toLowerCase());

        this.drain = new Drain(routes);
        this.drainPause = com.monkeycoder.daemon.config.LifecycleSettings.resolve(config).drainPause();
        Set<String> corsOrigins = config.access().corsOrigins();
        HttpHandler root = corsOrigins.isEmpty() ? drain : new CorsHandler(drain, corsOrigins);
        var availability = config.availability();
        this.serverOptions = OptionMap.builder()
                // HttpCall enforces the body limit with a 413; this outer bound only stops swallowing a refused body.
                .set(UndertowOptions.MAX_ENTITY_SIZE, config.maxBodyBytes() + SWALLOW_BYTES)
                // Each request's arrival time, so its measured latency includes parsing and the hop to its thread.
                .set(UndertowOptions.RECORD_REQUEST_START_TIME, true)
                // Slowloris: a request line and headers must arrive whole, and soon, and not run to a megabyte.
                .set(UndertowOptions.REQUEST_PARSE_TIMEOUT, millis(availability.requestParseTimeout()))
                .set(UndertowOptions.NO_REQUEST_TIMEOUT, millis(availability.noRequestTimeout()))
                .set(UndertowOptions.IDLE_TIMEOUT, millis(availability.idleTimeout()))
                .set(UndertowOptions.MAX_HEADER_SIZE, availability.maxHeaderBytes())
                .set(UndertowOptions.MAX_HEADERS, 200)
                .getMap();
        this.openListener = new HttpOpenListener(BUFFERS, serverOptions);
        openListener.setRootHandler(root);
        this.connectionCap = new ConnectionCap(openListener, availability.maxConnectionsPerAddress());
    }

    /** A dialect's route: authenticated, within the caller's limits, through the one ingress pipeline. */
    private Endpoint ingress(Endpoint.Context ctx, Dialect dialect, RouteResolver resolver, Dispatcher dispatcher,
                             ErrorBodies errors, Admission limits, SessionHistory sessions) {
        IngressRoute route = new IngressRoute(dialect, resolver, dispatcher, errors, clock, sessions);
        return new Endpoint(ctx, call -> {
            if (!ledger.healthy()) {
                // Its answer would be withheld anyway (no row, no answer): refuse before counting it or paying a
                // provider, and let the client retry where /ready says 200.
                throw new ApiError(ErrorCode.SERVICE_UNAVAILABLE, "the usage ledger cannot take rows right now, so"
                        + " no request is served; try again shortly", Map.of("reason", "ledger_unavailable"),
                        Unavailable.RETRY_AFTER);
            }
            limits.admit(call.caller().accountSubject(), call.caller().keySubject(), call.caller().plan(),
                    call::setHeader);
            route.handle(call);
        }, true, dialect.errorStyle(), KeyScope.CHAT);
    }

    /**
     * Undertow's direct buffers. No thread-local cache (its last argument): requests run on virtual threads, one per
     * request, so a buffer a request freed into its thread's cache was stranded there until a GC ran the cache's
     * cleaner, and the pool allocated fresh ones meanwhile (NMT: 54 MB of "Other" native memory on an idle gateway
     * after warm-up). The shared queue keeps up to 512 free buffers (8 MB); beyond that they are freed at once.
     */
    private static final ByteBufferPool BUFFERS = new DefaultByteBufferPool(true, 16 * 1024 - 20, 512, 0);

    private static void sleepUntil(long nanoTime) {
        long left = nanoTime - System.nanoTime();
        if (left > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static int millis(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, d.toMillis());
    }

    /**
     * Listens as {@code Undertow.builder()} would, but with the per-address connection cap in front of Undertow's
     * own open listener (the builder has no place for one).
     */
    public void start() {
        try {
            worker = Xnio.getInstance(Undertow.class.getClassLoader()).createWorker(OptionMap.builder()
                    .set(Options.WORKER_IO_THREADS, Math.max(2, Runtime.getRuntime().availableProcessors()))
                    // requests run on virtual threads; the worker pool is hardly used
                    .set(Options.WORKER_TASK_CORE_THREADS, 4)
                    .set(Options.WORKER_TASK_MAX_THREADS, 4)
                    .set(Options.TCP_NODELAY, true)
                    .set(Options.CORK, true)
                    .getMap());
            OptionMap socketOptions = OptionMap.builder()
                    .set(Options.TCP_NODELAY, true)
                    .set(Options.REUSE_ADDRESSES, true)
                    .set(Options.BALANCING_TOKENS, 1)
                    .set(Options.BALANCING_CONNECTIONS, 2)
                    .set(Options.BACKLOG, 1000)
                    .getMap();
            listener = worker.createStreamConnectionServer(new InetSocketAddress(config.host(), config.port()),
                    ChannelListeners.openListenerAdapter(connectionCap), socketOptions);
            listener.resumeAccepts();
        } catch (IOException e) {
            if (worker != null) {
                worker.shutdownNow();
            }
            throw new UncheckedIOException("cannot listen on " + config.host() + ":" + config.port() + ": "
                    + e.getMessage(), e);
        }
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return listener.getLocalAddress(InetSocketAddress.class).getPort();
    }

    /** Connections closed as they were accepted, their address holding the most already. */
    public long connectionsRefused() {
        return connectionCap.refused();
    }

    private void health(HttpCall call) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", drain.draining() ? "draining" : "ok");
        body.put("mode", config.mode().name().toLowerCase());
        body.put("version", Version.current());
        body.put("pid", ProcessHandle.current().pid());
        body.put("uptime_seconds", (System.nanoTime() - startedNanos) / 1_000_000_000L);
        // Alive while draining too: a liveness probe that failed now would have the instance killed mid-drain.
        call.sendJson(200, body);
    }

    /**
     * 200 when this instance should get traffic; 503 while draining, while the ledger cannot take rows, or (on a
     * shared gateway) while Redis does not answer. The ledger's writer probes its store while unhealthy, so this
     * turns 200 again on its own once the store is back, with no traffic needed.
     */
    private void ready(HttpCall call) {
        boolean ledgerOk = ledger.healthy();
        Map<String, Object> body = new LinkedHashMap<>();
        String firstDown = ledgerOk ? null : "ledger";
        Map<String, Object> parts = new LinkedHashMap<>();
        parts.put("ledger", ledgerOk ? "ok" : "unavailable");
        for (Map.Entry<String, BooleanSupplier> d : new java.util.TreeMap<>(dependencies).entrySet()) {
            boolean ok = d.getValue().getAsBoolean();
            parts.put(d.getKey(), ok ? "ok" : "unavailable");
            if (!ok && firstDown == null) {
                firstDown = d.getKey();
            }
        }
        boolean draining = drain.draining();
        body.put("status", draining ? "draining" : firstDown == null ? "ready" : firstDown + "_unavailable");
        body.putAll(parts);
        if (!draining && firstDown != null) {
            call.setHeader("Retry-After", "1");
        }
        call.sendJson(!draining && firstDown == null ? 200 : 503, body);
    }

    /**
     * Drains, then stops, all within {@code drain_timeout_seconds}: {@code /ready} turns 503 at once and every answer
     * closes its connection; for {@code drain_pause_seconds} (shared gateway) the port stays open and requests are
     * served, so balancers stop sending; then the port closes (a balancer retries a refused connection elsewhere,
     * since the request never reached here); requests in flight finish, and the balancer's idle pooled connections
     * are left for it to close (it does after its keep-alive timeout, which must be shorter than the pause); then
     * whatever is left is closed. A second call returns once the first is done.
     */
    @Override
    public synchronized void close() {
        if (stopped) {
            return;
        }
        long start = System.nanoTime();
        long deadline = start + config.drainTimeout().toNanos();
        drain.begin();
        sleepUntil(Math.min(start + drainPause.toNanos(), deadline));
        IoUtils.safeClose(listener);
        long quiet = drainPause.toNanos();
        while (System.nanoTime() - deadline < 0) {
            if (drain.active() == 0 && (connectionCap.open() == 0 || System.nanoTime() - drain.lastEndNanos() >= quiet)) {
                break;
            }
            sleepUntil(Math.min(System.nanoTime() + 20_000_000L, deadline));
        }
        if (drain.active() > 0) {
            LOG.log(System.Logger.Level.WARNING, drain.active() + " requests still running after the drain timeout;"
                    + " stopping anyway");
        }
        stopped = true;
        openListener.closeConnections();
        if (worker != null) {
            worker.shutdown();
            try {
                worker.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        executor.shutdown();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
