package com.monkeycoder.daemon.server;

import com.monkeycoder.daemon.dialects.ErrorBodies;
import com.monkeycoder.daemon.dialects.ErrorStyle;
import com.monkeycoder.daemon.errors.ErrorCode;
import com.monkeycoder.daemon.errors.ApiError;
import com.monkeycoder.daemon.auth.Authenticator;
import com.monkeycoder.daemon.auth.Caller;
import com.monkeycoder.daemon.auth.KeyScope;
import com.monkeycoder.daemon.logging.RequestLog;
import com.monkeycoder.daemon.metrics.GatewayMetrics;
import com.monkeycoder.daemon.metrics.RequestTrace;
import io.undertow.io.AsyncSenderImpl;
import io.undertow.io.IoCallback;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import org.xnio.IoUtils;
import org.xnio.XnioExecutor;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Wraps a route: moves it off the IO thread onto a virtual thread, gives it a request id, checks its key,
 * and turns whatever it throws into one error body. Nothing else in the server writes errors. It also traces
 * each request for metrics, the {@code X-Monkey-Overhead-Ms} header and the request log.
 */
final class Endpoint implements HttpHandler {

    private static final System.Logger LOG = System.getLogger(Endpoint.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * The shared parts every endpoint uses.
     *
     * @param clients who a client is behind the trusted proxies: what a key's address allowlist is checked against
     */
    record Context(Executor executor, Authenticator authenticator, ErrorBodies errors, long maxBodyBytes,
                   GatewayMetrics metrics, RequestLog requestLog, boolean loopbackHostsOnly,
                   Duration unauthenticatedTimeout, ClientAddresses clients,
                   BrowserAuth browserAuth) {
    }

    private final Context context;
    private final ApiHandler handler;
    private final boolean authRequired;
    private final ErrorStyle style;
    private final KeyScope scope;
    private final boolean browser;

    Endpoint(Context context, ApiHandler handler, boolean authRequired, ErrorStyle style) {
        this(context, handler, authRequired, style, null);
    }

    private Endpoint(Endpoint route, boolean browser) {
        this.context = route.context;
        this.handler = route.handler;
        this.authRequired = route.authRequired;
        this.style = route.style;
        this.scope = route.scope;
        this.browser = browser;
    }

    /**
     * The same route, also taking the dashboard's session cookie as its caller (with the checks of
     * {@link BrowserAuth}): only routes the dashboard's pages call, never the model routes, so a browser session
     * cannot spend.
     */
    Endpoint browser() {
        return new Endpoint(this, true);
    }

    /** A route whose key must carry {@code scope} (null: any valid key); 403 FORBIDDEN otherwise. */
    Endpoint(Context context, ApiHandler handler, boolean authRequired, ErrorStyle style, KeyScope scope) {
        this.context = context;
        this.handler = handler;
        this.authRequired = authRequired || scope != null;
        this.style = style;
        this.scope = scope;
        this.browser = false;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        if (exchange.isInIoThread()) {
            if (!authRequired) {
                limitHold(exchange);
            }
            // The HttpHandler form of dispatch ends the exchange when the handler returns (a bare Runnable would not).
            exchange.dispatch(context.executor(), this);
            return;
        }
        run(exchange);
    }

    /**
     * A route anyone may call without a key (register, login, health, ready, metrics) holds its connection for
     * at most {@code unauthenticated_timeout_seconds}, body and answer included: past that the connection is closed,
     * so a client trickling a login body cannot hold it. A route with a key answers to its own limits instead.
     */
    private void limitHold(HttpServerExchange exchange) {
        XnioExecutor.Key timer = exchange.getIoThread().executeAfter(() -> {
            if (!exchange.isComplete()) {
                LOG.log(System.Logger.Level.DEBUG, "closing a connection that held an unauthenticated route too long");
                IoUtils.safeClose(exchange.getConnection());
            }
        }, context.unauthenticatedTimeout().toMillis(), TimeUnit.MILLISECONDS);
        exchange.addExchangeCompleteListener((done, next) -> {
            timer.remove();
            next.proceed();
        });
    }

    private void run(HttpServerExchange exchange) {
        exchange.startBlocking();
        String requestId = "req_" + HexFormat.of().formatHex(randomBytes());
        exchange.getResponseHeaders().put(io.undertow.util.HttpString.tryFromString("X-Request-Id"), requestId);
        HttpCall call = new HttpCall(exchange, requestId, context.maxBodyBytes());
        call.deferWrites();
        RequestTrace trace = context.metrics().begin(exchange, requestId);
        call.traced(trace);
        try {
            if (context.loopbackHostsOnly()) {
                checkHost(call);
            }
            if (authRequired) {
                Caller caller = authenticate(call);
                call.authenticated(caller);
                checkAddress(call, caller);
                if (scope != null && !caller.has(scope)) {
                    throw new ApiError(ErrorCode.FORBIDDEN, "this key lacks the '" + scope.wireName()
                            + "' scope this route needs; use a key that has it (the key register or login gave)");
                }
            }
            handler.handle(call);
        } catch (ApiError e) {
            writeError(call, e);
        } catch (Exception | StackOverflowError e) {
            if (!exchange.getConnection().isOpen()) {
                // closed under it (the client left, or a timeout closed it): no one to answer, nothing to report
                LOG.log(System.Logger.Level.DEBUG, "request " + requestId + ": its connection closed (" + e + ")");
                return;
            }
            Optional<ApiError> unavailable = Unavailable.of(e);
            if (unavailable.isPresent()) {
                LOG.log(System.Logger.Level.WARNING, "request " + requestId + ": " + unavailable.get().getMessage()
                        + " (" + e + ")");
                writeError(call, unavailable.get());
                return;
            }
            LOG.log(System.Logger.Level.ERROR, "request " + requestId + " failed", e);
            writeError(call, new ApiError(ErrorCode.INTERNAL_ERROR,
                    "the gateway hit an unexpected error; request id " + requestId));
        } finally {
            ByteBuffer answer = call.takeDeferred();
            if (answer != null && exchange.getConnection().isOpen()) {
                context.metrics().committing(exchange, trace);
                // Runs on the IO thread once this handler has returned: writes the answer and ends the exchange there.
                exchange.dispatch(exchange.getIoThread(), () -> {
                    try {
                        new AsyncSenderImpl(exchange).send(answer, IoCallback.END_EXCHANGE);
                    } catch (RuntimeException e) {
                        // never leave a connection waiting on an answer that cannot be written
                        LOG.log(System.Logger.Level.WARNING, "request " + requestId + ": could not write its answer", e);
                        IoUtils.safeClose(exchange.getConnection());
                    }
                });
            } else {
                exchange.endExchange();
            }
            trace.request(exchange.getRequestMethod().toString(), call.caller());
            context.metrics().finish(exchange, trace);
            context.requestLog().log(trace);
        }
    }

    /**
     * The local daemon answers only requests addressed to loopback by name: a page that rebinds its own DNS name to
     * 127.0.0.1 sends its own name as Host and is refused, so it cannot read /health or /metrics (or anything).
     */
    private static void checkHost(HttpCall call) {
        String host = call.header("Host");
        java.net.InetSocketAddress local = call.exchange().getDestinationAddress();
        int port = local == null ? -1 : local.getPort();
        if (!loopbackHost(host, port)) {
            throw new ApiError(ErrorCode.FORBIDDEN, "the local daemon answers only Host 127.0.0.1, localhost or [::1]"
                    + " (with its port), not '" + (host == null ? "" : host.replaceAll("[^\\x21-\\x7e]", "?")) + "'");
        }
    }

    /** Whether {@code host} (a Host header) names loopback: 127.0.0.1, localhost or [::1], alone or with {@code port}. */
    static boolean loopbackHost(String host, int port) {
        if (host == null) {
            return false;
        }
        String h = host.strip().toLowerCase(java.util.Locale.ROOT);
        for (String name : new String[]{"127.0.0.1", "localhost", "[::1]"}) {
            if (h.equals(name) || h.equals(name + ":" + port)) {
                return true;
            }
        }
        return false;
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private Caller authenticate(HttpCall call) {
        String key = presentedKey(call);
        if (key == null && browser && context.browserAuth() != null) {
            Optional<Caller> signedIn = context.browserAuth().caller(call);
            if (signedIn.isPresent()) {
                return signedIn.get();
            }
        }
        if (key == null) {
            throw ApiError.unauthorized("missing API key: send the header 'Authorization: Bearer mk-...' (or 'x-api-key: mk-...')");
        }
        Optional<Caller> caller = context.authenticator().authenticate(key);
        return caller.orElseThrow(() -> ApiError.unauthorized(key.startsWith("mk-")
                ? "the API key is not valid (wrong, revoked or expired)"
                : "the API key or access token is not valid (wrong, revoked or expired)"));
    }

    /**
     * A key with an address allowlist works only from those addresses: the client's as the trusted proxies report
     * it, so a client behind them cannot claim an allowed address by sending the header itself.
     */
    private void checkAddress(HttpCall call, Caller caller) {
        if (caller.allowedCidrs().isEmpty()) {
            return;
        }
        java.net.InetSocketAddress source = call.exchange().getSourceAddress();
        java.net.InetAddress client = context.clients().client(source == null ? null : source.getAddress(),
                call.exchange().getRequestHeaders());
        if (!caller.allowsAddress(client)) {
            String address = client == null ? "unknown" : client.getHostAddress();
            throw new ApiError(ErrorCode.FORBIDDEN, "this key may not be used from " + address + ": it is limited to"
                    + " the addresses its allowed_cidrs list; use it from one of them or make another key",
                    java.util.Map.of("reason", "ip_not_allowed", "address", address), null);
        }
    }

    static String presentedKey(HttpCall call) {
        String authorization = call.header("Authorization");
        if (authorization != null) {
            String value = authorization.strip();
            if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
                String key = value.substring(7).strip();
                return key.isEmpty() ? null : key;
            }
        }
        String apiKey = call.header("x-api-key");
        return apiKey == null || apiKey.isBlank() ? null : apiKey.strip();
    }

    private void writeError(HttpCall call, ApiError error) {
        Object reason = error.details().get("reason");
        call.trace().failed(error.code().name(), reason != null ? reason.toString() : error.getMessage());
        if (call.responseStarted()) {
            LOG.log(System.Logger.Level.WARNING, "request " + call.requestId() + " failed after its response started: "
                    + error.getMessage());
            return;
        }
        Duration retryAfter = error.retryAfter();
        if (retryAfter != null) {
            call.setHeader("Retry-After", Long.toString(Math.max(1, retryAfter.toSeconds())));
        }
        call.sendJson(error.code().status(), context.errors().body(error, style));
    }
}
