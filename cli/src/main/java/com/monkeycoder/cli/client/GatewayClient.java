package com.monkeycoder.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.cli.ExitException;
import com.monkeycoder.shared.Json;
import com.monkeycoder.shared.sse.SseEvent;
import com.monkeycoder.shared.sse.SseReader;
import okhttp3.ConnectionSpec;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The CLI's HTTP client for a gateway: JSON calls and SSE streams, every failure an {@link ExitException}. */
public final class GatewayClient {

    private static final MediaType JSON = MediaType.get("application/json");

    /**
     * Built on first use, one per kind of URL. OkHttp's client loads the platform's trust store and TLS (about 200
     * classes and the cacerts file) when it is built for TLS; the local daemon and other plain-http gateways never
     * need them, so their client is cleartext-only and a CLI start skips all of it.
     */
    private static final class Plain {
        static final OkHttpClient HTTP = builder().connectionSpecs(List.of(ConnectionSpec.CLEARTEXT)).build();
    }

    private static final class Tls {
        static final OkHttpClient HTTP = builder().build();
    }

    private static OkHttpClient.Builder builder() {
        return new OkHttpClient.Builder()
                .connectTimeout(Duration.ofSeconds(5))
                .readTimeout(Duration.ofMinutes(5))
                .followSslRedirects(false); // an https gateway cannot send the key on to an http address
    }

    /** Receives the events of a stream; returning normally asks for the next one. */
    @FunctionalInterface
    public interface EventHandler {
        void onEvent(SseEvent event) throws IOException;
    }

    private final Connection connection;
    private final OkHttpClient http;

    /** @throws ExitException (3) for plain http to another machine that the user did not allow */
    public GatewayClient(Connection connection) {
        PlainHttp.check(connection.baseUrl(), connection.plainHttpAllowed());
        this.connection = connection;
        this.http = connection.baseUrl().regionMatches(true, 0, "http://", 0, 7) ? Plain.HTTP : Tls.HTTP;
    }

    public JsonNode get(String pathAndQuery) {
        return call(request(pathAndQuery).get().build());
    }

    public JsonNode post(String path, Object body) {
        return call(request(path).post(RequestBody.create(Json.writeBytes(body), JSON)).build());
    }

    public JsonNode put(String path, Object body) {
        return call(request(path).put(RequestBody.create(Json.writeBytes(body), JSON)).build());
    }

    /** Posts, as {@link #post(String, Object)}, and hands the value of the response header {@code header} (or null) to {@code sink}. */
    public JsonNode post(String path, Object body, String header, java.util.function.Consumer<String> sink) {
        Request request = request(path).post(RequestBody.create(Json.writeBytes(body), JSON)).build();
        try (Response response = http.newCall(request).execute()) {
            JsonNode json = readJson(response);
            if (!response.isSuccessful()) {
                throw ErrorMapping.fromResponse(response.code(), json);
            }
            if (json == null) {
                throw new ExitException(ExitCodes.PROVIDER_OR_NETWORK, "the gateway at " + connection.baseUrl()
                        + " did not answer with JSON; is that a Monkey Coder gateway?");
            }
            sink.accept(response.header(header));
            return json;
        } catch (IOException e) {
            throw networkError(e);
        }
    }

    /** Deletes; success needs no body (204). */
    public void delete(String path) {
        try (Response response = http.newCall(request(path).delete().build()).execute()) {
            if (!response.isSuccessful()) {
                throw ErrorMapping.fromResponse(response.code(), readJson(response));
            }
        } catch (IOException e) {
            throw networkError(e);
        }
    }

    /** Posts and reads the answer as Server-Sent Events until the stream ends. */
    public void stream(String path, Object body, EventHandler handler) {
        stream(path, body, handler, new Cancellation());
    }

    /**
     * The same, stoppable from another thread through {@code cancellation}.
     *
     * @throws Cancellation.Cancelled when it was cancelled
     */
    public void stream(String path, Object body, EventHandler handler, Cancellation cancellation) {
        Request request = request(path).post(RequestBody.create(Json.writeBytes(body), JSON))
                .header("Accept", "text/event-stream").build();
        okhttp3.Call call = http.newCall(request);
        cancellation.attach(call);
        try (Response response = call.execute()) {
            if (!response.isSuccessful()) {
                throw ErrorMapping.fromResponse(response.code(), readJson(response));
            }
            try (SseReader reader = new SseReader(response.body().byteStream())) {
                for (Optional<SseEvent> e = reader.next(); e.isPresent(); e = reader.next()) {
                    handler.onEvent(e.get());
                }
            } catch (IOException e) {
                if (cancellation.cancelled()) {
                    throw new Cancellation.Cancelled();
                }
                // The gateway was reached and answered; saying "cannot reach" here would send users the wrong way.
                throw new ExitException(ExitCodes.PROVIDER_OR_NETWORK, "the answer from the gateway at "
                        + connection.baseUrl() + " broke off (" + e.getMessage() + ")", e);
            }
        } catch (IOException e) {
            if (cancellation.cancelled()) {
                throw new Cancellation.Cancelled();
            }
            throw networkError(e);
        }
    }

    private Request.Builder request(String path) {
        Request.Builder b = new Request.Builder().url(connection.baseUrl() + path)
                .header("User-Agent", "monkey-cli");
        if (connection.apiKey() != null) {
            b.header("Authorization", "Bearer " + connection.apiKey());
        }
        return b;
    }

    private JsonNode call(Request request) {
        try (Response response = http.newCall(request).execute()) {
            JsonNode body = readJson(response);
            if (!response.isSuccessful()) {
                throw ErrorMapping.fromResponse(response.code(), body);
            }
            if (body == null) {
                throw new ExitException(ExitCodes.PROVIDER_OR_NETWORK, "the gateway at " + connection.baseUrl()
                        + " did not answer with JSON; is that a Monkey Coder gateway?");
            }
            return body;
        } catch (IOException e) {
            throw networkError(e);
        }
    }

    private static JsonNode readJson(Response response) {
        try {
            String text = response.body() == null ? "" : response.body().string();
            return text.isBlank() ? null : Json.mapper().readTree(text);
        } catch (IOException notJson) {
            return null;
        }
    }

    private ExitException networkError(IOException e) {
        String what = e instanceof InterruptedIOException ? "timed out talking to" : "cannot reach";
        return new ExitException(ExitCodes.PROVIDER_OR_NETWORK,
                what + " the gateway at " + connection.baseUrl() + " (" + e.getMessage() + ")", e);
    }
}
