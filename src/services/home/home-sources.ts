import type { EnvironmentConfig } from '../../config.ts';
import { ACTIVITY_MINUTE_MS, activityCaption, bucketize } from '../../core/alerts/activity.ts';
import { changeOf } from '../deploys/run-history.ts';
import type { HomeEnv, HomeWorkflow } from '../../core/home.ts';
import type { Store } from '../../ports/store.ts';

/**
 * Two parts of Home behind one small function each, so a source can be swapped in one line: the
 * workflow in flight (the engine's runs) and the last hour's health (alert activity today; the
 * log-drain metrics are a candidate).
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

/**
 * The workflow run (deploy, rollback, release, task) holding `env` now. The step is told by number
 * and state: the step names live with the workflow definitions, which Home does not load.
 */
export function workflowRunInFlight(store: Store): HomeSources['workflowInFlight'] {
  return async (env) => {
    const run = (await store.workflows.listActive()).find((r) => changeOf(r, env.name) !== null);
    if (!run) return null;
    const input = run.input as { ref?: unknown; targetVersion?: unknown } | null;
    return {
      kind: run.workflow,
      step: `step ${run.stepIndex + 1}, ${run.state}${run.waitingFor ? ` for ${run.waitingFor}` : ''}`,
      ref:
        typeof input?.ref === 'string'
          ? input.ref
          : typeof input?.targetVersion === 'number'
            ? `v${input.targetVersion}`
            : null,
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

/**
 * The last hour's health from the environment's Heroku log drain, where it sends one (issue 12):
 * 5xx responses per bar, with the requests they are out of. Without drain minutes in the hour,
 * the alert activity stands in.
 */
export function drainOrAlertHealth(store: Store): HomeSources['health'] {
  const alerts = alertActivityHealth(store);
  return async (env, now) => {
    const since = now - HEALTH_BUCKETS * HEALTH_BUCKET_MS;
    const minutes = await store.drainMetrics.minutes(env.name, since, now + 1);
    if (minutes.length === 0) return alerts(env, now);
    const errors = bucketize(
      minutes.map((m) => ({ minute: m.minute, count: m.status5xx })),
      now,
      HEALTH_BUCKETS,
      HEALTH_BUCKET_MS,
    );
    const requests = minutes.reduce((n, m) => n + m.requests, 0);
    const failed = minutes.reduce((n, m) => n + m.status5xx, 0);
    const caption = activityCaption(errors, HEALTH_BUCKET_MS).replace(/^📊 /, '');
    return { values: errors, label: `5xx responses ${caption} (${failed} of ${requests} requests, log drain)` };
  };
}

/** The sources as they exist today. */
export function defaultHomeSources(store: Store): HomeSources {
  return { workflowInFlight: workflowRunInFlight(store), health: drainOrAlertHealth(store) };
}
