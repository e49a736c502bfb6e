-- The audit log. A dialect pair only because its auto-increment id is spelled differently;
-- the other foundation tables are portable (002-foundation.sql).
-- The id orders entries written in the same millisecond (newest first = at DESC, id DESC).
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at BIGINT NOT NULL,
  correlation_id TEXT NOT NULL,
  actor_id TEXT NOT NULL,
  channel_id TEXT,
  command TEXT NOT NULL,
  args TEXT NOT NULL,
  action TEXT NOT NULL,
  result TEXT NOT NULL,
  detail TEXT,
  duration_ms BIGINT,
  env TEXT
);

CREATE INDEX audit_log_at ON audit_log (at, id);

CREATE INDEX audit_log_actor_at ON audit_log (actor_id, at, id);

CREATE INDEX audit_log_correlation ON audit_log (correlation_id);

-- Approval requests: survive restarts; decided by compare-and-set on `state`.
-- No CHECK on state: the states live in src/ports/stores/approvals.ts, and SQLite cannot alter a CHECK.
-- input_json / plan_json hold JSON text (portable across both dialects).
