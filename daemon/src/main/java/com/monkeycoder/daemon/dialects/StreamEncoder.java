package com.monkeycoder.daemon.dialects;

import com.monkeycoder.daemon.conversation.StreamEvent;
import com.monkeycoder.daemon.errors.ApiError;
import com.monkeycoder.daemon.routing.Outcome;
import com.monkeycoder.daemon.routing.StreamStart;

import java.io.IOException;

/**
 * Writes one streamed answer in a dialect's events: {@link #start} once, {@link #event} for each canonical event,
 * then {@link #finish} (the ledger row is committed by then) or {@link #fail}.
 */
public interface StreamEncoder {

    void start(StreamStart start) throws IOException;

    void event(StreamEvent event) throws IOException;

    void finish(Outcome outcome) throws IOException;

    /** The answer broke after {@link #start}; {@code body} is the error in the dialect's shape. */
    void fail(ApiError error, Object body) throws IOException;

    /** The upstream has been silent a while: a keep-alive for clients that give up on silent streams. */
    default void ping() throws IOException {
    }
}
