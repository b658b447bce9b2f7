package com.monkeycoder.daemon.routing;

import com.monkeycoder.daemon.errors.ApiError;

/** A stream that failed after its first event: the client gets an error event, never a silent retry. */
public final class StreamBroken extends Exception {

    private final ApiError error;

    public StreamBroken(ApiError error) {
        super(error.getMessage(), null, false, false);
        this.error = error;
    }

    public ApiError error() {
        return error;
    }
}
