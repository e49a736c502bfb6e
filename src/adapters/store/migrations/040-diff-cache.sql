-- OpenAPI diff result cache (issue 4): one row per (base hash, revision hash, namespace, engine
-- version) key. Bounded by the store (age, entry count, entry size), so it never grows unchecked.
CREATE TABLE diff_cache (
  cache_key TEXT PRIMARY KEY,
  report TEXT NOT NULL,
  bytes BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  used_at BIGINT NOT NULL
);

CREATE INDEX diff_cache_used ON diff_cache (used_at);
