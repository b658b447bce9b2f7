package com.monkeycoder.daemon.providers;

/** Tokens of one answer as a provider reported them (or as we estimated them, when it reported none). */
public record TokenCount(long promptTokens, long completionTokens) {

    public long total() {
        return promptTokens + completionTokens;
    }
}
