package com.monkeycoder.daemon.ledger;

/**
 * Told about each group commit of a ledger, so metrics can show how long commits take and how many rows
 * each carries without the ledger knowing about metrics.
 */
@FunctionalInterface
public interface CommitObserver {

    /** Observes nothing. */
    CommitObserver NONE = (rows, nanos, ok) -> {
    };

    /**
     * @param rows  how many rows the transaction carried
     * @param nanos how long the transaction took, from its first insert to its commit (or rollback)
     * @param ok    whether it committed
     */
    void committed(int rows, long nanos, boolean ok);
}
