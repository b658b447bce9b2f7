package com.monkeycoder.daemon.catalog;

/**
 * One model of the catalog with its prices as integer micro-dollars per million tokens.
 */
public record ModelEntry(String provider, String id, Integer contextWindow, long inputMicrosPerMillion,
                         long outputMicrosPerMillion) {

    /** The gateway-wide name, {@code provider/model}. */
    public String qualifiedId() {
        return provider + "/" + id;
    }

    /** Cost of a request in micro-dollars, rounded half up: never floating point (design.md §4). */
    public long costMicros(long promptTokens, long completionTokens) {
        return perMillion(promptTokens, inputMicrosPerMillion) + perMillion(completionTokens, outputMicrosPerMillion);
    }

    private static long perMillion(long tokens, long microsPerMillion) {
        return Math.addExact(Math.multiplyExact(tokens, microsPerMillion), 500_000L) / 1_000_000L;
    }
}
