-- Contract probe runs (issue 11 §3): every run's answer, whatever started it (`/autorisen verify`, a
-- flag change, a deploy, a rollback or a release), so `/autorisen checklist` shows the last result
-- per environment instead of probing live. A dialect pair only because the auto-increment id is
-- spelled differently (as in 001-audit-log); the id orders runs recorded in the same millisecond.
-- trigger_kind: verify | flag | deploy | rollback | release (no CHECK: the list lives in
-- src/ports/stores/probe-runs.ts). ok is 0/1; results_json is the per-probe answers as JSON text.
CREATE TABLE probe_runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  env TEXT NOT NULL,
  at BIGINT NOT NULL,
  trigger_kind TEXT NOT NULL,
  ok INTEGER NOT NULL,
  health_url TEXT,
  health_status INTEGER,
  flag TEXT,
  results_json TEXT NOT NULL,
  skipped INTEGER NOT NULL,
  actor TEXT,
  run_id TEXT,
  correlation_id TEXT
);

CREATE INDEX probe_runs_env_at ON probe_runs (env, at, id);
