-- Break-glass (issue 23 §2): an admin's change that skips the second person. A row is `pending`
-- while its confirmation (the Slack modal, the shell's prompt) is open; typing the environment's
-- name moves it to `confirmed` by compare-and-set, so a double submit, a Slack retry or a second
-- instance runs it once; then `done` with its outcome. Its review is `open` from then until someone
-- other than the actor acknowledges it; `remind_at` is claimed by compare-and-set, so each reminder
-- is sent once across instances. The id is random and travels in the modal's private_metadata;
-- everything the modal confirms is read from this row, never from the metadata.
CREATE TABLE break_glass (
  id TEXT PRIMARY KEY,
  actor_id TEXT NOT NULL,
  channel_id TEXT NOT NULL,
  command TEXT NOT NULL,
  command_text TEXT NOT NULL,
  env TEXT NOT NULL,
  reason TEXT NOT NULL,
  state TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  confirmed_at BIGINT,
  outcome TEXT,
  review_state TEXT NOT NULL,
  review_channel TEXT,
  review_ts TEXT,
  remind_at BIGINT,
  reminders INTEGER NOT NULL DEFAULT 0,
  reviewed_by TEXT,
  reviewed_at BIGINT
);
CREATE INDEX break_glass_reviews_due ON break_glass (review_state, remind_at);
