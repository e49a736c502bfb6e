-- Issue 19 item 3: a lock's reason is plain text, escaped wherever it is shown; who holds the lock is
-- its holder_id, shown as a live mention. Earlier versions also wrote the holder's mention into the
-- reason ("rolled back to v1 by <@U…>", "… (requested by <@U…>)", "… (retried by <@U…>)"), which then
-- reached Slack escaped. Take those mentions out of the locks still held (portable SQL, both dialects).
UPDATE env_locks SET reason = REPLACE(reason, ' (requested by <@' || holder_id || '>)', '')
  WHERE kind <> 'manual';
UPDATE env_locks SET reason = REPLACE(reason, ' (retried by <@' || holder_id || '>)', ' (retried)')
  WHERE kind <> 'manual';
UPDATE env_locks SET reason = REPLACE(reason, ' by <@' || holder_id || '>', '')
  WHERE kind = 'manual' AND reason LIKE 'rolled back to v%';
