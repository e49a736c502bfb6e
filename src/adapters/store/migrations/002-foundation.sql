-- Foundation tables: approvals, environment locks, dedup keys (portable SQL, both dialects).
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
