-- N-of-M approvals (issue 23 §5): how many distinct approvers a request needs (1 for every request
-- an older version wrote), and one row per approval so a double click, a Slack retry or a second
-- instance can never count the same person twice. The move to `approved` stays a compare-and-set
-- on approvals.state, in the same transaction as the row that completes the count.
ALTER TABLE approvals ADD COLUMN approvals_needed INTEGER NOT NULL DEFAULT 1;
CREATE TABLE approval_votes (
  approval_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  voted_at BIGINT NOT NULL,
  PRIMARY KEY (approval_id, user_id)
);
