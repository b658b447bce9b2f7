package com.monkeycoder.daemon.cache;

/**
 * What one request may do with the cache: {@code read} a stored answer, {@code write} its own answer, under
 * {@code key}. {@link #NONE} for requests that are not cacheable.
 */
public record CacheDirective(String key, boolean read, boolean write) {

    public static final CacheDirective NONE = new CacheDirective(null, false, false);

    public boolean active() {
        return read || write;
    }
}
