package com.monkeycoder.shared.wire;

/** One try at one provider while serving a request: what was tried, how it ended and how long it took. */
public record Attempt(String provider, String model, String outcome, long latencyMs, Integer upstreamStatus) {
}
