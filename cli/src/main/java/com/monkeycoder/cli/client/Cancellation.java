package com.monkeycoder.cli.client;

import okhttp3.Call;

/**
 * Lets another thread stop a request in flight (the chat REPL's Ctrl-C): cancelling closes the connection, and the
 * call that was waiting on it ends with {@link Cancelled} instead of a network error.
 */
public final class Cancellation {

    /** Thrown by a call that was cancelled on purpose. */
    public static final class Cancelled extends RuntimeException {
        Cancelled() {
            super("cancelled", null, false, false);
        }
    }

    private volatile boolean cancelled;
    private volatile Call call;

    public void cancel() {
        cancelled = true;
        Call current = call;
        if (current != null) {
            current.cancel();
        }
    }

    public boolean cancelled() {
        return cancelled;
    }

    void attach(Call newCall) {
        call = newCall;
        if (cancelled) {
            newCall.cancel();
        }
    }
}
