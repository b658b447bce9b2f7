package com.monkeycoder.daemon.cache;

import java.util.Optional;

/** The cache's persistent level: SQLite for the local daemon; the shared deployment plugs in its own store. */
public interface CacheStore extends AutoCloseable {

    /** The answer stored under the key, if it has not expired by {@code nowMs}. */
    Optional<String> get(String key, long nowMs);

    void put(String key, String answer, long createdMs, long expiresMs);

    /** Drops what expired before {@code nowMs}; returns how many entries went. */
    int evictExpired(long nowMs);

    @Override
    void close();
}
