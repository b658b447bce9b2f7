package com.monkeycoder.daemon.ledger;

/** The ledger could not write or read; the request that needed it must not be reported as done. */
public final class LedgerException extends Exception {

    public LedgerException(String message, Throwable cause) {
        super(com.monkeycoder.shared.Redaction.secrets(message), cause);
    }
}
