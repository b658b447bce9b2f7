package com.monkeycoder.daemon.server;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the requests in flight and, once draining has begun, answers every request with {@code Connection: close}.
 * Unlike Undertow's graceful shutdown handler it refuses nothing: a request that reached a draining instance (a
 * balancer that has not yet seen {@code /ready} turn 503, a keep-alive connection it picked from its pool) is
 * served, since a refused POST is one the balancer may not retry elsewhere. Closing each connection after its
 * answer retires the balancer's pooled connections one by one, so none is left for it to reuse once the port closes.
 */
final class Drain implements HttpHandler {

    private final HttpHandler next;
    private final AtomicLong active = new AtomicLong();
    private volatile long lastEndNanos = System.nanoTime();
    private volatile boolean draining;

    Drain(HttpHandler next) {
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        active.incrementAndGet();
        exchange.addExchangeCompleteListener((done, nextListener) -> {
            lastEndNanos = System.nanoTime();
            active.decrementAndGet();
            nextListener.proceed();
        });
        if (draining) {
            exchange.setPersistent(false);
        } else {
            // A request that began before the drain and answers after it closes its connection too, so the balancer
            // does not pool a connection this instance is about to close.
            exchange.addResponseCommitListener(committed -> {
                if (draining) {
                    committed.setPersistent(false);
                }
            });
        }
        next.handleRequest(exchange);
    }

    void begin() {
        draining = true;
    }

    boolean draining() {
        return draining;
    }

    long active() {
        return active.get();
    }

    /** When the last request ended ({@link System#nanoTime()}). */
    long lastEndNanos() {
        return lastEndNanos;
    }
}
