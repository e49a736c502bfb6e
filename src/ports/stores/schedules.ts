/**
 * Scheduled flag changes (issue 23 §1, migration 120): one row per `flag on|off <env> at/in …`
 * stored once its approval (if any) was given. Moved only by compare-and-set, so with several
 * instances exactly one runs it, and a restart finds it where it was.
 *
 * scheduled → running (claimed) → ran | failed; scheduled → skipped (missed, blocked, unconfirmed)
 * | cancelled; running → ran | failed | skipped (settled by reading the flag back after a crash).
 */
export const SCHEDULE_STATES = ['scheduled', 'running', 'ran', 'failed', 'skipped', 'cancelled'] as const;
export type ScheduleState = (typeof SCHEDULE_STATES)[number];

export interface ScheduleRecord {
  id: string;
  env: string;
  target: 'on' | 'off';
  reason: string | null;
  force: boolean;
  runAt: number;
  requesterId: string;
  /** Where it was asked for. */
  channelId: string;
  /** The approval that approved it ahead (null where none was needed) and who approved it. */
  approvalId: string | null;
  approvedBy: string[];
  createdAt: number;
  state: ScheduleState;
  /** The message whose thread hears how it went. */
  messageChannel: string | null;
  messageTs: string | null;
  /** A flag off after this time asks whether a scheduled `on` should still run. */
  quietSince: number;
  /** When that question was posted, while unanswered (null: nothing to confirm). */
  askedAt: number | null;
  claimedAt: number | null;
  claimedBy: string | null;
  finishedAt: number | null;
  /** How it ended, one sentence (also the reason it was skipped). */
  outcome: string | null;
  correlationId: string;
}

export type NewSchedule = Omit<
  ScheduleRecord,
  'state' | 'messageChannel' | 'messageTs' | 'askedAt' | 'claimedAt' | 'claimedBy' | 'finishedAt' | 'outcome'
>;

export interface ScheduleStore {
  create(rec: NewSchedule): Promise<ScheduleRecord>;
  get(id: string): Promise<ScheduleRecord | null>;
  /** Scheduled or running, soonest first. */
  open(): Promise<ScheduleRecord[]>;
  /** Finished since `since`, newest first (for `schedule list`). */
  finished(since: number, limit: number): Promise<ScheduleRecord[]>;
  setMessage(id: string, channel: string, ts: string): Promise<void>;
  /**
   * Compare-and-set: move `from` → `to` with what it says; false when the row was not in `from`
   * (another instance claimed or settled it first).
   */
  transition(
    id: string,
    from: ScheduleState,
    to: ScheduleState,
    patch: Partial<Pick<ScheduleRecord, 'claimedAt' | 'claimedBy' | 'finishedAt' | 'outcome'>>,
  ): Promise<boolean>;
  /** Compare-and-set: mark the question "still run it?" posted at `at`; false when already asked. */
  ask(id: string, at: number): Promise<boolean>;
  /** Compare-and-set: the question was answered "still run it" at `at`; false when nothing was asked. */
  keep(id: string, at: number): Promise<boolean>;
}
