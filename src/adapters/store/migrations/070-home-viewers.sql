-- App Home (issue 13): who opened the bot's Home tab lately, so a change is republished to them.
CREATE TABLE home_viewers (
  user_id TEXT PRIMARY KEY,
  opened_at BIGINT NOT NULL
);
CREATE INDEX home_viewers_opened ON home_viewers (opened_at);
