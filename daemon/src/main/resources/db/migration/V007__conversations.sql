-- Stored conversations (issue 14): a /v1/execute with session_id appends each completed exchange to one, and
-- GET/DELETE /v1/sessions read and remove them, always scoped to their owner. Messages are written in
-- user/assistant pairs (seq 2n and 2n+1); pruning removes the oldest pairs, so next_seq only ever grows and a
-- seq is never reused. Messages are deleted with their conversation by the store (SQLite enforces no foreign keys).
CREATE TABLE conversations (
    id            TEXT    PRIMARY KEY,
    owner_id      TEXT    NOT NULL,
    title         TEXT    NOT NULL,
    model         TEXT,
    created_ms    INTEGER NOT NULL,
    updated_ms    INTEGER NOT NULL,
    message_count INTEGER NOT NULL,
    next_seq      INTEGER NOT NULL
);
CREATE INDEX conversations_by_owner ON conversations (owner_id, updated_ms);
CREATE TABLE conversation_messages (
    conversation_id TEXT    NOT NULL,
    seq             INTEGER NOT NULL,
    role            TEXT    NOT NULL,
    content         TEXT    NOT NULL,
    model           TEXT,
    created_ms      INTEGER NOT NULL,
    PRIMARY KEY (conversation_id, seq)
);
