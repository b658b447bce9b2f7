package com.monkeycoder.daemon.history;

/**
 * The caller has no conversation with this id. Thrown alike when no one has one and when another owner does,
 * so a caller cannot learn which ids others use.
 */
public final class ConversationNotFound extends Exception {

    public ConversationNotFound(String id) {
        super("no session " + id, null, false, false);
    }
}
