import type { Logger } from '../ports/logger.ts';
import type { AuditEntry } from '../ports/stores/audit.ts';
import type { Store } from '../ports/store.ts';

/** Fields most audit rows share; the rest default to null. */
export type AuditInput = Pick<AuditEntry, 'at' | 'correlationId' | 'actorId' | 'command' | 'action' | 'result'> &
  Partial<AuditEntry>;

export function auditEntry(input: AuditInput): AuditEntry {
  return { channelId: null, args: '', detail: null, durationMs: null, env: null, ...input };
}

/** Append an audit row; a failing audit write is logged loudly but never hides the user's result. */
export async function audit(store: Store, log: Logger, input: AuditInput): Promise<void> {
  try {
    await store.audit.append(auditEntry(input));
  } catch (err) {
    log.error({ err, audit: input }, 'audit write failed');
  }
}
