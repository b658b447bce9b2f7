-- Agent sessions and reasoning tokens on each ledger row: usage can be grouped by the agent session a request
-- belonged to (Claude Code's x-claude-code-session-id, or X-Monkey-Session), and the reasoning share of the
-- output tokens (already billed inside completion_tokens) is kept apart.
ALTER TABLE ledger ADD COLUMN session_id TEXT;
ALTER TABLE ledger ADD COLUMN reasoning_tokens INTEGER NOT NULL DEFAULT 0;
CREATE INDEX ledger_by_session ON ledger (session_id);
