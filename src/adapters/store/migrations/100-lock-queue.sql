-- Lock queues (issue 23 §3): who waits for an environment's lock, first in first out. A row is
-- `waiting` until its turn comes (`notified`, claimed by compare-and-set so one instance tells them),
-- then `done` once the lock was taken and released again after that turn, or `left`.
CREATE TABLE lock_queue (
  id TEXT PRIMARY KEY,
  env TEXT NOT NULL,
  user_id TEXT NOT NULL,
  channel_id TEXT NOT NULL,
  command_text TEXT NOT NULL,
  queued_at BIGINT NOT NULL,
  state TEXT NOT NULL,
  notified_at BIGINT
);
CREATE UNIQUE INDEX lock_queue_waiting_once ON lock_queue (env, user_id, command_text) WHERE state = 'waiting';
CREATE INDEX lock_queue_env_state ON lock_queue (env, state, queued_at);
