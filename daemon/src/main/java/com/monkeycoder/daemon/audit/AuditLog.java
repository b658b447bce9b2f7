package com.monkeycoder.daemon.audit;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The audit log: who did what to which account, from where. A change and its entry are written in one transaction
 * ({@link #record(Connection, AuditEvent)}), so the log never shows a change that did not happen nor misses one
 * that did.
 */
public interface AuditLog {

    /** Writes one event in its own transaction; returns it with its id and time. */
    AuditEvent record(AuditEvent event) throws SQLException;

    /** Writes one event on the caller's connection, inside the caller's transaction. */
    AuditEvent record(Connection connection, AuditEvent event) throws SQLException;

    AuditPage page(AuditQuery query) throws SQLException;

    /** Deletes the events older than {@code cutoffMs}; returns how many. */
    int purgeOlderThan(long cutoffMs) throws SQLException;
}
