package com.monkeycoder.daemon.conversation;

/** Why an answer ended, mapped once from each provider's words and once into each dialect's. */
public enum FinishReason {
    /** The model finished (or met a stop sequence). */
    STOP,
    /** The output token cap was reached. */
    LENGTH,
    /** The model asked for tools to run. */
    TOOL_CALLS,
    /** The provider withheld or cut the answer for its content. */
    CONTENT_FILTER,
    /** The answer ended by a failure. */
    ERROR;

    /** The gateway's word for it, as the native API and the ledger write it. */
    public String wire() {
        return name().toLowerCase();
    }
}
