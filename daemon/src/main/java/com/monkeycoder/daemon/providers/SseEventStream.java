package com.monkeycoder.daemon.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.daemon.providers.ProviderException.Kind;
import com.monkeycoder.daemon.conversation.StreamEvent;
import com.monkeycoder.shared.Json;
import com.monkeycoder.shared.sse.SseEvent;
import com.monkeycoder.shared.sse.SseReader;
import okhttp3.Call;
import okhttp3.Response;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * What every provider's SSE stream has in common: reading events off the connection one at a time, turning
 * I/O failures into {@link ProviderException}s, refusing a connection that ends before the answer is complete,
 * and cancelling the upstream call when closed early. A subclass only says what one event means.
 */
public abstract class SseEventStream implements EventStream {

    protected final String provider;
    protected final UpstreamErrors errors;
    private final Call call;
    private final Response response;
    private final SseReader reader;
    private final Deque<StreamEvent> pending = new ArrayDeque<>();
    private boolean done;
    /** Closed before its end: nothing more may come out, not even events the reader already buffered. */
    private volatile boolean cancelled;

    protected SseEventStream(String provider, UpstreamErrors errors, Call call, Response response) {
        this.provider = provider;
        this.errors = errors;
        this.call = call;
        this.response = response;
        this.reader = new SseReader(response.body().byteStream());
    }

    /**
     * Reads a stream's first event before handing it out, so a refusal sent as the first event of a 200 (a blocked
     * prompt, an overloaded error) fails the call cleanly; closes the stream when it does.
     */
    public static <S extends SseEventStream> S primed(S stream) throws ProviderException {
        try {
            ((SseEventStream) stream).readOne();
            return stream;
        } catch (ProviderException | RuntimeException e) {
            stream.close();
            throw e;
        }
    }

    @Override
    public final Optional<StreamEvent> next() throws ProviderException {
        if (cancelled) {
            throw closedEarly(null);
        }
        while (pending.isEmpty()) {
            if (done) {
                return Optional.empty();
            }
            readOne();
        }
        return Optional.of(pending.poll());
    }

    private void readOne() throws ProviderException {
        Optional<SseEvent> event;
        try {
            event = reader.next();
        } catch (SseReader.TooLarge e) {
            // an endless line or event: not an answer this gateway will hold in memory
            done = true;
            throw errors.badResponse(e.getMessage(), e);
        } catch (IOException e) {
            throw cancelled ? closedEarly(e) : errors.fromIo(e);
        }
        if (event.isEmpty()) {
            done = true;
            if (!complete()) {
                throw new ProviderException(Kind.NETWORK, provider,
                        provider + " ended the stream before the answer was complete");
            }
            return;
        }
        try {
            handle(event.get());
        } catch (ProviderException e) {
            done = true;
            throw e;
        }
    }

    /** What one event of the provider's stream means: {@link #emit} its events, {@link #end} at its end marker. */
    protected abstract void handle(SseEvent event) throws ProviderException;

    /** Whether the answer is whole, so the connection may end here without an end marker. */
    protected abstract boolean complete();

    protected final void emit(StreamEvent event) {
        pending.add(event);
    }

    /** The provider marked the end of the stream. */
    protected final void end() {
        done = true;
    }

    /** An event's data as JSON; anything else is a malformed answer. */
    protected final JsonNode json(SseEvent event) throws ProviderException {
        try {
            return Json.mapper().readTree(event.data());
        } catch (IOException e) {
            throw errors.badResponse("a stream event is not valid JSON", e);
        }
    }

    private ProviderException closedEarly(IOException cause) {
        return new ProviderException(Kind.NETWORK, provider, "the stream from " + provider + " was closed before its end",
                null, null, cause);
    }

    @Override
    public void close() {
        if (!done) {
            cancelled = true;
            call.cancel();
        }
        response.close();
    }
}
