package com.monkeycoder.daemon.providers;

/**
 * What every adapter turns its provider's stream into, so that every ingress route can serve every provider.
 */
public sealed interface StreamEvent {

    /** A piece of the answer's text. */
    record TextDelta(String text) implements StreamEvent {
    }

    /** Token counts as the provider reported them; may come more than once, the last one wins. */
    record UsageReported(TokenCount usage) implements StreamEvent {
    }

    /** Why the answer ended: {@code stop}, {@code length}, {@code content_filter}, ... */
    record Finished(String reason) implements StreamEvent {
    }
}
