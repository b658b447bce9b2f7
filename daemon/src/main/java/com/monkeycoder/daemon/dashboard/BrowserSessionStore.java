package com.monkeycoder.daemon.dashboard;

import java.util.Optional;

/** Where browser sessions live: memory on the local daemon, Redis on a shared gateway (every instance sees them). */
public interface BrowserSessionStore {

    void save(BrowserSession session);

    Optional<BrowserSession> find(String idHash);

    void delete(String idHash);

    /** The live sessions of one account (the Security page lists them): never another account's. */
    java.util.List<BrowserSession> ofAccount(String accountId);
}
