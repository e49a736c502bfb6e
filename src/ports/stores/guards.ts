import type { GuardBaseline, GuardVerdict } from '../../core/guard/guard-types.ts';

/**
 * Guards of production changes (issue 21, migration 090): one row per guarded change, with the
 * baseline it compares against, moved by compare-and-set on `version` so that with several
 * instances exactly one trips it, and a restarted instance resumes with the same baseline.
 */

/** watching → tripped → acted | action_failed; watching → passed | stood_down | stopped. */
export const GUARD_STATES = [
  'watching',
  'tripped',
  'acted',
  'action_failed',
  'passed',
  'stood_down',
  'stopped',
] as const;
export type GuardState = (typeof GUARD_STATES)[number];

export type GuardKind = 'flag' | 'deploy' | 'release';
export type GuardActionName = 'flag_off' | 'notify' | 'rollback';

export interface GuardRecord {
  id: string;
  env: string;
  kind: GuardKind;
  /** One guard per change ("flag:production:v42", "deploy:<run id>"). */
  changeKey: string;
  /** "FEATURE_AUTORISEN went on", "the deploy of 1a2b3c4 (v43)". */
  label: string;
  action: GuardActionName;
  state: GuardState;
  startedAt: number;
  endsAt: number;
  baseline: GuardBaseline;
  /** The change's own Slack thread, to answer in. */
  thread: { channel: string; ts: string } | null;
  /** The Heroku release the change made: a newer one (a flag flip or deploy by anyone) stands the guard down. */
  releaseVersion: number | null;
  /** The latest look's verdict (what `/autorisen guard` shows), null before the first. */
  verdict: GuardVerdict | null;
  /** Why it stood down, that it is blind, what the action did… */
  note: string | null;
  lastLookAt: number | null;
  endedAt: number | null;
  /** Who ended it: "guard", a user id (guard stop), or null. */
  endedBy: string | null;
  version: number;
}

export type GuardPatch = Partial<
  Pick<GuardRecord, 'state' | 'verdict' | 'note' | 'lastLookAt' | 'endedAt' | 'endedBy'>
>;

export interface GuardStore {
  /** Start guarding a change; false when that change already has a guard (another instance, a retry). */
  create(g: Omit<GuardRecord, 'version'>): Promise<boolean>;
  get(id: string): Promise<GuardRecord | null>;
  /** Guards still watching (or tripped and acting), oldest first; of one environment when given. */
  active(env?: string): Promise<GuardRecord[]>;
  /** Guards of `env` started at or after `since`, newest first. */
  recent(env: string, since: number, limit: number): Promise<GuardRecord[]>;
  /** Compare-and-set on `version`: true when this caller moved it (and it is now version + 1). */
  update(id: string, version: number, patch: GuardPatch): Promise<boolean>;
}
