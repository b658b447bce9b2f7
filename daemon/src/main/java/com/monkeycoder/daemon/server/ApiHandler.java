package com.monkeycoder.daemon.server;

/** A route's code, run on a virtual thread with blocking I/O; it throws {@link ApiError} for client errors. */
@FunctionalInterface
public interface ApiHandler {

    void handle(HttpCall call) throws Exception;
}
