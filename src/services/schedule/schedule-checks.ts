import { lockedMessage } from '../../core/deploys.ts';
import { FLAG_VAR } from '../../core/flag.ts';
import { formatWhen } from '../../core/schedule-time.ts';
import type { AuditEntry } from '../../ports/stores/audit.ts';
import type { ScheduleRecord } from '../../ports/stores/schedules.ts';
import type { ScheduleDeps } from './schedule-deps.ts';

/** Audit rows read to find a `flag off` since a schedule was made (the sweep looks every 15 s, SCHEDULE_SWEEP_MS). */
const AUDIT_WINDOW = 500;

/**
 * The `flag off` that ran in the schedule's environment after it was scheduled (or after its last
 * "Still turn it on"), if any: read from the audit log, where every flag off is written with the
 * bot's clock whoever ran it (a person, the guard, a button), on whichever instance.
 */
export async function offSince(
  d: Pick<ScheduleDeps, 'store'>,
  rec: ScheduleRecord,
  read: () => Promise<AuditEntry[]> = () => recentAudit(d),
): Promise<{ at: number; actor: string } | null> {
  const rows = await read();
  const off = rows
    .filter((r) => r.command === 'flag off' && r.action === 'execute' && r.result === 'ok')
    .filter((r) => r.env === rec.env && r.at > rec.quietSince)
    .sort((a, b) => a.at - b.at)[0];
  return off ? { at: off.at, actor: off.actorId } : null;
}

/** The audit rows a `flag off` is looked for in (a sweep reads them once for all its questions). */
export function recentAudit(d: Pick<ScheduleDeps, 'store'>): Promise<AuditEntry[]> {
  return d.store.audit.latest({ limit: AUDIT_WINDOW });
}

/**
 * Why a due schedule must not run now, re-checked at its time (null: go ahead; the gates and the
 * code check are the plan's, checked by the dispatcher as for anyone). The kill switch is never
 * blocked: a scheduled `off` runs whatever holds the lock, as a typed one does.
 */
export async function blockerOf(d: ScheduleDeps, rec: ScheduleRecord): Promise<string | null> {
  const env = d.config.environments.find((e) => e.name === rec.env);
  if (!env) return `the environment ${rec.env} is no longer configured.`;
  if (rec.target === 'off') return null;
  // Scheduled where no approval was needed, and the config asks for one now: never run it unapproved.
  if (env.requiresApproval && rec.approvalId === null)
    return `${rec.env} needs approval now, and none was collected when this was scheduled; schedule it again to ask for it.`;
  const zone = d.config.schedule.timezone;
  // Asked and unanswered, or turned off since (too close to its time for the question to be asked).
  const off = await offSince(d, rec);
  if (off || rec.askedAt !== null) {
    const at = off ? ` at ${formatWhen(off.at, zone)}` : '';
    return `${FLAG_VAR} was turned off in ${rec.env}${at}, after this was scheduled, and nobody confirmed it should still turn it on.`;
  }
  const now = d.clock.now();
  const lock = await d.store.locks.get(rec.env, now);
  if (lock) return lockedMessage(rec.env, lock);
  const [guard] = await d.store.guards.active(rec.env);
  if (guard)
    return `a guard is watching ${guard.label} in ${rec.env} (${guard.state}) until ${formatWhen(guard.endsAt, zone)}; a flag change now would stand it down.`;
  return null;
}
