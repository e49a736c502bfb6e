-- Alert activity (the chart on alert messages): occurrences per alert per minute, counted by the
-- intake in the same upsert transaction as alert_groups.count, so a storm adds one small row per
-- alert-minute rather than one per event. Chart tokens are opaque (an HMAC of the fingerprint), so
-- the public chart URL never shows the fingerprint; this table maps them back. Portable SQL.
CREATE TABLE alert_occurrences (
  fingerprint TEXT NOT NULL,
  minute BIGINT NOT NULL,
  count BIGINT NOT NULL,
  PRIMARY KEY (fingerprint, minute)
);

CREATE INDEX alert_occurrences_minute ON alert_occurrences (minute);

CREATE TABLE alert_chart_links (
  token TEXT PRIMARY KEY,
  fingerprint TEXT NOT NULL,
  created_at BIGINT NOT NULL
);

CREATE INDEX alert_chart_links_fingerprint ON alert_chart_links (fingerprint);
