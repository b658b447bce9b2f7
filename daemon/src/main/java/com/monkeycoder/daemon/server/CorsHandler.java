package com.monkeycoder.daemon.server;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;

import java.util.Locale;
import java.util.Set;

/**
 * Cross-origin access for web pages on the origins named in {@code cors_origins} (a dashboard, a web client):
 * their preflight ({@code OPTIONS} with {@code Access-Control-Request-Method}) is answered here with 204 and what
 * they may send; their requests get the headers that let the page read the answer. The allowed origin is echoed,
 * never {@code *}, and no credentials mode is offered: the API authenticates with a key in a header, which a page
 * sends on purpose, not with cookies a browser would attach by itself. Any other origin gets no CORS header (the
 * browser keeps the answer from the page); its preflight gets 403.
 */
final class CorsHandler implements HttpHandler {

    private static final HttpString ORIGIN = new HttpString("Origin");
    private static final HttpString REQUEST_METHOD = new HttpString("Access-Control-Request-Method");
    private static final HttpString ALLOW_ORIGIN = new HttpString("Access-Control-Allow-Origin");
    private static final HttpString ALLOW_METHODS = new HttpString("Access-Control-Allow-Methods");
    private static final HttpString ALLOW_HEADERS = new HttpString("Access-Control-Allow-Headers");
    private static final HttpString EXPOSE_HEADERS = new HttpString("Access-Control-Expose-Headers");
    private static final HttpString MAX_AGE = new HttpString("Access-Control-Max-Age");
    private static final HttpString VARY = new HttpString("Vary");

    static final String METHODS = "GET, POST, DELETE, HEAD";
    /** What the SDKs and agent clients send besides the simple headers. */
    static final String HEADERS = "Authorization, Content-Type, X-Api-Key, Anthropic-Version, Anthropic-Beta, "
            + "OpenAI-Beta, X-Monkey-Session, X-Request-Id";
    /** What a page may read: the request id, the gateway's own headers, and when to retry. */
    static final String EXPOSED = "X-Request-Id, X-Monkey-Provider, X-Monkey-Model, X-Monkey-Overhead-Ms, "
            + "X-Monkey-Session, X-Monkey-History, X-Monkey-Dropped, RateLimit-Limit, RateLimit-Remaining, "
            + "RateLimit-Reset, Retry-After";

    private final HttpHandler next;
    private final Set<String> origins;

    CorsHandler(HttpHandler next, Set<String> origins) {
        this.next = next;
        this.origins = origins;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        String origin = exchange.getRequestHeaders().getFirst(ORIGIN);
        boolean preflight = Methods.OPTIONS.equals(exchange.getRequestMethod())
                && exchange.getRequestHeaders().contains(REQUEST_METHOD);
        if (origin == null) {
            next.handleRequest(exchange);
            return;
        }
        exchange.getResponseHeaders().add(VARY, "Origin");
        boolean allowed = origins.contains(origin.toLowerCase(Locale.ROOT));
        if (preflight) {
            exchange.setStatusCode(allowed ? 204 : 403);
            if (allowed) {
                exchange.getResponseHeaders().put(ALLOW_ORIGIN, origin);
                exchange.getResponseHeaders().put(ALLOW_METHODS, METHODS);
                exchange.getResponseHeaders().put(ALLOW_HEADERS, HEADERS);
                exchange.getResponseHeaders().put(MAX_AGE, "600");
            }
            exchange.endExchange();
            return;
        }
        if (allowed) {
            exchange.getResponseHeaders().put(ALLOW_ORIGIN, origin);
            exchange.getResponseHeaders().put(EXPOSE_HEADERS, EXPOSED);
        }
        next.handleRequest(exchange);
    }
}
