import type { EnvironmentConfig } from '../../config.ts';
import { describeFlag, FLAG_VAR, lastChange, readFlag, type KnownValue } from '../../core/flag.ts';
import type { HomeApproval, HomeEnv, HomeFlag, HomeRelease, HomeSnapshot } from '../../core/home.ts';
import { toAppError } from '../../errors.ts';
import type { HerokuPort } from '../../ports/heroku.ts';
import type { Store } from '../../ports/store.ts';
import type { HomeSources } from './home-sources.ts';
import { changesOn, recentRuns } from '../deploys/run-history.ts';
import { commitOfRelease } from '../deploys/release-commit.ts';
import type { WorkflowRun } from '../../ports/stores/workflows.ts';

/** Releases read to find what last changed the flag (fewer than `flag status`: Home is read often). */
export const HOME_RELEASE_WINDOW = 20;
/** Open alerts listed per environment. */
export const HOME_ALERTS_SHOWN = 3;
/** Approvals read for Home (the view shows fewer and counts the rest). */
const APPROVALS_READ = 50;
/** Audit rows on the admin part. */
const RECENT_ROWS = 5;

/**
 * Heroku's part of one environment: the flag and the running release. Costs two Heroku requests,
 * plus a slug read when the running release is a promotion (services/deploys/release-commit.ts).
 */
export type HerokuPart = Pick<HomeEnv, 'flag' | 'release' | 'error'>;

export interface SnapshotDeps {
  environments: readonly EnvironmentConfig[];
  heroku: HerokuPort;
  store: Store;
  sources: HomeSources;
}

/** Read Heroku's part of every environment (one failing environment does not hide the others). */
export async function readHerokuParts(deps: SnapshotDeps): Promise<Map<string, HerokuPart>> {
  // The bot's own deploys, rollbacks and releases: one read for every environment.
  const runs = recentRuns(deps.store, 40);
  runs.catch(() => undefined); // each environment reports a failed read as its own error
  const parts = await Promise.all(deps.environments.map((env) => herokuPart(deps, env, runs)));
  return new Map(deps.environments.map((e, i) => [e.name, parts[i]!]));
}

async function herokuPart(
  deps: SnapshotDeps,
  env: EnvironmentConfig,
  runs: Promise<WorkflowRun[]>,
): Promise<HerokuPart> {
  try {
    const [vars, releases, history, deploys] = await Promise.all([
      deps.heroku.getConfigVars(env.herokuApp),
      deps.heroku.listReleases(env.herokuApp, HOME_RELEASE_WINDOW),
      deps.store.releases.list(env.herokuApp, HOME_RELEASE_WINDOW * 2),
      runs.then((r) => changesOn(r, env.name, 10)),
    ]);
    const value = readFlag(vars[FLAG_VAR]);
    const known = new Map<number, KnownValue>(
      history
        .filter((h) => h.flagKnown)
        .map((h) => [h.version, { raw: h.flagValue, source: h.source, actor: h.actor }]),
    );
    const change = lastChange(releases, known, value.raw);
    const flag: HomeFlag = {
      label: describeFlag(value),
      on: value.state === 'on',
      changedById: change?.byUserId ?? null,
      changedByEmail: change?.byEmail ?? null,
      changedAt: change ? Date.parse(change.at) || null : null,
      byRollback: change?.rollback ?? false,
    };
    const current = releases.find((r) => r.current) ?? releases[0];
    let release: HomeRelease | null = null;
    if (current) {
      const made = deploys.find((d) => d.version === current.version);
      const sha = await commitOfRelease(deps.heroku, env.herokuApp, current, releases);
      release = {
        version: current.version,
        description: current.description,
        commit: sha ? sha.slice(0, 7) : null,
        at: Date.parse(current.createdAt) || null,
        verified: made?.outcome === 'done' ? 'yes' : made?.outcome === 'stopped' ? 'no' : 'unknown',
      };
    }
    return { flag, release, error: null };
  } catch (err) {
    return { flag: null, release: null, error: `Could not read Heroku: ${toAppError(err).userMessage}` };
  }
}

/** The whole snapshot: Heroku's parts (given, possibly cached) plus fresh reads of the bot's own state. */
export async function buildSnapshot(
  deps: SnapshotDeps,
  heroku: Map<string, HerokuPart>,
  now: number,
): Promise<HomeSnapshot> {
  const scheduled = await deps.store.schedules.open(); // issue 23 §1
  const envs = await Promise.all(
    deps.environments.map(async (env): Promise<HomeEnv> => {
      const [lock, workflow, open, health, guards] = await Promise.all([
        deps.store.locks.get(env.name, now),
        deps.sources.workflowInFlight(env),
        deps.store.alerts.listOpen(env.name, 100),
        deps.sources.health(env, now),
        deps.store.guards.active(env.name), // issue 21
      ]);
      const part = heroku.get(env.name) ?? { flag: null, release: null, error: 'Not read yet.' };
      return {
        name: env.name,
        app: env.herokuApp,
        production: env.production,
        ...part,
        lock: lock
          ? {
              holderId: lock.holderId,
              kind: lock.kind,
              reason: lock.reason,
              since: lock.acquiredAt,
              expiresAt: lock.expiresAt,
            }
          : null,
        workflow,
        alerts: open
          .slice(0, HOME_ALERTS_SHOWN)
          .map((g) => ({ title: g.title, severity: g.severity, count: g.count, lastSeen: g.lastSeen })),
        openAlerts: open.length,
        health,
        guard: guards[0]
          ? { label: guards[0].label, endsAt: guards[0].endsAt, action: guards[0].action, note: guards[0].note }
          : null,
        scheduled: scheduled
          .filter((r) => r.env === env.name)
          .map((r) => ({
            id: r.id,
            target: r.target,
            runAt: r.runAt,
            requesterId: r.requesterId,
            approvedBy: r.approvedBy,
            asked: r.askedAt !== null,
            running: r.state === 'running',
          })),
      };
    }),
  );
  const pending = await deps.store.approvals.listPending(now, APPROVALS_READ);
  const approvals: HomeApproval[] = pending.map((a) => ({
    id: a.id,
    command: a.command,
    env: a.env,
    title: titleOf(a.plan) ?? `${a.command}${a.env ? ` in ${a.env}` : ''}`,
    requesterId: a.requesterId,
    approverRole: a.approverRole,
    createdAt: a.createdAt,
    expiresAt: a.expiresAt,
  }));
  const recent = (await deps.store.audit.latest({ limit: RECENT_ROWS })).map((r) => ({
    at: r.at,
    actorId: r.actorId,
    command: r.command,
    action: r.action,
    result: r.result,
    env: r.env,
  }));
  const breakGlassReviews = (await deps.store.breakGlass.openReviews()).map((r) => ({
    id: r.id,
    actorId: r.actorId,
    env: r.env,
    commandText: r.commandText,
    reason: r.reason,
    at: r.confirmedAt ?? r.createdAt,
  }));
  return { at: now, envs, approvals, breakGlassReviews, recent };
}

function titleOf(plan: unknown): string | null {
  const title = (plan as { title?: unknown } | null)?.title;
  return typeof title === 'string' && title ? title : null;
}
