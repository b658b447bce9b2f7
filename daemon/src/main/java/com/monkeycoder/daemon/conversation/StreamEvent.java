package com.monkeycoder.daemon.conversation;

/**
 * What every adapter turns its provider's stream into, so that every ingress dialect can serve every provider.
 * Tool calls are numbered by {@code index} in the order the model started them (0, 1, ...), whatever the
 * provider's own block numbering; a call's events are start, argument deltas, end. Thinking deltas and their
 * signature belong to the thinking block in progress. {@link AnswerBuilder} checks that order.
 */
public sealed interface StreamEvent {

    /** A piece of the answer's text. */
    record TextDelta(String text) implements StreamEvent {
    }

    /** The model starts calling a tool. */
    record ToolCallStart(int index, String id, String name) implements StreamEvent {
    }

    /** A piece of a tool call's JSON arguments, as the provider sent it. */
    record ToolCallDelta(int index, String arguments) implements StreamEvent {
    }

    /** A tool call's arguments are complete. */
    record ToolCallEnd(int index) implements StreamEvent {
    }

    /** A piece of the model's visible reasoning. */
    record ThinkingDelta(String text) implements StreamEvent {
    }

    /** The signature closing the reasoning in progress (opaque, to go back byte for byte). */
    record ThinkingSignature(String signature) implements StreamEvent {
    }

    /** A block of encrypted reasoning, whole. */
    record RedactedThinking(String data) implements StreamEvent {
    }

    /** Token counts as the provider reported them; may come more than once, the last one wins. */
    record UsageReported(TokenCount usage) implements StreamEvent {
    }

    /** Why the answer ended. */
    record Finished(FinishReason reason) implements StreamEvent {
    }
}
