-- Heroku log drain metrics (issue 12): one row per environment-minute, never raw lines. Counts are
-- merged in the application (latency is an HdrHistogram in compressed base64, which SQL cannot
-- add), inside the transaction that also records the POST's Logplex-Frame-Id, so a redelivered
-- frame adds nothing. Follow-ups remember which before/after comparisons were posted. Portable SQL.
CREATE TABLE drain_minutes (
  env TEXT NOT NULL,
  minute BIGINT NOT NULL,
  requests BIGINT NOT NULL,
  status_5xx BIGINT NOT NULL,
  auth401_inside BIGINT NOT NULL,
  auth401_outside BIGINT NOT NULL,
  auth403_inside BIGINT NOT NULL,
  auth403_outside BIGINT NOT NULL,
  codes TEXT NOT NULL,
  latency TEXT NOT NULL,
  memory TEXT NOT NULL,
  load_max DOUBLE PRECISION,
  pg_connections DOUBLE PRECISION,
  pg_db_bytes DOUBLE PRECISION,
  PRIMARY KEY (env, minute)
);

CREATE INDEX drain_minutes_minute ON drain_minutes (minute);

CREATE TABLE drain_frames (
  env TEXT NOT NULL,
  frame_id TEXT NOT NULL,
  received_at BIGINT NOT NULL,
  PRIMARY KEY (env, frame_id)
);

CREATE INDEX drain_frames_received ON drain_frames (received_at);

CREATE TABLE drain_followups (
  key TEXT PRIMARY KEY,
  created_at BIGINT NOT NULL
);
