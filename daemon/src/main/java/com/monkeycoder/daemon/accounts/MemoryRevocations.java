package com.monkeycoder.daemon.accounts;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Revocations within one process (a single-instance gateway without Redis, and unit tests). */
public final class MemoryRevocations implements Revocations {

    private final Set<String> revoked = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> accountVersions = new ConcurrentHashMap<>();

    @Override
    public void revoke(String keyId) {
        revoked.add(keyId);
    }

    @Override
    public boolean isRevoked(String keyId) {
        return revoked.contains(keyId);
    }

    @Override
    public void accountChanged(String accountId) {
        accountVersions.merge(accountId, 1L, Long::sum);
    }

    @Override
    public Marks marks(String keyId, String accountId) {
        return new Marks(revoked.contains(keyId), accountVersions.getOrDefault(accountId, 0L));
    }
}
