import type { WorkflowRun } from '../../ports/stores/workflows.ts';
import type { Store } from '../../ports/store.ts';

/**
 * What the bot's own workflow runs changed on an environment, read from their rows: the steps that
 * put a release on an environment (a build, a promotion, a rollback) leave `{ env, version }` in
 * their data. Home (what runs and whether it was verified) and the drain's before/after marks read
 * this; the workflow definitions themselves are not needed.
 */
export interface EnvChange {
  runId: string;
  workflow: string;
  /** The release the run put on the environment, if it got that far. */
  version: number | null;
  sha: string | null;
  ref: string | null;
  /** A rollback's target version. */
  targetVersion: number | null;
  /** done: released and verified; stopped: failed, faulty or abandoned; active: still going. */
  outcome: 'done' | 'stopped' | 'active';
  requesterId: string;
  createdAt: number;
  finishedAt: number | null;
  updatedAt: number;
  thread: { channel: string; ts: string } | null;
}

/** The release a run put on `env`: the last step whose data names that environment and a version. */
export function releasedOn(run: Pick<WorkflowRun, 'data'>, env: string): number | null {
  let version: number | null = null;
  for (const d of Object.values(run.data)) {
    const o = d as { env?: unknown; version?: unknown } | null;
    if (o && o.env === env && typeof o.version === 'number') version = o.version;
  }
  return version;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** One run as a change of `env`, or null when it never touched that environment. */
export function changeOf(run: WorkflowRun, env: string): EnvChange | null {
  const input = (run.input ?? {}) as Record<string, unknown>;
  const touches = run.env === env || input.staging === env || input.production === env || input.env === env;
  if (!touches) return null;
  return {
    runId: run.id,
    workflow: run.workflow,
    version: releasedOn(run, env),
    sha: str(input.sha),
    ref: str(input.ref),
    targetVersion: typeof input.targetVersion === 'number' ? input.targetVersion : null,
    outcome: run.state === 'done' ? 'done' : run.state === 'running' || run.state === 'waiting' ? 'active' : 'stopped',
    requesterId: run.requesterId,
    createdAt: run.createdAt,
    finishedAt: run.finishedAt,
    updatedAt: run.updatedAt,
    thread: run.statusChannel && run.statusTs ? { channel: run.statusChannel, ts: run.statusTs } : null,
  };
}

/**
 * Workflows that change nothing an environment runs (a one-off task). Every other workflow
 * (deploy, rollback, release, promote, and any added later) is a change, with no list to extend.
 */
const NOT_CHANGING = new Set(['task']);

/** The newest runs of the workflows that change what runs, for `changesOn` (one read serves every environment). */
export async function recentRuns(store: Pick<Store, 'workflows'>, limit: number): Promise<WorkflowRun[]> {
  return (await store.workflows.latest({ workflow: null, env: null, limit })).filter(
    (r) => !NOT_CHANGING.has(r.workflow),
  );
}

/** Of `runs` (newest first), those that changed (or are changing) `env`, at most `limit`. */
export function changesOn(runs: readonly WorkflowRun[], env: string, limit: number): EnvChange[] {
  return runs
    .map((r) => changeOf(r, env))
    .filter((c): c is EnvChange => c !== null)
    .slice(0, limit);
}

/** The newest runs that changed (or are changing) `env`, newest first. */
export async function recentChanges(store: Pick<Store, 'workflows'>, env: string, limit: number): Promise<EnvChange[]> {
  return changesOn(await recentRuns(store, limit * 4), env, limit);
}
