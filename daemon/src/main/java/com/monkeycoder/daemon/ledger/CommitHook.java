package com.monkeycoder.daemon.ledger;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Work that must commit in the same transaction as a batch of ledger rows, so it happens exactly when the rows
 * do: settling the credits a request reserved. It must be idempotent per request id, as a row may be offered
 * again after a failure.
 */
public interface CommitHook {

    CommitHook NONE = new CommitHook() {
        @Override
        public void inTransaction(Connection connection, List<LedgerRow> rows) {
        }

        @Override
        public void committed(List<LedgerRow> rows) {
        }
    };

    /** Runs inside the transaction that inserts {@code rows}, before its commit. */
    void inTransaction(Connection connection, List<LedgerRow> rows) throws SQLException;

    /** Runs after that transaction committed. */
    void committed(List<LedgerRow> rows);

    /** Both hooks, {@code first}'s work before {@code then}'s, in the transaction and after it. */
    static CommitHook both(CommitHook first, CommitHook then) {
        return new CommitHook() {
            @Override
            public void inTransaction(Connection connection, List<LedgerRow> rows) throws SQLException {
                first.inTransaction(connection, rows);
                then.inTransaction(connection, rows);
            }

            @Override
            public void committed(List<LedgerRow> rows) {
                first.committed(rows);
                then.committed(rows);
            }
        };
    }
}
