package com.monkeycoder.daemon.routing;

import java.io.IOException;

/**
 * Receives a streamed answer for one client. An {@link IOException} from either method means the client is
 * gone: the upstream call is cancelled at once.
 */
public interface StreamObserver {

    /** An answer is starting; nothing was sent to the client before this, so the route may still set headers. */
    void onStart(StreamStart start) throws IOException;

    void onText(String text) throws IOException;
}
