-- Key scopes (README, "The shared gateway" › Key scopes): what each key may do, as comma-separated names from
-- chat, keys, billing, admin. Keys made before scopes existed could already chat, make and revoke keys and read
-- billing, so they keep exactly that ('chat,keys,billing'): no one's saved login key stops working. They never get
-- 'admin', which only admin_emails grants. Operators narrow a key with
-- UPDATE api_keys SET scopes = 'chat' WHERE id = '...'.
ALTER TABLE api_keys ADD COLUMN scopes TEXT NOT NULL DEFAULT 'chat,keys,billing';
