package com.monkeycoder.daemon.routing;

import com.monkeycoder.daemon.conversation.StreamEvent;

import java.io.IOException;

/**
 * Receives a streamed answer for one client. An {@link IOException} from either method means the client is
 * gone: the upstream call is cancelled at once.
 */
public interface StreamObserver {

    /** An answer is starting; nothing was sent to the client before this, so the route may still set headers. */
    void onStart(StreamStart start) throws IOException;

    /** The next event of the answer, in an order {@link com.monkeycoder.daemon.conversation.AnswerBuilder} checked. */
    void onEvent(StreamEvent event) throws IOException;
}
