-- Sessions and two-factor authentication. A session is a sign-in from one client: it holds a family of refresh
-- tokens, of which only the newest is live; each token is kept as its HMAC-SHA256 (hex) with the server secret,
-- as keys are, and marked spent when it is exchanged, so a spent token presented again is recognised as a theft
-- and ends the whole session. expires_ms moves forward on each refresh.
CREATE TABLE auth_sessions (
    id             TEXT    PRIMARY KEY,
    account_id     TEXT    NOT NULL,
    created_ms     INTEGER NOT NULL,
    last_used_ms   INTEGER NOT NULL,
    expires_ms     INTEGER NOT NULL,
    revoked_ms     INTEGER,
    revoked_reason TEXT,
    client_address TEXT,
    user_agent     TEXT
);
CREATE INDEX auth_sessions_by_account ON auth_sessions (account_id);
CREATE TABLE session_refresh_tokens (
    token_hash TEXT    PRIMARY KEY,
    session_id TEXT    NOT NULL,
    created_ms INTEGER NOT NULL,
    spent_ms   INTEGER
);
CREATE INDEX session_refresh_tokens_by_session ON session_refresh_tokens (session_id);
-- An account's TOTP secret, sealed with AES-GCM under a key derived from the server secret (never in clear).
-- enabled_ms is NULL while enrolment waits for its first code. last_step is the newest time step whose code was
-- accepted: a code is taken once, never again within its window.
CREATE TABLE mfa_secrets (
    account_id    TEXT    PRIMARY KEY,
    secret_sealed TEXT    NOT NULL,
    created_ms    INTEGER NOT NULL,
    enabled_ms    INTEGER,
    last_step     INTEGER
);
-- Single-use recovery codes, as HMAC-SHA256 (hex) with the server secret; used_ms is set when one is spent.
CREATE TABLE mfa_recovery_codes (
    account_id TEXT    NOT NULL,
    code_hash  TEXT    NOT NULL,
    used_ms    INTEGER,
    PRIMARY KEY (account_id, code_hash)
)
