package com.monkeycoder.daemon.server;

import com.monkeycoder.daemon.metrics.GatewayMetrics;
import com.monkeycoder.daemon.errors.ApiError;
import com.monkeycoder.daemon.errors.ErrorCode;
import io.undertow.util.Headers;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * {@code GET /metrics}: every metric in the Prometheus text format. It needs no API key: with a metrics token set
 * ({@code metrics_token}) it needs {@code Authorization: Bearer <token>} (Prometheus's {@code authorization}
 * scrape setting); without one it answers only on a gateway bound to loopback (the local daemon), so a gateway
 * bound to 0.0.0.0 never shows its traffic, providers and models to anyone who asks.
 */
final class MetricsRoute implements ApiHandler {

    private final GatewayMetrics metrics;
    private final byte[] token;
    private final boolean loopbackBound;

    /**
     * @param token         the metrics token, or null
     * @param loopbackBound whether the listener is on loopback only; without a token, anything else is refused
     */
    MetricsRoute(GatewayMetrics metrics, String token, boolean loopbackBound) {
        this.metrics = metrics;
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
        this.loopbackBound = loopbackBound;
    }

    /** Whether a bind address is loopback only (127.0.0.0/8, ::1, localhost); 0.0.0.0 and names are not. */
    static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        String h = host.strip();
        if (h.equalsIgnoreCase("localhost") || h.equals("::1") || h.equals("[::1]")) {
            return true;
        }
        return h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }

    @Override
    public void handle(HttpCall call) throws IOException {
        if (token != null) {
            String presented = Endpoint.presentedKey(call);
            if (presented == null || !MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8))) {
                throw ApiError.unauthorized("/metrics needs the metrics token: send 'Authorization: Bearer <metrics_token>'");
            }
        } else if (!loopbackBound) {
            throw new ApiError(ErrorCode.FORBIDDEN, "/metrics is off on a gateway bound beyond loopback until a metrics"
                    + " token is set (metrics_token or MONKEY_CODER_METRICS_TOKEN); scrapers then send it as a bearer token");
        }
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
