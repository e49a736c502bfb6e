-- Alerts (issue 6): deliveries stored before the 202, groups by fingerprint (the outbox is every
-- group whose Slack rendering is behind: dirty = 1), digests, change notices, silences, change
-- history for the context line, and per-channel worker leases. Portable SQL for both dialects.
CREATE TABLE alert_deliveries (
  id TEXT PRIMARY KEY,
  source TEXT NOT NULL,
  dedup_key TEXT NOT NULL UNIQUE,
  resource TEXT,
  received_at BIGINT NOT NULL,
  body TEXT NOT NULL,
  outcome TEXT NOT NULL
);

CREATE INDEX alert_deliveries_received ON alert_deliveries (received_at);

CREATE TABLE alert_groups (
  fingerprint TEXT PRIMARY KEY,
  channel TEXT,
  source TEXT NOT NULL,
  env TEXT,
  severity TEXT NOT NULL,
  title TEXT NOT NULL,
  alert_json TEXT NOT NULL,
  status TEXT NOT NULL,
  count BIGINT NOT NULL,
  first_seen BIGINT NOT NULL,
  last_seen BIGINT NOT NULL,
  resolved_at BIGINT,
  resolved_by TEXT,
  acked_by TEXT,
  acked_at BIGINT,
  silenced_until BIGINT,
  silenced_by TEXT,
  context TEXT,
  message_ts TEXT,
  digest_id TEXT,
  claim_until BIGINT,
  version BIGINT NOT NULL,
  synced_version BIGINT NOT NULL,
  synced_count BIGINT NOT NULL,
  shown_silence BIGINT,
  dirty INTEGER NOT NULL
);

CREATE INDEX alert_groups_dirty ON alert_groups (dirty, first_seen);

CREATE INDEX alert_groups_open ON alert_groups (status, last_seen);

CREATE INDEX alert_groups_digest ON alert_groups (digest_id);

CREATE TABLE alert_digests (
  id TEXT PRIMARY KEY,
  channel TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  message_ts TEXT,
  claim_until BIGINT,
  version BIGINT NOT NULL,
  synced_version BIGINT NOT NULL
);

CREATE INDEX alert_digests_channel ON alert_digests (channel, created_at);

CREATE TABLE alert_notices (
  notice_key TEXT PRIMARY KEY,
  channel TEXT,
  env TEXT,
  text TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  claim_until BIGINT,
  posted_ts TEXT,
  posted_at BIGINT
);

CREATE INDEX alert_notices_pending ON alert_notices (posted_at, created_at);

CREATE TABLE alert_silences (
  id TEXT PRIMARY KEY,
  fingerprint TEXT NOT NULL,
  until_at BIGINT NOT NULL,
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL
);

CREATE INDEX alert_silences_fingerprint ON alert_silences (fingerprint, until_at);

CREATE TABLE alert_changes (
  change_key TEXT PRIMARY KEY,
  env TEXT NOT NULL,
  kind TEXT NOT NULL,
  at BIGINT NOT NULL,
  version BIGINT,
  commit_sha TEXT,
  actor TEXT,
  description TEXT NOT NULL
);

CREATE INDEX alert_changes_env_at ON alert_changes (env, at);

CREATE TABLE alert_leases (
  channel TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  until_at BIGINT NOT NULL
);
