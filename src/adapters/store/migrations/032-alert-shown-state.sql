-- What an alert message last showed of the alert's state (issue 9 item 8). A silence holds back
-- repeats only: an acknowledgement or a resolution of a silenced alert must still reach its
-- message, so the worker compares these with the row to tell such a change from a repeat.
-- NULL (rows from before this migration) counts as "not known to be shown". Portable SQL.
ALTER TABLE alert_groups ADD COLUMN shown_status TEXT;
ALTER TABLE alert_groups ADD COLUMN shown_acked_by TEXT;
