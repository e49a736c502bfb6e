-- Foundation tables: audit log, approvals, environment locks, dedup keys.
-- A dialect pair only because the audit log's auto-increment id is spelled differently;
-- everything else is identical in 001-foundation.postgres.sql.
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
CREATE TABLE approvals (
  id TEXT PRIMARY KEY,
  command TEXT NOT NULL,
  input_json TEXT NOT NULL,
  plan_json TEXT NOT NULL,
  requester_id TEXT NOT NULL,
  channel_id TEXT NOT NULL,
  env TEXT,
  approver_role TEXT NOT NULL,
  state TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  decided_by TEXT,
  decided_at BIGINT,
  outcome TEXT,
  message_channel TEXT,
  message_ts TEXT,
  correlation_id TEXT NOT NULL
);

CREATE INDEX approvals_state_expires ON approvals (state, expires_at);

-- One row per locked environment; expires_at NULL for manual locks (never expire).
CREATE TABLE env_locks (
  env TEXT PRIMARY KEY,
  holder_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  reason TEXT NOT NULL,
  token TEXT NOT NULL,
  acquired_at BIGINT NOT NULL,
  expires_at BIGINT
);

-- Exactly-once keys for Slack and webhook retries; expired rows may be reclaimed or pruned.
CREATE TABLE dedup_keys (
  dedup_key TEXT PRIMARY KEY,
  claimed_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);

CREATE INDEX dedup_keys_expires ON dedup_keys (expires_at);
