-- Scheduled flag changes (issue 23 §1): `flag on|off <env> at/in …`, stored once approved ahead.
-- Runs are claimed by compare-and-set on `state` (scheduled → running), so one instance runs each.
CREATE TABLE scheduled_changes (
  id TEXT PRIMARY KEY,
  env TEXT NOT NULL,
  target TEXT NOT NULL,
  reason TEXT,
  forced INTEGER NOT NULL,
  run_at BIGINT NOT NULL,
  requester_id TEXT NOT NULL,
  channel_id TEXT NOT NULL,
  approval_id TEXT,
  approved_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  state TEXT NOT NULL,
  message_channel TEXT,
  message_ts TEXT,
  quiet_since BIGINT NOT NULL,
  asked_at BIGINT,
  claimed_at BIGINT,
  claimed_by TEXT,
  finished_at BIGINT,
  outcome TEXT,
  correlation_id TEXT NOT NULL
);
CREATE INDEX scheduled_changes_state_run_at ON scheduled_changes (state, run_at);
