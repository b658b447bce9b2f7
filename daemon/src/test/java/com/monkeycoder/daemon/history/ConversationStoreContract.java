package com.monkeycoder.daemon.history;

import com.monkeycoder.daemon.store.Database;
import com.monkeycoder.daemon.store.Migrations;
import com.monkeycoder.daemon.testing.SharedStores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The conversation store's contract, written once and run on each engine ({@link SqliteConversationStoreTest},
 * {@link PostgresConversationStoreTest}): owner scoping, pairs and seqs, the cursor, and the three caps.
 */
abstract class ConversationStoreContract {

    static final String ALICE = "usr_alice";
    static final String MALLORY = "usr_mallory";
    static final String ID = "ses_aaaaaaaa01";

    @TempDir
    Path home;

    SharedStores stores;
    Database database;

    abstract SharedStores.Engine engine();

    @BeforeEach
    void open() throws SQLException {
        stores = SharedStores.create(engine(), home);
        database = Database.open(stores.databaseUrl(), 8);
        Migrations.apply(database);
    }

    @AfterEach
    void close() {
        database.close();
        stores.close();
    }

    JdbcConversationStore store(HistoryLimits limits) {
        return new JdbcConversationStore(database, limits);
    }

    JdbcConversationStore store() {
        return store(HistoryLimits.DEFAULTS);
    }

    static Exchange exchange(String task, String answer) {
        return new Exchange(task, answer, "demo/monkey-demo");
    }

    @Test
    void theFirstAppendCreatesTheConversationForItsOwner() throws SQLException {
        JdbcConversationStore store = store();

        assertThat(store.append(ALICE, ID, exchange("  write a\n parser  ", "here it is"), 1_000)).isTrue();

        StoredConversation c = store.find(ALICE, ID).orElseThrow();
        assertThat(c.ownerId()).isEqualTo(ALICE);
        assertThat(c.title()).isEqualTo("write a parser");
        assertThat(c.model()).isEqualTo("demo/monkey-demo");
        assertThat(c.createdMs()).isEqualTo(1_000);
        assertThat(c.updatedMs()).isEqualTo(1_000);
        assertThat(c.messageCount()).isEqualTo(2);
        assertThat(store.messages(ALICE, ID)).extracting(StoredMessage::seq, StoredMessage::role, StoredMessage::text,
                StoredMessage::model).containsExactly(
                org.assertj.core.groups.Tuple.tuple(0L, Speaker.USER, "  write a\n parser  ", null),
                org.assertj.core.groups.Tuple.tuple(1L, Speaker.ASSISTANT, "here it is", "demo/monkey-demo"));
    }

    @Test
    void laterAppendsFollowInPairsAndMoveTheModelAndTime() throws SQLException {
        JdbcConversationStore store = store();
        store.append(ALICE, ID, exchange("one", "1"), 1_000);
        store.append(ALICE, ID, new Exchange("two", "2", "openai/gpt-4.1-mini"), 2_000);

        StoredConversation c = store.find(ALICE, ID).orElseThrow();
        assertThat(c.title()).isEqualTo("one");
        assertThat(c.model()).isEqualTo("openai/gpt-4.1-mini");
        assertThat(c.createdMs()).isEqualTo(1_000);
        assertThat(c.updatedMs()).isEqualTo(2_000);
        assertThat(c.messageCount()).isEqualTo(4);
        assertThat(store.messages(ALICE, ID)).extracting(StoredMessage::text).containsExactly("one", "1", "two", "2");
        assertThat(store.newestFirst(ALICE, ID, Long.MAX_VALUE, 3)).extracting(StoredMessage::seq)
                .containsExactly(3L, 2L, 1L);
        assertThat(store.newestFirst(ALICE, ID, 1, 10)).extracting(StoredMessage::seq).containsExactly(0L);
    }

    @Test
    void anotherOwnerCanNeitherReadNorAppendToNorDeleteAConversation() throws SQLException {
        JdbcConversationStore store = store();
        store.append(ALICE, ID, exchange("alice's secret plan", "noted"), 1_000);

        assertThat(store.find(MALLORY, ID)).isEmpty();
        assertThat(store.messages(MALLORY, ID)).isEmpty();
        assertThat(store.newestFirst(MALLORY, ID, Long.MAX_VALUE, 10)).isEmpty();
        assertThat(store.list(MALLORY, 100, null)).isEmpty();
        assertThat(store.append(MALLORY, ID, exchange("injected", "ok"), 2_000)).isFalse();
        assertThat(store.delete(MALLORY, ID)).isFalse();

        assertThat(store.exists(ID)).isTrue();
        assertThat(store.find(ALICE, ID).orElseThrow().messageCount()).isEqualTo(2);
        assertThat(store.messages(ALICE, ID)).extracting(StoredMessage::text).containsExactly("alice's secret plan", "noted");
    }

    @Test
    void listIsMostRecentlyUpdatedFirstAndPagesByUpdatedTime() throws SQLException {
        JdbcConversationStore store = store();
        for (int i = 1; i <= 5; i++) {
            store.append(ALICE, "ses_conversation" + i, exchange("task " + i, "answer"), i * 1_000L);
        }
        store.append(ALICE, "ses_conversation2", exchange("again", "answer"), 9_000);
        store.append(MALLORY, "ses_mallory0001", exchange("mine", "answer"), 10_000);

        List<StoredConversation> first = store.list(ALICE, 3, null);
        assertThat(first).extracting(StoredConversation::id)
                .containsExactly("ses_conversation2", "ses_conversation5", "ses_conversation4");
        assertThat(store.list(ALICE, 3, first.getLast().updatedMs())).extracting(StoredConversation::id)
                .containsExactly("ses_conversation3", "ses_conversation1");
    }

    @Test
    void aMessageOverTheCapIsStoredCutOnACharacterBoundaryWithAMarker() throws SQLException {
        JdbcConversationStore store = store(new HistoryLimits(64, 500, 1_000));
        String task = "é".repeat(100); // two bytes each: a cut at an odd byte would split one
        store.append(ALICE, ID, exchange(task, "short"), 1_000);

        String stored = store.messages(ALICE, ID).getFirst().text();
        assertThat(stored).endsWith(TextCap.MARKER);
        assertThat(stored.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(64);
        assertThat(stored.substring(0, stored.length() - TextCap.MARKER.length())).matches("é+");
        assertThat(store.messages(ALICE, ID).get(1).text()).isEqualTo("short");
    }

    @Test
    void theOldestPairsArePrunedBeyondTheMessageCap() throws SQLException {
        JdbcConversationStore store = store(new HistoryLimits(1024, 5, 1_000)); // 5 counts as 4: whole pairs
        for (int i = 0; i < 4; i++) {
            store.append(ALICE, ID, exchange("task " + i, "answer " + i), 1_000 + i);
        }

        assertThat(store.messages(ALICE, ID)).extracting(StoredMessage::seq, StoredMessage::text).containsExactly(
                org.assertj.core.groups.Tuple.tuple(4L, "task 2"), org.assertj.core.groups.Tuple.tuple(5L, "answer 2"),
                org.assertj.core.groups.Tuple.tuple(6L, "task 3"), org.assertj.core.groups.Tuple.tuple(7L, "answer 3"));
        assertThat(store.find(ALICE, ID).orElseThrow().messageCount()).isEqualTo(4);
    }

    @Test
    void theLeastRecentlyUpdatedConversationsArePrunedBeyondTheCapPerOwner() throws SQLException {
        JdbcConversationStore store = store(new HistoryLimits(1024, 500, 2));
        store.append(ALICE, "ses_oldest0001", exchange("a", "a"), 1_000);
        store.append(ALICE, "ses_touched001", exchange("b", "b"), 2_000);
        store.append(MALLORY, "ses_mallory0001", exchange("m", "m"), 2_500);
        store.append(ALICE, "ses_touched001", exchange("b2", "b2"), 5_000);
        store.append(ALICE, "ses_newest0001", exchange("c", "c"), 3_000);
        store.append(ALICE, "ses_newest0002", exchange("d", "d"), 6_000);

        assertThat(store.list(ALICE, 100, null)).extracting(StoredConversation::id)
                .containsExactly("ses_newest0002", "ses_touched001");
        assertThat(store.exists("ses_oldest0001")).isFalse();
        assertThat(store.messages(ALICE, "ses_newest0001")).isEmpty();
        assertThat(store.list(MALLORY, 100, null)).hasSize(1); // another owner's count is their own
    }

    @Test
    void deleteRemovesTheConversationAndItsMessagesAndFreesTheId() throws SQLException {
        JdbcConversationStore store = store();
        store.append(ALICE, ID, exchange("one", "1"), 1_000);

        assertThat(store.delete(ALICE, ID)).isTrue();
        assertThat(store.delete(ALICE, ID)).isFalse();
        assertThat(store.exists(ID)).isFalse();
        try (var c = database.connection(); var st = c.createStatement();
             var rs = st.executeQuery("SELECT COUNT(*) FROM conversation_messages")) {
            rs.next();
            assertThat(rs.getLong(1)).isZero();
        }

        store.append(MALLORY, ID, exchange("fresh", "start"), 2_000);
        assertThat(store.messages(MALLORY, ID)).extracting(StoredMessage::seq).containsExactly(0L, 1L);
    }

    @Test
    void concurrentAppendsToOneConversationEachGetTheirOwnPair() throws Exception {
        JdbcConversationStore store = store();
        store.append(ALICE, ID, exchange("first", "1"), 1_000);
        int threads = 6;
        int each = 5;
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        assertThat(store.append(ALICE, ID, exchange("t" + thread + "-" + i, "a" + thread + "-" + i),
                                2_000 + i)).isTrue();
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }

        List<StoredMessage> messages = store.messages(ALICE, ID);
        assertThat(messages).hasSize(2 + 2 * threads * each);
        assertThat(messages).extracting(StoredMessage::seq).doesNotHaveDuplicates();
        for (int i = 0; i < messages.size(); i += 2) {
            assertThat(messages.get(i).role()).isEqualTo(Speaker.USER);
            assertThat(messages.get(i + 1).text()).isEqualTo(messages.get(i).text().replaceFirst("^t", "a")
                    .replace("first", "1"));
        }
    }
}
