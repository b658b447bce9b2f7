package com.monkeycoder.shared.wire;

/** Tokens and cost of one answer; cost is shown in US dollars on the wire, kept as micro-dollars inside. */
public record TokenUsage(long promptTokens, long completionTokens, long totalTokens, double costUsd) {

    public static TokenUsage of(long promptTokens, long completionTokens, long costMicros) {
        return new TokenUsage(promptTokens, completionTokens, promptTokens + completionTokens, costMicros / 1_000_000.0);
    }
}
