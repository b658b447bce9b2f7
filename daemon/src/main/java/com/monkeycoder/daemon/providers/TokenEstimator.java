package com.monkeycoder.daemon.providers;

import com.monkeycoder.shared.wire.ChatMessage;

import java.util.List;

/**
 * Estimates tokens from text where a provider reported none (the offline demo, a stream cut off).
 * About four characters a token for English and code, the rule of thumb OpenAI documents; rows that
 * rely on it are marked estimated in the ledger.
 */
public final class TokenEstimator {

    private TokenEstimator() {
    }

    public static long estimate(String text) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        return Math.max(1, (text.codePointCount(0, text.length()) + 3) / 4);
    }

    /** Prompt tokens of a conversation, with the few tokens each message's framing costs. */
    public static long estimate(List<ChatMessage> messages) {
        long total = 3;
        for (ChatMessage m : messages) {
            total += 4 + estimate(m.content());
        }
        return total;
    }
}
