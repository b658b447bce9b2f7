-- Credits that cannot be overrun (issue 11, "Money"): each gateway instance has an id and a heartbeat, and each
-- credit hold names the instance whose request holds it, so a hold is given back only once its instance is gone
-- (not after a fixed hour, which freed the holds of long requests still running). A balance may now go below
-- zero: a request that cost more than its hold is debited in full, and a negative balance refuses the next
-- request (402) instead of the overrun being written off. Statements marked for one engine run only there.
CREATE TABLE instances (
    id           TEXT    PRIMARY KEY,
    heartbeat_ms INTEGER NOT NULL
);
ALTER TABLE credit_holds ADD COLUMN instance_id TEXT;
CREATE INDEX credit_holds_by_account ON credit_holds (account_id);
/*postgres*/ ALTER TABLE accounts DROP CONSTRAINT IF EXISTS accounts_credit_micros_check;
-- SQLite cannot drop a CHECK constraint: the table is rebuilt without it (foreign keys are not enforced here,
-- and api_keys refers to the table by name, which the rebuilt one takes over).
/*sqlite*/ CREATE TABLE accounts_v6 (
    id            TEXT    PRIMARY KEY,
    email         TEXT    NOT NULL UNIQUE,
    password_hash TEXT    NOT NULL,
    tier          TEXT    NOT NULL,
    credit_micros INTEGER NOT NULL,
    created_ms    INTEGER NOT NULL
);
/*sqlite*/ INSERT INTO accounts_v6 (id, email, password_hash, tier, credit_micros, created_ms)
    SELECT id, email, password_hash, tier, credit_micros, created_ms FROM accounts;
/*sqlite*/ DROP TABLE accounts;
/*sqlite*/ ALTER TABLE accounts_v6 RENAME TO accounts
