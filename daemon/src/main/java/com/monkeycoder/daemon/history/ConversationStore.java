package com.monkeycoder.daemon.history;

import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Where conversations live. Every read and delete is scoped to an owner, so no query can return another
 * owner's conversation; only {@link #exists} looks across owners, to keep an id from being taken over.
 */
public interface ConversationStore {

    /** The owner's conversation {@code id}, if the owner has it. */
    Optional<StoredConversation> find(String ownerId, String id) throws SQLException;

    /** Whether anyone has a conversation {@code id}. */
    boolean exists(String id) throws SQLException;

    /** The owner's conversations updated before {@code beforeUpdatedMs} (null: any), most recently updated first. */
    List<StoredConversation> list(String ownerId, int limit, Long beforeUpdatedMs) throws SQLException;

    /** Every message of the owner's conversation {@code id}, oldest first; empty when the owner has no such one. */
    List<StoredMessage> messages(String ownerId, String id) throws SQLException;

    /**
     * Up to {@code limit} messages of the owner's conversation {@code id} with a seq below {@code beforeSeq}, newest
     * first: how history is read a page at a time, only as far back as a context window reaches.
     */
    List<StoredMessage> newestFirst(String ownerId, String id, long beforeSeq, int limit) throws SQLException;

    /**
     * Appends a task and its answer to the owner's conversation {@code id}, creating it when no one has it, then
     * prunes to the limits. Returns false, changing nothing, when another owner has that id.
     */
    boolean append(String ownerId, String id, Exchange exchange, long nowMs) throws SQLException;

    /** Deletes the owner's conversation {@code id} and its messages; false when the owner has no such one. */
    boolean delete(String ownerId, String id) throws SQLException;
}
