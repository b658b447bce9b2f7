package com.monkeycoder.daemon.history;

import com.monkeycoder.daemon.providers.TokenEstimator;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Picks the stored turns that go upstream with a request: the newest task/answer pairs whose estimated tokens
 * fit the budget left in the model's context window, stopping at the first pair that does not fit (so what goes
 * is always the most recent stretch of the conversation, never a gap). History is read a page at a time, newest
 * first, so a long conversation is read only as far back as the window reaches.
 */
final class HistoryWindow {

    /** Messages read per query. */
    static final int PAGE = 64;
    /** The framing tokens of each message, as the credit hold's estimate counts them. */
    static final long MESSAGE_FRAMING = 4;

    /** The stored conversation, read newest first. */
    @FunctionalInterface
    interface Pages {
        List<StoredMessage> newestFirst(long beforeSeq, int limit) throws SQLException;
    }

    private HistoryWindow() {
    }

    /** The pairs that fit {@code budgetTokens}, oldest first. */
    static List<StoredMessage> fit(Pages pages, long budgetTokens) throws SQLException {
        List<StoredMessage> keptNewestFirst = new ArrayList<>();
        long left = budgetTokens;
        long before = Long.MAX_VALUE;
        StoredMessage answer = null; // the newer half of the pair being read
        while (left > 0) {
            List<StoredMessage> page = pages.newestFirst(before, PAGE);
            for (StoredMessage m : page) {
                before = m.seq();
                if (m.role() == Speaker.ASSISTANT) {
                    answer = m;
                    continue;
                }
                if (answer == null || answer.seq() != m.seq() + 1) {
                    answer = null;
                    continue; // a task without its answer is never sent alone
                }
                long cost = tokens(m) + tokens(answer);
                if (cost > left) {
                    return oldestFirst(keptNewestFirst);
                }
                left -= cost;
                keptNewestFirst.add(answer);
                keptNewestFirst.add(m);
                answer = null;
            }
            if (page.size() < PAGE) {
                break;
            }
        }
        return oldestFirst(keptNewestFirst);
    }

    static long tokens(StoredMessage m) {
        return MESSAGE_FRAMING + TokenEstimator.estimate(m.text());
    }

    private static List<StoredMessage> oldestFirst(List<StoredMessage> newestFirst) {
        List<StoredMessage> out = new ArrayList<>(newestFirst);
        Collections.reverse(out);
        return out;
    }
}
