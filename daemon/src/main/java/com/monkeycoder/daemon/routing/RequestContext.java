package com.monkeycoder.daemon.routing;

import com.monkeycoder.daemon.auth.Caller;

/** What the ledger needs to know about a request besides its answer: its id, its caller and its route. */
public record RequestContext(String requestId, Caller caller, String routeName) {
}
