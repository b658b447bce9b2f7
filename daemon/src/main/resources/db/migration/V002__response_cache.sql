-- The response cache's persistent level: answers by request hash, so a restarted daemon still answers from cache.
CREATE TABLE response_cache (
    cache_key  TEXT    PRIMARY KEY,
    created_ms INTEGER NOT NULL,
    expires_ms INTEGER NOT NULL,
    answer     TEXT    NOT NULL
);
CREATE INDEX response_cache_by_expiry ON response_cache (expires_ms);
