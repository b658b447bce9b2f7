package com.monkeycoder.daemon.server;

import com.monkeycoder.daemon.errors.ApiError;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.monkeycoder.daemon.auth.Caller;
import com.monkeycoder.daemon.metrics.RequestTrace;
import com.monkeycoder.shared.Json;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Deque;
import java.util.stream.Collectors;

/**
 * One request on its virtual thread, in blocking mode: read the body within its limit, parse it with errors
 * the client can act on, answer with JSON or open an SSE stream.
 */
public final class HttpCall {

    static final int INITIAL_BODY_BUFFER = 64 * 1024;

    private final HttpServerExchange exchange;
    private final String requestId;
    private final long maxBodyBytes;
    private Caller caller;
    private RequestTrace trace;
    private byte[] body;
    private boolean deferWrites;
    private ByteBuffer deferred;

    HttpCall(HttpServerExchange exchange, String requestId, long maxBodyBytes) {
        this.exchange = exchange;
        this.requestId = requestId;
        this.maxBodyBytes = maxBodyBytes;
    }

    public String requestId() {
        return requestId;
    }

    public Caller caller() {
        return caller;
    }

    void authenticated(Caller caller) {
        this.caller = caller;
    }

    /** Where this request's timings go, carried with it rather than looked up by id. */
    public RequestTrace trace() {
        return trace != null ? trace : RequestTrace.detached(requestId);
    }

    void traced(RequestTrace trace) {
        this.trace = trace;
    }

    public HttpServerExchange exchange() {
        return exchange;
    }

    public String header(String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    public String query(String name) {
        Deque<String> values = exchange.getQueryParameters().get(name);
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    public String pathParam(String name) {
        return query(name);
    }

    /**
     * The raw body, refused with 413 beyond the limit, whatever Content-Length claimed or however it was chunked.
     * A refused body is not read further here; when the exchange ends, Undertow swallows what the client still
     * sends (up to {@link GatewayServer#SWALLOW_BYTES} more) so that the client, still busy sending, can read the
     * 413 instead of seeing its connection reset. (Marking the connection not persistent would not do: Undertow
     * then shuts its input at once, and the client's next write fails before it reads the answer.)
     */
    public byte[] body() {
        return body(maxBodyBytes);
    }

    /** The same with a smaller limit of the route's own (a webhook whose bodies are small). */
    public byte[] body(long limit) {
        long max = Math.min(limit, maxBodyBytes);
        if (body != null) {
            return body;
        }
        long declared = exchange.getRequestContentLength();
        if (declared > max) {
            throw ApiError.payloadTooLarge(max);
        }
        InputStream in = exchange.getInputStream();
        try {
            // What a client declares is not yet sent: start small and grow as bytes arrive, so a thousand
            // connections declaring 32 MiB and sending nothing hold no 32 MiB each.
            ByteArrayOutputStream out = new ByteArrayOutputStream(initialCapacity(declared));
            byte[] buffer = new byte[8192];
            long total = 0;
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                total += n;
                if (total > max) {
                    throw ApiError.payloadTooLarge(max);
                }
                out.write(buffer, 0, n);
            }
            in.close();
            body = out.toByteArray();
            return body;
        } catch (RequestTooBigException e) {
            throw ApiError.payloadTooLarge(max);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the request body", e);
        }
    }

    /** The first buffer of a body that declared {@code declared} bytes (-1: not declared): at most 64 KiB. */
    static int initialCapacity(long declared) {
        return (int) Math.max(1024, Math.min(declared, INITIAL_BODY_BUFFER));
    }

    /** The body as one of our wire records; malformed JSON is 400, a wrong field 422 naming it. */
    public <T> T bodyAs(Class<T> type) {
        byte[] bytes = nonEmptyBody();
        try {
            return Json.mapper().readValue(bytes, type);
        } catch (JsonParseException e) {
            throw ApiError.badRequest("the request body is not valid JSON: " + e.getOriginalMessage());
        } catch (MismatchedInputException e) {
            throw ApiError.validation(fieldPath(e), "has the wrong type");
        } catch (JsonMappingException e) {
            throw ApiError.validation(fieldPath(e), "is not valid: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiError.badRequest("the request body could not be read as JSON");
        }
    }

    /** The body as a JSON tree, for the compatible routes that take the other APIs' shapes. */
    public JsonNode bodyTree() {
        byte[] bytes = nonEmptyBody();
        try {
            JsonNode node = Json.mapper().readTree(bytes);
            if (node == null || !node.isObject()) {
                throw ApiError.badRequest("the request body must be a JSON object");
            }
            return node;
        } catch (JsonParseException e) {
            throw ApiError.badRequest("the request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiError.badRequest("the request body could not be read as JSON");
        }
    }

    private byte[] nonEmptyBody() {
        byte[] bytes = body();
        if (bytes.length == 0) {
            throw ApiError.badRequest("the request body is empty: send a JSON object");
        }
        return bytes;
    }

    private static String fieldPath(JsonMappingException e) {
        String path = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
        return path.isEmpty() ? "body" : path;
    }

    /**
     * A JSON answer. When the route runs under {@link Endpoint} (which ends the exchange) the bytes are not written
     * here but kept for {@link #takeDeferred}: the IO thread writes them and ends the exchange after the handler
     * returns. Ending an exchange on a virtual thread re-arms the connection's reads from that thread while its IO
     * thread, already woken by the client's next request, spins in {@code HttpReadListener.handleEvent} until it is
     * done (15% of the gateway's samples at c=32). Only once the request's body is read: an answer given before
     * (a refused key, a store that is down) ends the exchange here, which drains what the client still sends.
     */
    public void sendJson(int status, Object value) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        byte[] bytes = Json.writeBytes(value);
        exchange.setResponseContentLength(bytes.length);
        if (deferWrites && body != null && deferred == null && !exchange.isResponseStarted()) {
            deferred = ByteBuffer.wrap(bytes);
            return;
        }
        try {
            exchange.getOutputStream().write(bytes);
            exchange.getOutputStream().close();
        } catch (IOException e) {
            // the client went away: nothing left to tell it
        }
    }

    /** Bytes of a given type (the dashboard's files), written at once: a GET has no body to wait for. */
    public void sendBytes(int status, String contentType, byte[] bytes) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, contentType);
        exchange.setResponseContentLength(bytes.length);
        try {
            exchange.getOutputStream().write(bytes);
            exchange.getOutputStream().close();
        } catch (IOException e) {
            // the client went away: nothing left to tell it
        }
    }

    /** A response without a body ({@code HEAD /}, which Claude Code sends to check that the gateway is there). */
    public void sendEmpty(int status) {
        exchange.setStatusCode(status);
        exchange.setResponseContentLength(0);
    }

    public void setHeader(String name, String value) {
        exchange.getResponseHeaders().put(HttpString.tryFromString(name), value);
    }

    public SseWriter startSse() {
        return new SseWriter(exchange);
    }

    public boolean responseStarted() {
        return exchange.isResponseStarted() || deferred != null;
    }

    /** Lets {@link #sendJson} leave the writing to the IO thread (see there); set by {@link Endpoint}. */
    void deferWrites() {
        this.deferWrites = true;
    }

    /** The JSON answer {@link #sendJson} left to write, once; null when none. */
    ByteBuffer takeDeferred() {
        ByteBuffer b = deferred;
        deferred = null;
        return b;
    }
}
