package com.monkeycoder.daemon.server;

import com.monkeycoder.shared.Json;
import com.monkeycoder.shared.sse.SseFormat;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

import java.io.IOException;
import java.io.OutputStream;

/** The one SSE writer of the gateway: sends each event at once, so tokens reach the client as they come. */
public final class SseWriter {

    private final OutputStream out;

    SseWriter(HttpServerExchange exchange) {
        exchange.setStatusCode(200);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-cache");
        // Tell reverse proxies (nginx) not to buffer the stream.
        exchange.getResponseHeaders().put(io.undertow.util.HttpString.tryFromString("X-Accel-Buffering"), "no");
        this.out = exchange.getOutputStream();
    }

    /** A named event whose data is JSON. */
    public void send(String event, Object data) throws IOException {
        write(SseFormat.frame(event, data instanceof String s ? s : Json.write(data)));
    }

    /** An unnamed event (the OpenAI style). */
    public void data(String data) throws IOException {
        write(SseFormat.data(data));
    }

    private void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }
}
