-- Accounts and their keys (design.md §3, §4), credit holds, and the ledger's per-user index.
-- Written once for SQLite and PostgreSQL: TEXT ids, INTEGER (BIGINT on PostgreSQL) milliseconds and micro-dollars.
CREATE TABLE accounts (
    id            TEXT    PRIMARY KEY,
    email         TEXT    NOT NULL UNIQUE,
    password_hash TEXT    NOT NULL,
    tier          TEXT    NOT NULL,
    credit_micros INTEGER NOT NULL CHECK (credit_micros >= 0),
    created_ms    INTEGER NOT NULL
);
-- Keys are kept as HMAC-SHA256 (hex) with the server's secret, plus a short prefix that may be shown.
CREATE TABLE api_keys (
    id                 TEXT    PRIMARY KEY,
    account_id         TEXT    NOT NULL REFERENCES accounts (id),
    key_hash           TEXT    NOT NULL UNIQUE,
    prefix             TEXT    NOT NULL,
    name               TEXT,
    created_ms         INTEGER NOT NULL,
    last_used_ms       INTEGER,
    expires_ms         INTEGER,
    revoked_ms         INTEGER,
    requests_per_hour  INTEGER,
    requests_per_month INTEGER
);
CREATE INDEX api_keys_by_account ON api_keys (account_id);
-- Worst-case costs reserved from a balance while a request runs; the ledger commit that records the request
-- settles its hold in the same transaction, so a balance is charged exactly once per request.
CREATE TABLE credit_holds (
    request_id    TEXT    PRIMARY KEY,
    account_id    TEXT    NOT NULL,
    amount_micros INTEGER NOT NULL,
    created_ms    INTEGER NOT NULL
);
CREATE INDEX credit_holds_by_time ON credit_holds (created_ms);
CREATE INDEX ledger_by_user_time ON ledger (user_id, created_ms);
