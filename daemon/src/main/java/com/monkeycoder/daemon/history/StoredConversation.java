package com.monkeycoder.daemon.history;

/**
 * A conversation the gateway keeps for its owner.
 *
 * @param title        the first task's text, cut to {@link Conversations#TITLE_CHARS} characters
 * @param model        the {@code provider/model} of the last answer
 * @param messageCount the messages it holds now (older ones may have been pruned)
 */
public record StoredConversation(String id, String ownerId, String title, String model, long createdMs,
                                 long updatedMs, int messageCount) {
}
