-- Issue 19 item 3: a lock's reason is plain text, escaped wherever it is shown; who holds the lock is
-- its holder_id, shown as a live mention. Earlier versions wrote the bot's own mention into the reason
-- ("rolled back to v1 by <@U…>", "… (requested by <@U…>)", "… (retried by <@U…>)"), which then
-- reached Slack escaped. Take those mentions out of the locks still held (the holder is the same user).
UPDATE env_locks SET reason = substr(reason, 1, instr(reason, ' (requested by <@') - 1)
  WHERE kind <> 'manual' AND reason LIKE '% (requested by <@%>)';
UPDATE env_locks SET reason = substr(reason, 1, instr(reason, ' (retried by <@') - 1) || ' (retried)'
  WHERE kind <> 'manual' AND reason LIKE '% (retried by <@%>)';
UPDATE env_locks SET reason = substr(reason, 1, instr(reason, ' by <@') - 1)
    || substr(reason, instr(reason, ' by <@') + instr(substr(reason, instr(reason, ' by <@')), '>'))
  WHERE kind = 'manual' AND reason LIKE 'rolled back to v% by <@%>%';
