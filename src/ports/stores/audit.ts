/** One row of the audit log: who did what, where, with what result. */
export interface AuditEntry {
  at: number;
  correlationId: string;
  actorId: string;
  channelId: string | null;
  /** Sub-command name, or "button", "webhook:sentry", … */
  command: string;
  /** What was asked, as typed (secrets never appear in commands). */
  args: string;
  /** invoke | deny | approval_requested | approve | reject | expire | execute | webhook | … */
  action: string;
  /** ok | denied | error | pending | noop | failed | rejected | expired | stale … */
  result: string;
  /** Human detail: the reason for a denial, the error message, the outcome. */
  detail: string | null;
  durationMs: number | null;
  env: string | null;
}

export interface AuditStore {
  append(entry: AuditEntry): Promise<void>;
  /** Newest first. */
  latest(opts: { limit: number; actorId?: string }): Promise<AuditEntry[]>;
}
