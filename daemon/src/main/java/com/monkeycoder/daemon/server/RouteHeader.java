package com.monkeycoder.daemon.server;

import com.monkeycoder.daemon.catalog.ModelEntry;
import com.monkeycoder.daemon.routing.Outcome;
import com.monkeycoder.daemon.routing.StreamStart;
import com.monkeycoder.shared.wire.Attempt;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The {@code X-Monkey-Route} header: which provider and model answered, after how many attempts, and what
 * failed before, e.g. {@code openai/gpt-4.1-mini; attempts=2; failed=anthropic/claude-sonnet-4-5:upstream_error:503}.
 */
final class RouteHeader {

    static final String NAME = "X-Monkey-Route";
    static final String CACHE_HEADER = "X-Monkey-Cache";
    /** What of the request the answering provider could not take, named as the client sent it. */
    static final String DROPPED_HEADER = "X-Monkey-Dropped";

    private RouteHeader() {
    }

    static String of(ModelEntry answered, List<Attempt> failedBefore) {
        long calls = failedBefore.stream().filter(a -> !a.outcome().equals("circuit_open")).count() + 1;
        StringBuilder value = new StringBuilder(answered.qualifiedId()).append("; attempts=").append(calls);
        if (!failedBefore.isEmpty()) {
            value.append("; failed=").append(failedBefore.stream()
                    .map(a -> a.provider() + "/" + a.model() + ":" + a.outcome()
                            + (a.upstreamStatus() == null ? "" : ":" + a.upstreamStatus()))
                    .collect(Collectors.joining(",")));
        }
        return value.toString();
    }

    /** Sets the route header, and the cache header when the request was cacheable, for a whole answer. */
    static void set(HttpCall call, Outcome outcome) {
        List<Attempt> attempts = outcome.attempts();
        List<Attempt> failed = outcome.cached() || attempts.isEmpty() ? attempts : attempts.subList(0, attempts.size() - 1);
        set(call, new StreamStart(outcome.model(), failed, outcome.cacheHit(), outcome.dropped()));
    }

    /** The same when a stream starts. */
    static void set(HttpCall call, StreamStart start) {
        call.setHeader(NAME, start.cacheHit() == Boolean.TRUE ? start.model().qualifiedId() + "; cache=hit"
                : of(start.model(), start.failedBefore()));
        if (start.cacheHit() != null) {
            call.setHeader(CACHE_HEADER, start.cacheHit() ? "HIT" : "MISS");
        }
        if (!start.dropped().isEmpty()) {
            call.setHeader(DROPPED_HEADER, String.join(", ", start.dropped()));
        }
    }
}
