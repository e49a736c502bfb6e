import type { EnvironmentConfig } from '../../config.ts';
import { ACTIVITY_MINUTE_MS, activityCaption, bucketize } from '../../core/alert-activity.ts';
import { ACTIVE_STATES, DEPLOY_STATE_WORDS } from '../../core/deploys.ts';
import type { HomeEnv, HomeWorkflow } from '../../core/home.ts';
import type { Store } from '../../ports/store.ts';

/**
 * The two parts of Home that other work will replace, each behind one small function so the swap is
 * one line in the composition root: the workflow in flight (today the deploy store; the workflow
 * engine's runs later) and the last hour's health (today alert activity; log-drain metrics later).
 */
export interface HomeSources {
  workflowInFlight(env: EnvironmentConfig): Promise<HomeWorkflow | null>;
  health(env: EnvironmentConfig, now: number): Promise<HomeEnv['health']>;
}

/** The hour Home's sparkline covers, in 12 bars of 5 minutes. */
export const HEALTH_BUCKETS = 12;
export const HEALTH_BUCKET_MS = 5 * ACTIVITY_MINUTE_MS;
/** Open alerts whose activity is summed into the sparkline (the busiest are listed first). */
const HEALTH_MAX_ALERTS = 10;

/** The deploy or rollback running on `env` now, from the deploy store. */
export function deployInFlight(store: Store): HomeSources['workflowInFlight'] {
  return async (env) => {
    const [latest] = await store.deploys.latest(env.name, 1);
    if (!latest || !ACTIVE_STATES.includes(latest.state)) return null;
    return {
      kind: latest.kind,
      step: DEPLOY_STATE_WORDS[latest.state],
      ref: latest.ref ?? (latest.targetVersion !== null ? `v${latest.targetVersion}` : null),
      requesterId: latest.requesterId,
      since: latest.createdAt,
    };
  };
}

/**
 * A workflow run (a release) holding `env`, when no deploy is in flight there. The step is told by
 * number and state: the step names live with the workflow definitions, which Home does not load.
 */
export function workflowRunInFlight(store: Store): HomeSources['workflowInFlight'] {
  const deploy = deployInFlight(store);
  return async (env) => {
    const fromDeploys = await deploy(env);
    if (fromDeploys) return fromDeploys;
    const run = (await store.workflows.listActive()).find((r) => r.env === env.name);
    if (!run) return null;
    const input = run.input as { ref?: unknown } | null;
    return {
      kind: run.workflow,
      step: `step ${run.stepIndex + 1}, ${run.state}${run.waitingFor ? ` for ${run.waitingFor}` : ''}`,
      ref: typeof input?.ref === 'string' ? input.ref : null,
      requesterId: run.requesterId,
      since: run.createdAt,
    };
  };
}

/** Alert activity on `env` over the last hour (all its open alerts together), as a sparkline. */
export function alertActivityHealth(store: Store): HomeSources['health'] {
  return async (env, now) => {
    const open = await store.alerts.listOpen(env.name, HEALTH_MAX_ALERTS);
    const since = now - HEALTH_BUCKETS * HEALTH_BUCKET_MS;
    const rows = (await Promise.all(open.map((g) => store.alertActivity.occurrences(g.fingerprint, since)))).flat();
    const values = bucketize(rows, now, HEALTH_BUCKETS, HEALTH_BUCKET_MS);
    return { values, label: `Alert activity ${activityCaption(values, HEALTH_BUCKET_MS).replace(/^📊 /, '')}` };
  };
}

/** The sources as they exist today. */
export function defaultHomeSources(store: Store): HomeSources {
  return { workflowInFlight: workflowRunInFlight(store), health: alertActivityHealth(store) };
}
