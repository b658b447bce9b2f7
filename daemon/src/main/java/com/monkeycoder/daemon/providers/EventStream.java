package com.monkeycoder.daemon.providers;

import com.monkeycoder.daemon.conversation.StreamEvent;

import java.util.Optional;

/**
 * An answer arriving from a provider, pulled one event at a time by the request's virtual thread.
 * Closing it before the end cancels the upstream call at once (a client that went away).
 */
public interface EventStream extends AutoCloseable {

    /** The next event, or empty when the provider finished the stream. */
    Optional<StreamEvent> next() throws ProviderException;

    @Override
    void close();
}
