-- Guarded rollouts (issue 21). The drain minute learns the requests and 5xx under /api/autorisen/
-- (minutes stored before this count 0 there, so a guard whose baseline predates it says it has too
-- little traffic there rather than guessing). guards: one row per guarded change; the baseline is
-- stored with it so a restarted instance resumes with the same one; state moves by compare-and-set
-- on version. Portable SQL.
ALTER TABLE drain_minutes ADD COLUMN requests_inside BIGINT NOT NULL DEFAULT 0;
ALTER TABLE drain_minutes ADD COLUMN status_5xx_inside BIGINT NOT NULL DEFAULT 0;

CREATE TABLE guards (
  id TEXT PRIMARY KEY,
  env TEXT NOT NULL,
  kind TEXT NOT NULL,
  change_key TEXT NOT NULL,
  label TEXT NOT NULL,
  action TEXT NOT NULL,
  state TEXT NOT NULL,
  started_at BIGINT NOT NULL,
  ends_at BIGINT NOT NULL,
  baseline TEXT NOT NULL,
  thread TEXT,
  release_version INTEGER,
  verdict TEXT,
  note TEXT,
  last_look_at BIGINT,
  ended_at BIGINT,
  ended_by TEXT,
  version INTEGER NOT NULL,
  UNIQUE (change_key)
);

CREATE INDEX guards_env_state ON guards (env, state);
