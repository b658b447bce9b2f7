package com.monkeycoder.daemon.routing;

import com.monkeycoder.daemon.auth.Caller;
import com.monkeycoder.daemon.metrics.RequestTrace;

/**
 * What the ledger and metrics need to know about a request besides its answer: its id, its caller, its route,
 * the agent session it belongs to (null when none was named) and the trace its timings go to.
 */
public record RequestContext(String requestId, Caller caller, String routeName, String sessionId, RequestTrace trace) {

    /** A request without a session, traced on its own (tests, and callers outside the HTTP server). */
    public RequestContext(String requestId, Caller caller, String routeName) {
        this(requestId, caller, routeName, null, RequestTrace.detached(requestId));
    }
}
