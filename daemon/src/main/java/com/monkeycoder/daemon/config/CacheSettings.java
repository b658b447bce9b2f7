package com.monkeycoder.daemon.config;

import java.time.Duration;

/** The response cache: how long an answer is kept and how many bytes its memory level may hold. */
public record CacheSettings(Duration ttl, long maxMemoryBytes) {
}
