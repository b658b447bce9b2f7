package com.monkeycoder.daemon.accounts;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Revocations within one process (a single-instance gateway without Redis, and unit tests). */
public final class MemoryRevocations implements Revocations {

    private final Set<String> revoked = ConcurrentHashMap.newKeySet();

    @Override
    public void revoke(String keyId) {
        revoked.add(keyId);
    }

    @Override
    public boolean isRevoked(String keyId) {
        return revoked.contains(keyId);
    }
}
