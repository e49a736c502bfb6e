-- Deploys and rollbacks (issue 5): one row per run, its state moved by compare-and-set so a restart
-- resumes from what was persisted and no step runs twice. Portable SQL for both dialects.
CREATE TABLE deploys (
  id TEXT PRIMARY KEY,
  env TEXT NOT NULL,
  app TEXT NOT NULL,
  kind TEXT NOT NULL,
  ref TEXT,
  sha TEXT,
  target_release_id TEXT,
  target_version BIGINT,
  previous_version BIGINT,
  requester_id TEXT NOT NULL,
  approver_id TEXT,
  approval_id TEXT,
  state TEXT NOT NULL,
  backup INTEGER NOT NULL,
  backup_transfer_id TEXT,
  backup_name TEXT,
  build_id TEXT,
  release_version BIGINT,
  github_deployment_id BIGINT,
  status_channel TEXT,
  status_ts TEXT,
  lock_token TEXT,
  output_tail TEXT,
  error TEXT,
  correlation_id TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  finished_at BIGINT
);

CREATE INDEX deploys_state ON deploys (state);

CREATE INDEX deploys_env_created ON deploys (env, created_at);
