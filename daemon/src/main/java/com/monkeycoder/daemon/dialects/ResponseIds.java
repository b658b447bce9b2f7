package com.monkeycoder.daemon.dialects;

/** The request's id (from which each dialect derives its own: {@code chatcmpl-...}, {@code msg_...}) and its time. */
public record ResponseIds(String requestId, long createdEpochSeconds) {

    /** The request id without its {@code req_} prefix. */
    public String suffix() {
        return requestId.startsWith("req_") ? requestId.substring(4) : requestId;
    }
}
