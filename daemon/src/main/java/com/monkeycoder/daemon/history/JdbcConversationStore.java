package com.monkeycoder.daemon.history;

import com.monkeycoder.daemon.store.Database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Conversations in the gateway's database (SQLite or PostgreSQL, the same SQL for both), tables
 * {@code conversations} and {@code conversation_messages} (migration V007). An append is one transaction that
 * starts with a write, so concurrent appends to one conversation queue on its row (PostgreSQL) or on the
 * database's write lock (SQLite) and each gets its own pair of seqs.
 */
public final class JdbcConversationStore implements ConversationStore {

    private static final String COLUMNS = "id, owner_id, title, model, created_ms, updated_ms, message_count";

    private final Database database;
    private final HistoryLimits limits;

    public JdbcConversationStore(Database database, HistoryLimits limits) {
        this.database = database;
        this.limits = limits;
    }

    @Override
    public Optional<StoredConversation> find(String ownerId, String id) throws SQLException {
        try (Connection c = database.connection()) {
            return find(c, ownerId, id);
        }
    }

    private static Optional<StoredConversation> find(Connection c, String ownerId, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                + " FROM conversations WHERE id = ? AND owner_id = ?")) {
            ps.setString(1, id);
            ps.setString(2, ownerId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(conversation(rs)) : Optional.empty();
            }
        }
    }

    @Override
    public boolean exists(String id) throws SQLException {
        try (Connection c = database.connection();
             PreparedStatement ps = c.prepareStatement("SELECT 1 FROM conversations WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    @Override
    public List<StoredConversation> list(String ownerId, int limit, Long beforeUpdatedMs) throws SQLException {
        String sql = "SELECT " + COLUMNS + " FROM conversations WHERE owner_id = ?"
                + (beforeUpdatedMs == null ? "" : " AND updated_ms < ?") + " ORDER BY updated_ms DESC, id DESC LIMIT ?";
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setString(i++, ownerId);
            if (beforeUpdatedMs != null) {
                ps.setLong(i++, beforeUpdatedMs);
            }
            ps.setInt(i, limit);
            List<StoredConversation> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(conversation(rs));
                }
            }
            return out;
        }
    }

    @Override
    public List<StoredMessage> messages(String ownerId, String id) throws SQLException {
        return messages(ownerId, id, Long.MAX_VALUE, Integer.MAX_VALUE, "ASC");
    }

    @Override
    public List<StoredMessage> newestFirst(String ownerId, String id, long beforeSeq, int limit) throws SQLException {
        return messages(ownerId, id, beforeSeq, limit, "DESC");
    }

    private List<StoredMessage> messages(String ownerId, String id, long beforeSeq, int limit, String order)
            throws SQLException {
        // The owner is checked in the same query: a conversation id alone never reads anyone's messages.
        String sql = "SELECT m.seq, m.role, m.content, m.model, m.created_ms FROM conversation_messages m"
                + " JOIN conversations c ON c.id = m.conversation_id"
                + " WHERE c.id = ? AND c.owner_id = ? AND m.seq < ? ORDER BY m.seq " + order + " LIMIT ?";
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, id);
            ps.setString(2, ownerId);
            ps.setLong(3, beforeSeq);
            ps.setInt(4, limit);
            List<StoredMessage> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new StoredMessage(rs.getLong(1), Speaker.fromWire(rs.getString(2)), rs.getString(3),
                            rs.getString(4), rs.getLong(5)));
                }
            }
            return out;
        }
    }

    @Override
    public boolean append(String ownerId, String id, Exchange exchange, long nowMs) throws SQLException {
        String task = TextCap.cap(exchange.task(), limits.maxMessageBytes());
        String answer = TextCap.cap(exchange.answer(), limits.maxMessageBytes());
        return inTransaction(c -> {
            boolean created = insertIfAbsent(c, ownerId, id, Conversations.title(exchange.task()), nowMs);
            long seq = claimPair(c, ownerId, id, exchange.model(), nowMs);
            if (seq < 0) {
                return false; // another owner's (so the insert did nothing either): nothing of this caller's goes in
            }
            insertMessage(c, id, seq, Speaker.USER, task, null, nowMs);
            insertMessage(c, id, seq + 1, Speaker.ASSISTANT, answer, exchange.model(), nowMs);
            pruneMessages(c, id, seq + 2);
            if (created) {
                pruneConversations(c, ownerId);
            }
            return true;
        });
    }

    /** Creates the conversation when no one has the id yet; true when this call created it. */
    private static boolean insertIfAbsent(Connection c, String ownerId, String id, String title, long nowMs)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO conversations (id, owner_id, title, model,"
                + " created_ms, updated_ms, message_count, next_seq) VALUES (?, ?, ?, NULL, ?, ?, 0, 0)"
                + " ON CONFLICT (id) DO NOTHING")) {
            ps.setString(1, id);
            ps.setString(2, ownerId);
            ps.setString(3, title);
            ps.setLong(4, nowMs);
            ps.setLong(5, nowMs);
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * Takes the next two seqs of the owner's conversation (and its row lock, on PostgreSQL, until the commit);
     * returns the first, or -1 when the conversation is not the owner's.
     */
    private static long claimPair(Connection c, String ownerId, String id, String model, long nowMs)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE conversations SET next_seq = next_seq + 2,"
                + " updated_ms = ?, model = ? WHERE id = ? AND owner_id = ?")) {
            ps.setLong(1, nowMs);
            ps.setString(2, model);
            ps.setString(3, id);
            ps.setString(4, ownerId);
            if (ps.executeUpdate() == 0) {
                return -1;
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT next_seq FROM conversations WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) - 2;
            }
        }
    }

    private static void insertMessage(Connection c, String id, long seq, Speaker role, String text, String model,
                                      long nowMs) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO conversation_messages (conversation_id, seq,"
                + " role, content, model, created_ms) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, id);
            ps.setLong(2, seq);
            ps.setString(3, role.wire());
            ps.setString(4, text);
            ps.setString(5, model);
            ps.setLong(6, nowMs);
            ps.executeUpdate();
        }
    }

    /** Keeps the newest {@code maxMessages} (an even number, so whole pairs go) and counts what is left. */
    private void pruneMessages(Connection c, String id, long nextSeq) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "DELETE FROM conversation_messages WHERE conversation_id = ? AND seq < ?")) {
            ps.setString(1, id);
            ps.setLong(2, nextSeq - limits.maxMessages());
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE conversations SET message_count ="
                + " (SELECT COUNT(*) FROM conversation_messages WHERE conversation_id = ?) WHERE id = ?")) {
            ps.setString(1, id);
            ps.setString(2, id);
            ps.executeUpdate();
        }
    }

    /** Deletes the owner's least recently updated conversations beyond {@code maxConversations}. */
    private void pruneConversations(Connection c, String ownerId) throws SQLException {
        long count;
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM conversations WHERE owner_id = ?")) {
            ps.setString(1, ownerId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                count = rs.getLong(1);
            }
        }
        if (count <= limits.maxConversations()) {
            return;
        }
        List<String> oldest = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM conversations WHERE owner_id = ?"
                + " ORDER BY updated_ms ASC, id ASC LIMIT ?")) {
            ps.setString(1, ownerId);
            ps.setLong(2, count - limits.maxConversations());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    oldest.add(rs.getString(1));
                }
            }
        }
        for (String old : oldest) {
            deleteOwned(c, ownerId, old);
        }
    }

    @Override
    public boolean delete(String ownerId, String id) throws SQLException {
        return inTransaction(c -> deleteOwned(c, ownerId, id));
    }

    /** Work done in one transaction on one connection. */
    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs {@code work} in a transaction: committed when it returns, rolled back when it throws. */
    private <T> T inTransaction(Work<T> work) throws SQLException {
        try (Connection c = database.connection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /** The conversation row first: when it is not the owner's, nothing is deleted. */
    private static boolean deleteOwned(Connection c, String ownerId, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM conversations WHERE id = ? AND owner_id = ?")) {
            ps.setString(1, id);
            ps.setString(2, ownerId);
            if (ps.executeUpdate() == 0) {
                return false;
            }
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM conversation_messages WHERE conversation_id = ?")) {
            ps.setString(1, id);
            ps.executeUpdate();
        }
        return true;
    }

    private static StoredConversation conversation(ResultSet rs) throws SQLException {
        return new StoredConversation(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getLong(5), rs.getLong(6), rs.getInt(7));
    }
}
