package com.monkeycoder.daemon.server;

import com.monkeycoder.daemon.metrics.GatewayMetrics;
import io.undertow.util.Headers;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * {@code GET /metrics}: every metric in the Prometheus text format. It needs no key, like {@code /health}:
 * it holds counts and timings only (no key, prompt or client-typed path is ever a label), and Prometheus
 * scrapers seldom send bearer tokens. A shared gateway that wants it private keeps it off its public listener.
 */
final class MetricsRoute implements ApiHandler {

    private final GatewayMetrics metrics;

    MetricsRoute(GatewayMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void handle(HttpCall call) throws IOException {
        ByteArrayOutputStream text = new ByteArrayOutputStream(16 * 1024);
        metrics.scrape(text);
        var exchange = call.exchange();
        exchange.setStatusCode(200);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, GatewayMetrics.contentType());
        exchange.setResponseContentLength(text.size());
        try (OutputStream out = exchange.getOutputStream()) {
            text.writeTo(out);
        } catch (IOException gone) {
            // the scraper went away
        }
    }
}
