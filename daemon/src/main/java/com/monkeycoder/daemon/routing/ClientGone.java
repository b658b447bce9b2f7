package com.monkeycoder.daemon.routing;

/** The client disconnected mid-stream; the upstream call was cancelled and what it cost was recorded. */
public final class ClientGone extends Exception {

    public ClientGone(Throwable cause) {
        super("the client disconnected", cause, false, false);
    }
}
