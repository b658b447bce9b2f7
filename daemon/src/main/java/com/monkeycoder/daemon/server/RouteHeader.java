package com.monkeycoder.daemon.server;

import com.monkeycoder.daemon.routing.Route;
import com.monkeycoder.shared.wire.Attempt;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The {@code X-Monkey-Route} header: which provider and model answered, after how many attempts, and what
 * failed before, e.g. {@code openai/gpt-4.1-mini; attempts=2; failed=anthropic/claude-sonnet-4-5:upstream_error:503}.
 */
final class RouteHeader {

    static final String NAME = "X-Monkey-Route";

    private RouteHeader() {
    }

    static String of(Route answered, List<Attempt> failedBefore) {
        long calls = failedBefore.stream().filter(a -> !a.outcome().equals("circuit_open")).count() + 1;
        StringBuilder value = new StringBuilder(answered.model().qualifiedId()).append("; attempts=").append(calls);
        if (!failedBefore.isEmpty()) {
            value.append("; failed=").append(failedBefore.stream()
                    .map(a -> a.provider() + "/" + a.model() + ":" + a.outcome()
                            + (a.upstreamStatus() == null ? "" : ":" + a.upstreamStatus()))
                    .collect(Collectors.joining(",")));
        }
        return value.toString();
    }

    /** For a whole answer, whose attempts end with the one that succeeded. */
    static String of(Route answered, List<Attempt> attempts, boolean lastIsTheAnswer) {
        return of(answered, lastIsTheAnswer ? attempts.subList(0, attempts.size() - 1) : attempts);
    }
}
