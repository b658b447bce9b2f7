package com.monkeycoder.daemon.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.daemon.providers.ProviderException.Kind;
import com.monkeycoder.shared.Json;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.math.BigDecimal;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

/**
 * Turns one provider's HTTP failures into {@link ProviderException}s whose messages are safe to show:
 * the operator's key is never in them, nor anything that looks like a key. Besides the plain status codes it
 * reads Google's error shape ({@code google.rpc.Status}), which refuses a bad key with 400 {@code API_KEY_INVALID}
 * and says when to retry in a {@code RetryInfo} detail rather than a {@code Retry-After} header.
 */
public final class UpstreamErrors {

    private static final Pattern KEY_LIKE =
            Pattern.compile("(sk|gsk|xai|pplx|mk)-[A-Za-z0-9_\\-*]{6,}|AIza[A-Za-z0-9_\\-]{20,}");
    private static final int MAX_MESSAGE = 300;
    /** How much of an error body is read: the message shown is 300 characters; the rest is left unread. */
    static final int MAX_ERROR_BODY_BYTES = 64 * 1024;
    /** The largest whole (not streamed) answer read: 64 MiB; beyond it the answer is malformed (502). */
    static final long MAX_ANSWER_BYTES = 64L * 1024 * 1024;

    private final String provider;
    private final String apiKey;

    public UpstreamErrors(String provider, String apiKey) {
        this.provider = provider;
        this.apiKey = apiKey;
    }

    /** Executes a call and returns its response when it succeeded; otherwise closes it and throws. */
    public Response execute(Call call) throws ProviderException {
        Response response;
        try {
            response = call.execute();
        } catch (IOException e) {
            throw fromIo(e);
        }
        if (response.isSuccessful()) {
            return response;
        }
        try (response) {
            throw fromStatus(response.code(), readBody(response.body()), response.header("Retry-After"));
        }
    }

    /**
     * One GET that checks the key (a model list), over {@code http} but ended after {@code timeout} whatever the
     * gateway's own timeouts are; failures throw as {@link #execute} throws them.
     */
    public void check(OkHttpClient http, Request request, Duration timeout) throws ProviderException {
        Call call = http.newBuilder().callTimeout(timeout).build().newCall(request);
        execute(call).close();
    }

    ProviderException fromStatus(int status, String upstreamMessage, String retryAfter) {
        return fromStatus(status, new UpstreamBody(upstreamMessage, false, null), retryAfter);
    }

    private ProviderException fromStatus(int status, UpstreamBody body, String retryAfterHeader) {
        String upstreamMessage = body.message();
        Duration retryAfter = parseRetryAfter(retryAfterHeader);
        if (retryAfter == null) {
            retryAfter = body.retryDelay();
        }
        if (status == 401 || status == 403 || body.keyRejected()) {
            return new ProviderException(Kind.AUTH_REFUSED, provider,
                    provider + " refused the API key (HTTP " + status + ")",
                    status, null, null);
        }
        String detail = upstreamMessage == null ? "" : ": " + upstreamMessage;
        if (status == 429) {
            return new ProviderException(Kind.RATE_LIMITED, provider,
                    provider + " is rate limiting the gateway (HTTP 429)" + detail, status, retryAfter, null);
        }
        return new ProviderException(Kind.UPSTREAM_ERROR, provider,
                provider + " answered HTTP " + status + detail, status, retryAfter, null);
    }

    public ProviderException fromIo(IOException e) {
        if (e instanceof SocketTimeoutException || (e instanceof InterruptedIOException && "timeout".equals(e.getMessage()))) {
            return new ProviderException(Kind.TIMEOUT, provider, provider + " did not answer in time", null, null, e);
        }
        return new ProviderException(Kind.NETWORK, provider,
                "could not reach " + provider + ": " + redact(String.valueOf(e.getMessage())), null, null, e);
    }

    /** A successful answer's JSON body; a body that is not JSON is a malformed answer, a cut one a network failure. */
    public JsonNode readJson(ResponseBody body) throws ProviderException {
        try {
            return Json.mapper().readTree(new Capped(body.byteStream(), MAX_ANSWER_BYTES));
        } catch (Capped.Exceeded e) {
            throw badResponse("the answer is larger than " + MAX_ANSWER_BYTES + " bytes", e);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw badResponse("the answer is not valid JSON", e);
        } catch (IOException e) {
            throw fromIo(e);
        }
    }

    public ProviderException badResponse(String what, Throwable cause) {
        return new ProviderException(Kind.BAD_RESPONSE, provider, provider + " sent a malformed answer: " + what,
                null, null, cause);
    }

    /** An error object sent inside a stream after a 200. */
    public ProviderException streamError(JsonNode error) {
        String message = error.isTextual() ? error.asText() : error.path("message").asText("unknown error");
        return new ProviderException(Kind.UPSTREAM_ERROR, provider,
                provider + " reported an error mid-stream: " + clean(message), null, null, null);
    }

    /**
     * The provider's safety filter refused: {@code what} is "prompt" or "answer", {@code reason} the provider's
     * own code ({@code SAFETY}, {@code PROHIBITED_CONTENT}, ...).
     */
    public ProviderException contentBlocked(String what, String reason) {
        return new ProviderException(Kind.CONTENT_BLOCKED, provider,
                provider + " blocked the " + what + " (" + clean(reason) + ")", null, null, null);
    }

    /** A body read only up to a cap; past it, {@link Exceeded}. */
    private static final class Capped extends java.io.FilterInputStream {
        static final class Exceeded extends IOException {
            Exceeded(long cap) {
                super("more than " + cap + " bytes");
            }
        }

        private final long cap;
        private long read;

        Capped(java.io.InputStream in, long cap) {
            super(in);
            this.cap = cap;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0 && ++read > cap) {
                throw new Exceeded(cap);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0 && (read += n) > cap) {
                throw new Exceeded(cap);
            }
            return n;
        }
    }

    /** What an error body says, as far as the gateway cares. */
    private record UpstreamBody(String message, boolean keyRejected, Duration retryDelay) {
        static final UpstreamBody EMPTY = new UpstreamBody(null, false, null);
    }

    private UpstreamBody readBody(ResponseBody body) {
        if (body == null) {
            return UpstreamBody.EMPTY;
        }
        String text;
        try {
            // Only the start of an error body is read, however much the upstream sends (or keeps sending).
            okio.BufferedSource source = body.source();
            source.request(MAX_ERROR_BODY_BYTES);
            text = source.getBuffer().readString(Math.min(source.getBuffer().size(), MAX_ERROR_BODY_BYTES),
                    java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            return UpstreamBody.EMPTY;
        }
        JsonNode node;
        try {
            node = Json.mapper().readTree(text);
        } catch (IOException notJson) {
            return new UpstreamBody(text.isBlank() ? null : clean(text), false, null);
        }
        if (node == null) {
            return new UpstreamBody(text.isBlank() ? null : clean(text), false, null);
        }
        JsonNode error = node.path("error");
        String message = error.isTextual() ? error.asText() : error.path("message").asText(null);
        if (message == null) {
            message = node.path("message").asText(null);
        }
        if (message == null && !text.isBlank()) {
            message = text;
        }
        boolean keyRejected = "UNAUTHENTICATED".equals(error.path("status").asText(null));
        Duration retryDelay = null;
        for (JsonNode detail : error.path("details")) {
            keyRejected |= "API_KEY_INVALID".equals(detail.path("reason").asText(null));
            if (detail.hasNonNull("retryDelay")) {
                retryDelay = parseProtoDuration(detail.get("retryDelay").asText());
            }
        }
        return new UpstreamBody(message == null ? null : clean(message), keyRejected, retryDelay);
    }

    /** A protobuf JSON duration such as {@code "37s"} or {@code "1.5s"}; null when it is not one. */
    static Duration parseProtoDuration(String value) {
        if (value == null || !value.endsWith("s")) {
            return null;
        }
        try {
            BigDecimal seconds = new BigDecimal(value.substring(0, value.length() - 1));
            return seconds.signum() < 0 ? Duration.ZERO : Duration.ofMillis(seconds.movePointRight(3).longValue());
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
    }

    private String clean(String message) {
        String text = redact(message.strip().replaceAll("\\s+", " "));
        return text.length() > MAX_MESSAGE ? text.substring(0, MAX_MESSAGE) + "..." : text;
    }

    private String redact(String text) {
        if (apiKey != null && !apiKey.isBlank()) {
            text = text.replace(apiKey, "[redacted]");
        }
        return KEY_LIKE.matcher(text).replaceAll("[redacted]");
    }

    static Duration parseRetryAfter(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
                return d.isNegative() ? Duration.ZERO : d;
            } catch (RuntimeException notDate) {
                return null;
            }
        }
    }
}
