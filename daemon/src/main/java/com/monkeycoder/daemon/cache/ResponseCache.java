package com.monkeycoder.daemon.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.monkeycoder.shared.Json;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The exact-match response cache: Caffeine in memory (bounded by bytes) in front of a persistent store, so a
 * restarted daemon still answers from cache. Identical requests in flight at the same time share one upstream
 * call: the first leads, the others wait for its answer ({@link #lead}).
 */
public final class ResponseCache implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ResponseCache.class.getName());
    private static final int EVICT_EVERY_PUTS = 200;

    private final Cache<String, CachedAnswer> memory;
    private final CacheStore store;
    private final Duration ttl;
    private final Clock clock;
    private final ConcurrentHashMap<String, CompletableFuture<CachedAnswer>> inFlight = new ConcurrentHashMap<>();
    // Persistent writes happen off the request path, one at a time, in order.
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "cache-writer");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong puts = new AtomicLong();

    public ResponseCache(CacheStore store, Duration ttl, long maxBytes, Clock clock) {
        this.store = store;
        this.ttl = ttl;
        this.clock = clock;
        this.memory = Caffeine.newBuilder()
                .maximumWeight(Math.max(0, maxBytes))
                .weigher((String key, CachedAnswer a) -> 256 + 2 * (a.parts().toString().length() + key.length()))
                .expireAfterWrite(ttl)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .build();
    }

    /** A stored answer: from memory, else from the store (then kept in memory too). */
    public Optional<CachedAnswer> get(String key) {
        CachedAnswer inMemory = memory.getIfPresent(key);
        if (inMemory != null) {
            return Optional.of(inMemory);
        }
        Optional<CachedAnswer> stored = store.get(key, clock.millis()).flatMap(ResponseCache::parse);
        stored.ifPresent(a -> memory.put(key, a));
        return stored;
    }

    public void put(String key, CachedAnswer answer) {
        memory.put(key, answer);
        long now = clock.millis();
        String json = Json.write(answer);
        boolean evict = puts.incrementAndGet() % EVICT_EVERY_PUTS == 0;
        writer.execute(() -> {
            store.put(key, json, now, now + ttl.toMillis());
            if (evict) {
                store.evictExpired(now);
            }
        });
    }

    /**
     * Makes the caller the one computing {@code key}'s answer, unless another caller already is: then returns
     * that caller's future, which completes with its answer (or null when it failed).
     */
    public CompletableFuture<CachedAnswer> lead(String key, CompletableFuture<CachedAnswer> mine) {
        return inFlight.putIfAbsent(key, mine);
    }

    /** Ends a lead: stores the answer when there is one and hands it to the waiting callers. */
    public void finish(String key, CompletableFuture<CachedAnswer> mine, CachedAnswer answerOrNull) {
        if (answerOrNull != null) {
            put(key, answerOrNull);
        }
        inFlight.remove(key, mine);
        mine.complete(answerOrNull);
    }

    /** Waits for the persistent writes queued so far (tests, and shutdown). */
    public void flush() {
        try {
            writer.submit(() -> { }).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "response cache flush did not finish: " + e.getMessage());
        }
    }

    private static Optional<CachedAnswer> parse(String json) {
        try {
            return Optional.of(Json.mapper().readValue(json, CachedAnswer.class));
        } catch (IOException e) {
            return Optional.empty(); // written by another version: a miss, not an error
        }
    }

    @Override
    public void close() {
        flush();
        writer.shutdown();
        store.close();
    }
}
