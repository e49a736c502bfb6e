import type { ProbeOutcome } from '../probes.ts';

/**
 * What started a contract probe run (issue 11 §3): `verify` (on demand), `flag` (after a flag
 * change), or the name of the workflow whose verify step ran it (deploy, rollback, release,
 * promote…), so a new workflow labels its probe runs without a list to extend.
 */
export type ProbeTrigger = string;

/**
 * One run of an environment's contract probes, as answered: kept so `/autorisen checklist` shows
 * the last result per environment (with its age and who or what ran it) without probing again.
 */
export interface ProbeRunRecord {
  env: string;
  /** Milliseconds since the epoch, when the run answered. */
  at: number;
  trigger: ProbeTrigger;
  /** The health URL answered 2xx and every probe passed. */
  ok: boolean;
  /** The health URL and the status it last answered (null: nothing answered). */
  health: { url: string; status: number | null } | null;
  results: ProbeOutcome[];
  /** Probes not run because they depend on the other flag state. */
  skipped: number;
  /** The flag as Heroku reported it during the run; null when not read or unreadable. */
  flag: 'on' | 'off' | null;
  /** Slack user id of who asked (the command's caller, or the workflow run's requester). */
  actor: string | null;
  /** The workflow run that verified (deploy, rollback, release); null for commands. */
  runId: string | null;
  /** The command's correlation id (audit rows share it); null for workflow steps. */
  correlationId: string | null;
}

export interface ProbeRunStore {
  record(run: ProbeRunRecord): Promise<void>;
  /** The newest run for `env`, or null when none is stored. */
  latest(env: string): Promise<ProbeRunRecord | null>;
  /** Newest first, at most `limit`. */
  list(env: string, limit: number): Promise<ProbeRunRecord[]>;
  /** Retention: delete runs older than `cutoff`, except each environment's newest; returns how many. */
  prune(cutoff: number): Promise<number>;
}
