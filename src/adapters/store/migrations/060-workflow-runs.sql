-- Workflow runs (issue 11): one row per run of a deploy, rollback, release or task. The engine moves
-- step_index/state with compare-and-set on version, so a restart resumes at the step it was in and
-- no step is advanced twice. JSON columns are TEXT. Portable SQL for both dialects.
CREATE TABLE workflow_runs (
  id TEXT PRIMARY KEY,
  workflow TEXT NOT NULL,
  env TEXT NOT NULL,
  input_json TEXT NOT NULL,
  state TEXT NOT NULL,
  step_index INTEGER NOT NULL,
  data_json TEXT NOT NULL,
  scratch_json TEXT NOT NULL,
  waiting_for TEXT,
  wake_at BIGINT,
  error TEXT,
  offers_json TEXT NOT NULL,
  requester_id TEXT NOT NULL,
  status_channel TEXT,
  status_ts TEXT,
  lock_token TEXT,
  correlation_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  finished_at BIGINT
);

CREATE INDEX workflow_runs_state ON workflow_runs (state);

CREATE INDEX workflow_runs_workflow_env ON workflow_runs (workflow, env, created_at);
