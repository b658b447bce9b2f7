package com.monkeycoder.daemon.metrics;

import com.monkeycoder.daemon.auth.Caller;
import com.monkeycoder.daemon.ledger.LedgerRow;
import com.monkeycoder.daemon.conversation.Message;

import java.util.List;

/**
 * What one request did, as metrics and the request log see it: when it arrived, how long it waited on
 * providers, when its first byte left, who served it and what it cost. Written by the request's own thread
 * (the endpoint, the dispatcher, the ledger call and Undertow's commit listener all run on it), read by the
 * request log once the request is finished.
 */
public final class RequestTrace {

    private final GatewayMetrics metrics;
    private final String requestId;
    private final long startNanos;
    private long upstreamNanos;
    private long firstByteNanos = -1;
    private long overheadNanos = -1;
    private boolean committed;
    private long totalNanos = -1;
    private boolean streamed;
    private int retries;
    private int failovers;
    private Boolean cacheHit;
    private LedgerRow row;
    private List<Message> prompt;
    private String method;
    private String route;
    private int status;
    private Caller caller;
    private String errorCode;
    private String errorReason;

    RequestTrace(GatewayMetrics metrics, String requestId, long startNanos) {
        this.metrics = metrics;
        this.requestId = requestId;
        this.startNanos = startNanos;
    }

    /** A trace counted nowhere, for a request served outside the HTTP server (tests, tools). */
    public static RequestTrace detached(String requestId) {
        return new RequestTrace(null, requestId, System.nanoTime());
    }

    /** Keeps the conversation sent upstream when the request log prints prompts. */
    public void dispatching(List<Message> messages) {
        if (metrics != null && metrics.keepsPrompts()) {
            this.prompt = messages;
        }
    }

    // ---- written by the dispatcher ----

    /** A provider call (or a pause a provider asked for) that began at {@code startedNanos} has just ended. */
    public void providerTimeSince(long startedNanos) {
        upstreamNanos += System.nanoTime() - startedNanos;
    }

    /**
     * A provider is about to be called after {@code callsBefore} calls failed: a retry when the candidates were
     * all tried once already ({@code round > 0}), else a failover to the next candidate.
     */
    public void calling(String provider, int callsBefore, int round) {
        if (callsBefore == 0) {
            return;
        }
        if (round > 0) {
            retries++;
            if (metrics != null) {
                metrics.retried(provider);
            }
        } else {
            failovers++;
            if (metrics != null) {
                metrics.failedOver(provider);
            }
        }
    }

    // ---- written by the cache (once it exists) and the ledger ----

    /** Whether the response cache answered this request. */
    public void cache(boolean hit) {
        this.cacheHit = hit;
        if (hit) {
            if (metrics != null) {
                metrics.cacheHit();
            }
        } else {
            if (metrics != null) {
                metrics.cacheMiss();
            }
        }
    }

    /** The request's ledger row is being written: who served it and what it cost, even if the commit fails. */
    public void recorded(LedgerRow row) {
        this.row = row;
        if (row.cached() && cacheHit == null) {
            cacheHit = true;
        }
    }


    // ---- written by the endpoint ----

    /**
     * The response's headers are about to leave: the gateway's own time until now is known. Returns it, for
     * the {@code X-Monkey-Overhead-Ms} header.
     */
    public long committing(boolean stream) {
        committed = true;
        long now = System.nanoTime();
        firstByteNanos = now - startNanos;
        streamed = stream;
        overheadNanos = Math.max(0, firstByteNanos - upstreamNanos);
        return overheadNanos;
    }

    /** The method and caller, for the log; set once the request is authenticated (or not). */
    public void request(String method, Caller caller) {
        this.method = method;
        this.caller = caller;
    }

    /**
     * The request was answered with an error: its code ({@code LLM_ERROR}) and why, for the log line. The reason is
     * the error's {@code details.reason} when it has one ({@code provider_not_configured}), else its message.
     */
    public void failed(String code, String reason) {
        this.errorCode = code;
        this.errorReason = reason;
    }

    void finished(String route, int status) {
        this.route = route;
        this.status = status;
        this.totalNanos = System.nanoTime() - startNanos;
        if (overheadNanos < 0) {
            overheadNanos = Math.max(0, totalNanos - upstreamNanos); // no body was sent
        }
    }

    // ---- read ----

    /** Whether {@link #committing} was called. */
    public boolean committed() {
        return committed;
    }

    public String requestId() {
        return requestId;
    }

    /** The provider that served (or last failed) this request, from its ledger row; null if none was reached. */
    public String provider() {
        return row == null ? null : row.provider();
    }

    public String model() {
        return row == null ? null : row.model();
    }

    /** The ledger row written for this request, or null. */
    public LedgerRow row() {
        return row;
    }

    public long upstreamNanos() {
        return upstreamNanos;
    }

    /** Time to the first byte of the response, or -1 before it left. */
    public long firstByteNanos() {
        return firstByteNanos;
    }

    public long overheadNanos() {
        return overheadNanos;
    }

    public long totalNanos() {
        return totalNanos;
    }

    public boolean streamed() {
        return streamed;
    }

    public int retries() {
        return retries;
    }

    public int failovers() {
        return failovers;
    }

    /** True for a cache hit, false for a miss, null when the cache was not asked. */
    public Boolean cacheHit() {
        return cacheHit;
    }

    /** The messages sent upstream, only when prompt logging is on; else null. */
    public List<Message> prompt() {
        return prompt;
    }

    public String method() {
        return method;
    }

    public String route() {
        return route;
    }

    public int status() {
        return status;
    }

    public Caller caller() {
        return caller;
    }

    /** The error code the request was answered with, or null. */
    public String errorCode() {
        return errorCode;
    }

    /** Why, in a word or a sentence; null without an error. */
    public String errorReason() {
        return errorReason;
    }
}
