import type { Role } from '../core/roles.ts';
import type { ScheduleRecord } from './stores/schedules.ts';

/**
 * A scheduled flag change to store, approved (or needing no approval) now; `approvalId` is the
 * approval it was approved under (ctx.approval), null where none was needed.
 */
export type ScheduleRequest = Pick<
  ScheduleRecord,
  'env' | 'target' | 'reason' | 'force' | 'runAt' | 'requesterId' | 'channelId' | 'approvalId' | 'correlationId'
>;

/** Scheduled flag changes as commands see them (issue 23 §1; services/schedule behind it). */
export interface SchedulePort {
  /** The zone `at …` times are read and shown in (config schedule.timezone, default UTC). */
  readonly timezone: string;
  /** Store it and post the message its run is told under; the stored record. */
  schedule(req: ScheduleRequest): Promise<ScheduleRecord>;
  /** One mrkdwn line each: the open ones (soonest first) and those finished in the last day (newest first). */
  list(): Promise<{ open: string[]; recent: string[] }>;
  /** Cancel one (the requester, or an operator or admin); what to answer. */
  cancel(id: string, by: { userId: string; role: Role }, correlationId: string): Promise<{ ok: boolean; text: string }>;
}
