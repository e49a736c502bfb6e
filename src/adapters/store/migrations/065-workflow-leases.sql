-- Which instance drives which workflow run, until when (issue 19 §7). An instance renews its leases
-- while it lives; a run whose lease expired (its instance was killed) is taken over by a live one.
CREATE TABLE workflow_leases (
  run_id TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX workflow_leases_owner ON workflow_leases (owner);
