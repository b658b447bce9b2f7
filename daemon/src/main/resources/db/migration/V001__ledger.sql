-- The usage ledger: one row per request that reached a provider (design.md §5).
CREATE TABLE ledger (
    request_id        TEXT    PRIMARY KEY,
    created_ms        INTEGER NOT NULL,
    user_id           TEXT,
    key_id            TEXT,
    route             TEXT    NOT NULL,
    provider          TEXT    NOT NULL,
    model             TEXT    NOT NULL,
    prompt_tokens     INTEGER NOT NULL,
    completion_tokens INTEGER NOT NULL,
    cache_read_tokens INTEGER NOT NULL DEFAULT 0,
    cache_write_tokens INTEGER NOT NULL DEFAULT 0,
    cost_micros       INTEGER NOT NULL,
    cached            INTEGER NOT NULL DEFAULT 0,
    estimated         INTEGER NOT NULL DEFAULT 0,
    latency_ms        INTEGER NOT NULL,
    status            TEXT    NOT NULL,
    error_code        TEXT,
    upstream_status   INTEGER
);
CREATE INDEX ledger_by_time ON ledger (created_ms);
