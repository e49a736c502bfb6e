-- Flag history (issue 3): one row per Heroku release the bot made or saw, with FEATURE_AUTORISEN's
-- value in it, because the release list has no config vars and rollbacks restore old ones silently.
-- Portable SQL for both dialects; flag_known is 0/1.
CREATE TABLE release_history (
  app TEXT NOT NULL,
  version BIGINT NOT NULL,
  env TEXT NOT NULL,
  release_id TEXT NOT NULL,
  flag_value TEXT,
  flag_known INTEGER NOT NULL,
  source TEXT NOT NULL,
  actor TEXT,
  description TEXT NOT NULL,
  at BIGINT NOT NULL,
  PRIMARY KEY (app, version)
);
