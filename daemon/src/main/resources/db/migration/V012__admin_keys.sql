-- Keys that may be used only from some addresses (issue 15, keys): allowed_cidrs is a comma-separated list of
-- address blocks such as 203.0.113.0/24,2001:db8::/32; NULL means any address. Existing keys keep working from
-- anywhere. Accounts are listed for administrators newest first, hence the index.
ALTER TABLE api_keys ADD COLUMN allowed_cidrs TEXT;
CREATE INDEX accounts_by_created ON accounts (created_ms, id);
