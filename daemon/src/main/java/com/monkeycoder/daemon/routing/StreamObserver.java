package com.monkeycoder.daemon.routing;

import com.monkeycoder.shared.wire.Attempt;

import java.io.IOException;
import java.util.List;

/**
 * Receives a streamed answer for one client. An {@link IOException} from either method means the client is
 * gone: the upstream call is cancelled at once.
 */
public interface StreamObserver {

    /**
     * A provider is answering; nothing was sent to the client before this, so the route may still set headers.
     *
     * @param route        the provider and model that answer
     * @param failedBefore the attempts at other providers (or earlier tries) that failed first
     */
    void onStart(Route route, List<Attempt> failedBefore) throws IOException;

    void onText(String text) throws IOException;
}
