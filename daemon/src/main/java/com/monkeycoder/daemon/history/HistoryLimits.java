package com.monkeycoder.daemon.history;

/**
 * What one caller may keep: a message's text (longer ones are stored cut, with a marker), messages per
 * conversation (the oldest pairs are pruned) and conversations per owner (the least recently updated are pruned).
 *
 * @param maxMessageBytes  UTF-8 bytes of one stored message's text, marker included
 * @param maxMessages      messages per conversation; an odd number counts as the even one below it, since
 *                         messages are kept in task/answer pairs
 * @param maxConversations conversations per owner
 */
public record HistoryLimits(int maxMessageBytes, int maxMessages, int maxConversations) {

    /** The defaults of the configuration table: 64 KiB, 200 messages, 200 conversations (at most 2.5 GiB a user). */
    public static final HistoryLimits DEFAULTS = new HistoryLimits(64 * 1024, 200, 200);

    public HistoryLimits {
        if (maxMessageBytes < TextCap.MARKER_BYTES + 4 || maxMessages < 2 || maxConversations < 1) {
            throw new IllegalArgumentException("history limits too small: " + maxMessageBytes + " bytes, "
                    + maxMessages + " messages, " + maxConversations + " conversations");
        }
        maxMessages -= maxMessages % 2;
    }
}
