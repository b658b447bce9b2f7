package com.monkeycoder.daemon.routing;

/**
 * Micro-dollars held from an account for one request. The ledger commit of the request's row settles it; if no
 * row committed (the request failed before reaching any provider), closing it gives the amount back.
 */
public interface CreditHold extends AutoCloseable {

    CreditHold NONE = () -> {
    };

    @Override
    void close();
}
