-- Accounts that can be billed, administered and audited (issue 15). Each account gains a role (user or admin), the
-- plan it subscribes to (NULL: the default plan of its tier), the time it was disabled (NULL: enabled) and the
-- time its email address was verified (NULL: not yet). Accounts made before this keep working as they did.
ALTER TABLE accounts ADD COLUMN role TEXT NOT NULL DEFAULT 'user';
ALTER TABLE accounts ADD COLUMN plan TEXT;
ALTER TABLE accounts ADD COLUMN disabled_ms INTEGER;
ALTER TABLE accounts ADD COLUMN email_verified_ms INTEGER;
-- The audit log: who did what to which account, from where. account_id is the account the event concerns (NULL
-- for events that concern none, such as a webhook with a bad signature); actor is the account or system part
-- that acted (an admin's account id, 'stripe', 'system'). details is a small JSON object. Ids sort by time.
CREATE TABLE audit_log (
    id             TEXT    PRIMARY KEY,
    time_ms        INTEGER NOT NULL,
    account_id     TEXT,
    actor          TEXT    NOT NULL,
    action         TEXT    NOT NULL,
    target         TEXT,
    client_address TEXT,
    user_agent     TEXT,
    details        TEXT
);
CREATE INDEX audit_log_by_time ON audit_log (time_ms);
CREATE INDEX audit_log_by_account ON audit_log (account_id, time_ms);
-- Every change to a balance that is not a request's cost: purchases, refunds, plan credits, admin grants,
-- starter credits. reference is what makes a change happen once (a Stripe event or charge id); NULL for
-- changes that need no such guard (an admin's grant). The balance and this row change in one transaction.
CREATE TABLE credit_adjustments (
    id            TEXT    PRIMARY KEY,
    account_id    TEXT    NOT NULL,
    amount_micros INTEGER NOT NULL,
    kind          TEXT    NOT NULL,
    reference     TEXT    UNIQUE,
    reason        TEXT,
    actor         TEXT    NOT NULL,
    created_ms    INTEGER NOT NULL
);
CREATE INDEX credit_adjustments_by_account ON credit_adjustments (account_id, created_ms);
