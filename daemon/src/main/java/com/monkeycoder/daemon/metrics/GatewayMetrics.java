package com.monkeycoder.daemon.metrics;

import com.monkeycoder.daemon.ledger.CommitObserver;
import com.monkeycoder.daemon.ledger.LedgerRow;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.PathTemplateMatch;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The gateway's Prometheus metrics, in a registry of its own (never the library's global one, so two gateways
 * in one JVM, as in tests, keep apart), and the in-flight requests they are measured from.
 *
 * <p>Labels carry only names the gateway chose: route templates, HTTP status, provider and catalog model ids.
 * Never a key, a prompt, a path typed by a client or a request id.
 */
public final class GatewayMetrics implements CommitObserver {

    /** A value for the provider or model label of a request that reached none. */
    public static final String NONE = "none";
    /**
     * The model label of every model the catalog does not list (a name a client typed for Ollama, say): labels are
     * a bounded set, so a client cannot grow the series without end.
     */
    public static final String OTHER = "other";

    private static final double[] LATENCY_BUCKETS = {
            0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120};
    /** The gateway's own time is expected in tenths of a millisecond, so its buckets start at 50 µs. */
    private static final double[] OVERHEAD_BUCKETS = {
            0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1};
    private static final double[] COMMIT_BUCKETS = {
            0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    private final boolean keepPrompts;
    /** Whether a (provider, model) pair is a catalog model whose name may be a label; until set, none is. */
    private volatile java.util.function.BiPredicate<String, String> knownModel = (provider, model) -> false;

    private final Counter requests;
    private final Histogram latency;
    private final Histogram upstreamLatency;
    private final Histogram overhead;
    private final Histogram timeToFirstToken;
    private final Counter tokens;
    private final Counter cost;
    private final Counter cache;
    private final Counter rateLimited;
    private final Counter quotaRejected;
    private final Counter retries;
    private final Counter failovers;
    private final Histogram commitLatency;
    private final Counter committedRows;
    private final Counter failedCommits;

    /**
     * @param keepPrompts whether traces keep the messages sent upstream, for a request log that prints them
     *                    ({@code log_prompts}); off by default
     */
    public GatewayMetrics(boolean keepPrompts) {
        this.keepPrompts = keepPrompts;
        requests = Counter.builder().name("monkey_requests_total")
                .help("HTTP requests answered, by route template, status, and the provider and model that served them")
                .labelNames("route", "status", "provider", "model").register(registry);
        latency = histogram("monkey_request_duration_seconds",
                "Time from the request's arrival to the last byte of its response", LATENCY_BUCKETS, "route");
        upstreamLatency = histogram("monkey_upstream_duration_seconds",
                "Time spent waiting on providers: the whole answer for JSON, the first event for streams, with"
                        + " failed attempts and retry pauses", LATENCY_BUCKETS, "provider");
        overhead = histogram("monkey_gateway_overhead_seconds",
                "The gateway's own time: to the first byte of the response, minus the time spent on providers"
                        + " until then (the X-Monkey-Overhead-Ms header)", OVERHEAD_BUCKETS, "route");
        timeToFirstToken = histogram("monkey_time_to_first_token_seconds",
                "Streams: time from the request's arrival to the first byte of the stream sent to the client",
                LATENCY_BUCKETS, "provider");
        tokens = Counter.builder().name("monkey_tokens_total")
                .help("Tokens billed, by direction (input or output), provider and model")
                .labelNames("direction", "provider", "model").register(registry);
        cost = Counter.builder().name("monkey_cost_microdollars_total")
                .help("Cost recorded in the ledger, in micro-dollars (1e-6 USD)")
                .labelNames("provider", "model").register(registry);
        cache = Counter.builder().name("monkey_cache_requests_total")
                .help("Response cache look-ups, by result (hit or miss)").labelNames("result").register(registry);
        cache.labelValues("hit");
        cache.labelValues("miss");
        rateLimited = Counter.builder().name("monkey_rate_limit_rejections_total")
                .help("Requests refused with 429 by the rate limiter").register(registry);
        quotaRejected = Counter.builder().name("monkey_quota_rejections_total")
                .help("Requests refused with 402: credits or monthly quota exhausted").register(registry);
        retries = Counter.builder().name("monkey_retries_total")
                .help("Provider calls that retried a provider after a failure").labelNames("provider").register(registry);
        failovers = Counter.builder().name("monkey_failovers_total")
                .help("Provider calls that went to the next candidate after a failure, by the provider called")
                .labelNames("provider").register(registry);
        commitLatency = histogram("monkey_ledger_commit_duration_seconds",
                "Ledger group commits: time from the first insert to the commit", COMMIT_BUCKETS);
        committedRows = Counter.builder().name("monkey_ledger_rows_committed_total")
                .help("Ledger rows committed").register(registry);
        failedCommits = Counter.builder().name("monkey_ledger_commit_failures_total")
                .help("Ledger group commits that failed and were rolled back").register(registry);
        GaugeWithCallback.builder().name("monkey_requests_in_flight")
                .help("Requests being served now")
                .callback(cb -> cb.call(inFlight.get())).register(registry);
    }

    private Histogram histogram(String name, String help, double[] buckets, String... labels) {
        return Histogram.builder().name(name).help(help).classicOnly().classicUpperBounds(buckets)
                .labelNames(labels).withoutExemplars().register(registry);
    }

    /** Which (provider, model) pairs keep their own model label; every other model counts as {@value #OTHER}. */
    public void knownModels(java.util.function.BiPredicate<String, String> known) {
        this.knownModel = known;
    }

    /** The model label: the catalog's model id, {@value #NONE} for no model, else {@value #OTHER}. */
    String modelLabel(String provider, String model) {
        if (model == null) {
            return NONE;
        }
        return provider != null && knownModel.test(provider, model) ? model : OTHER;
    }

    /** Adds the JVM's own metrics: memory pools, GC, threads, classes, CPU, process. */
    public GatewayMetrics withJvmMetrics() {
        JvmMetrics.builder().register(registry);
        return this;
    }

    /** The states a circuit breaker can be in, as the metric names them. */
    private static final List<String> BREAKER_STATES = List.of("closed", "open", "half_open");

    /**
     * Shows each provider's circuit-breaker state as {@code monkey_circuit_breaker_state{provider,state}} 1;
     * {@code states} gives each provider's current state by name (closed, open, half_open).
     */
    public void watchBreakers(Supplier<Map<String, String>> states) {
        GaugeWithCallback.builder().name("monkey_circuit_breaker_state")
                .help("1 for each provider's current breaker state (closed, open, half_open), 0 for the others")
                .labelNames("provider", "state")
                .callback(cb -> states.get().forEach((provider, current) -> {
                    for (String s : BREAKER_STATES) {
                        cb.call(s.equals(current) ? 1 : 0, provider, s);
                    }
                }))
                .register(registry);
    }

    /** Shows how many rows wait for the ledger's writer. */
    public void watchLedgerQueue(IntSupplier depth) {
        GaugeWithCallback.builder().name("monkey_ledger_queue_depth")
                .help("Ledger rows waiting for the next group commit")
                .callback(cb -> cb.call(depth.getAsInt())).register(registry);
    }

    // ---- a request's life ----

    /** The response header with the gateway's own time for the request, in milliseconds. */
    public static final String OVERHEAD_HEADER = "X-Monkey-Overhead-Ms";
    private static final HttpString OVERHEAD = HttpString.tryFromString(OVERHEAD_HEADER);
    /** The route label of a request that matched no route: never the path a client typed. */
    static final String UNMATCHED = "unmatched";

    /**
     * Starts tracing an HTTP exchange: from its arrival (Undertow's request start time when recorded), and with
     * {@value #OVERHEAD_HEADER} set as its headers leave.
     */
    public RequestTrace begin(HttpServerExchange exchange, String requestId) {
        long arrived = exchange.getRequestStartTime();
        RequestTrace trace = begin(requestId, arrived > 0 ? arrived : System.nanoTime());
        exchange.addResponseCommitListener(ex -> {
            if (!trace.committed()) {
                committing(ex, trace);
            }
        });
        return trace;
    }

    /**
     * The response's headers are final and about to be handed to the IO thread to write: sets
     * {@value #OVERHEAD_HEADER} now, on the request's thread, so the request log and the header agree.
     */
    public void committing(HttpServerExchange exchange, RequestTrace trace) {
        String type = exchange.getResponseHeaders().getFirst(Headers.CONTENT_TYPE);
        long overhead = trace.committing(type != null && type.startsWith("text/event-stream"));
        exchange.getResponseHeaders().put(OVERHEAD, millis(overhead));
    }

    /** Counts a finished exchange under its route template and status. */
    public void finish(HttpServerExchange exchange, RequestTrace trace) {
        PathTemplateMatch match = exchange.getAttachment(PathTemplateMatch.ATTACHMENT_KEY);
        finish(trace, match == null ? UNMATCHED : match.getMatchedTemplate(), exchange.getStatusCode());
    }

    /** Nanoseconds as milliseconds with three decimals, without String.format on the request path. */
    static String millis(long nanos) {
        long micros = Math.max(0, nanos) / 1_000;
        long fraction = micros % 1_000;
        return (micros / 1_000) + (fraction < 10 ? ".00" : fraction < 100 ? ".0" : ".") + fraction;
    }

    /** A request arrived at {@code startNanos} ({@link System#nanoTime()}); its trace lives until {@link #finish}. */
    public RequestTrace begin(String requestId, long startNanos) {
        inFlight.incrementAndGet();
        return new RequestTrace(this, requestId, startNanos);
    }

    /** Whether traces keep the conversation sent upstream, for a request log that prints prompts. */
    boolean keepsPrompts() {
        return keepPrompts;
    }

    /** The response is complete: counts it. */
    public void finish(RequestTrace trace, String route, int status) {
        inFlight.decrementAndGet();
        trace.finished(route, status);
        String provider = trace.provider() == null ? NONE : trace.provider();
        requests.labelValues(route, Integer.toString(status), provider,
                modelLabel(trace.provider(), trace.model())).inc();
        latency.labelValues(route).observe(trace.totalNanos() / 1e9);
        if (trace.overheadNanos() >= 0) {
            overhead.labelValues(route).observe(trace.overheadNanos() / 1e9);
        }
        if (trace.upstreamNanos() > 0) {
            upstreamLatency.labelValues(provider).observe(trace.upstreamNanos() / 1e9);
        }
        if (trace.streamed() && trace.firstByteNanos() >= 0) {
            timeToFirstToken.labelValues(provider).observe(trace.firstByteNanos() / 1e9);
        }
    }

    /** A ledger row was committed: tokens and cost. */
    void recorded(LedgerRow row) {
        String model = modelLabel(row.provider(), row.model());
        tokens.labelValues("input", row.provider(), model).inc(row.promptTokens());
        tokens.labelValues("output", row.provider(), model).inc(row.completionTokens());
        cost.labelValues(row.provider(), model).inc(row.costMicros());
    }

    void retried(String provider) {
        retries.labelValues(provider).inc();
    }

    void failedOver(String provider) {
        failovers.labelValues(provider).inc();
    }

    // ---- for the parts built later (cache, rate limiter, quotas) ----

    /** The response cache answered a request. */
    public void cacheHit() {
        cache.labelValues("hit").inc();
    }

    /** The response cache had no answer. */
    public void cacheMiss() {
        cache.labelValues("miss").inc();
    }

    /** The rate limiter refused a request (429). */
    public void rateLimited() {
        rateLimited.inc();
    }

    /** Credits or the monthly quota refused a request (402). */
    public void quotaRejected() {
        quotaRejected.inc();
    }

    @Override
    public void committed(int rows, long nanos, boolean ok) {
        commitLatency.observe(nanos / 1e9);
        if (ok) {
            committedRows.inc(rows);
        } else {
            failedCommits.inc();
        }
    }

    /** The Prometheus text format (0.0.4) content type. */
    public static String contentType() {
        return PrometheusTextFormatWriter.CONTENT_TYPE;
    }

    /** Writes every metric in the Prometheus text format. */
    public void scrape(OutputStream out) throws IOException {
        new PrometheusTextFormatWriter(false).write(out, registry.scrape());
    }
}
