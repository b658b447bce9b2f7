package com.monkeycoder.daemon.history;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Which stored turns fit a window, and how a long text is cut. */
class HistoryWindowTest {

    /** A conversation of pairs with these task lengths (in characters; four make a token), read as the store would. */
    static HistoryWindow.Pages conversation(int... taskChars) {
        List<StoredMessage> all = new ArrayList<>();
        for (int i = 0; i < taskChars.length; i++) {
            all.add(new StoredMessage(2L * i, Speaker.USER, "t".repeat(taskChars[i]), null, 0));
            all.add(new StoredMessage(2L * i + 1, Speaker.ASSISTANT, "ok", "demo/monkey-demo", 0));
        }
        return (before, limit) -> all.reversed().stream().filter(m -> m.seq() < before).limit(limit).toList();
    }

    static long pair(int taskChars) {
        return HistoryWindow.MESSAGE_FRAMING + taskChars / 4 + HistoryWindow.MESSAGE_FRAMING + 1;
    }

    @Test
    void theNewestPairsThatFitAreKeptOldestFirst() throws SQLException {
        List<StoredMessage> kept = HistoryWindow.fit(conversation(400, 400, 400), pair(400) * 2);

        assertThat(kept).extracting(StoredMessage::seq).containsExactly(2L, 3L, 4L, 5L);
    }

    @Test
    void aPairThatDoesNotFitEndsTheHistoryEvenWhenOlderOnesWould() throws SQLException {
        List<StoredMessage> kept = HistoryWindow.fit(conversation(40, 4_000, 40), pair(40) * 3);

        assertThat(kept).as("no gap in the conversation").extracting(StoredMessage::seq).containsExactly(4L, 5L);
    }

    @Test
    void aLongConversationIsReadAcrossPages() throws SQLException {
        int[] tasks = new int[HistoryWindow.PAGE * 2];
        java.util.Arrays.fill(tasks, 4);

        assertThat(HistoryWindow.fit(conversation(tasks), Long.MAX_VALUE)).hasSize(tasks.length * 2);
        assertThat(HistoryWindow.fit(conversation(tasks), 0)).isEmpty();
    }

    @Test
    void aCutNeverSplitsACharacterAndEndsWithTheMarker() {
        String emoji = "🐒".repeat(50); // four bytes each
        String cut = TextCap.cap(emoji, 30);

        assertThat(cut.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(30);
        assertThat(cut).startsWith("🐒").endsWith(TextCap.MARKER);
        assertThat(cut.substring(0, cut.length() - TextCap.MARKER.length())).matches("(🐒)+");
        assertThat(TextCap.cap("short", 30)).isEqualTo("short");
    }

    @Test
    void aTitleIsTheTaskOnOneLineCutTo80Characters() {
        assertThat(Conversations.title("  fix\n\tthe   bug ")).isEqualTo("fix the bug");
        String title = Conversations.title("x".repeat(200));
        assertThat(title).hasSize(80).endsWith("…");
    }
}
