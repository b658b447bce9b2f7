-- Mail from the shared gateway (issue 15). Single-use tokens of the verification and password-reset mails, kept
-- only as the HMAC of the token with the gateway's secret (like keys): token_hash is hex. purpose is 'verify' or
-- 'reset'; used_ms is set when a token is spent (NULL: not yet), expires_ms is when it stops working.
CREATE TABLE email_tokens (
    token_hash TEXT    PRIMARY KEY,
    account_id TEXT    NOT NULL,
    purpose    TEXT    NOT NULL,
    created_ms INTEGER NOT NULL,
    expires_ms INTEGER NOT NULL,
    used_ms    INTEGER
);
CREATE INDEX email_tokens_by_account ON email_tokens (account_id, purpose);
-- When the account was last told its balance fell below low_credit_threshold_usd (NULL: not since it was last
-- above it): one notice per crossing, whichever instance sees it first.
ALTER TABLE accounts ADD COLUMN low_credit_notified_ms INTEGER;
-- Starter credits are now granted through credit_adjustments with the reference 'starter:<account id>', so they
-- are granted once. Accounts made before got theirs at registration: a zero row each marks them as granted, so
-- verifying their email later grants nothing more.
INSERT INTO credit_adjustments (id, account_id, amount_micros, kind, reference, reason, actor, created_ms)
    SELECT 'adj_starter_' || id, id, 0, 'starter', 'starter:' || id, 'granted at registration', 'system', created_ms
    FROM accounts
