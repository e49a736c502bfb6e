import type { Config, EnvironmentConfig } from '../../config.ts';
import { ago } from '../../core/drain/stats.ts';
import { GUARD_ACTOR } from '../../core/guard/actor.ts';
import { FLAG_VAR } from '../../core/flag.ts';
import type { HerokuPort } from '../../ports/heroku.ts';
import type { Clock } from '../../ports/clock.ts';
import type { Logger } from '../../ports/logger.ts';
import type { GuardRecord } from '../../ports/stores/guards.ts';
import type { Store } from '../../ports/store.ts';
import { audit } from '../audit.ts';
import { beforeAfterChart, beforeAfterImage } from './guard-chart.ts';
import type { GuardSay } from './guard-say.ts';
import { evidenceText, latencyText, METRIC_NAMES } from '../../core/guard/guard-text.ts';

export interface GuardActionDeps {
  store: Store;
  clock: Clock;
  log: Logger;
  heroku: Pick<HerokuPort, 'getConfigVars'>;
  /**
   * Run `flag off <env> --reason …` as the guard through the dispatcher: the very path a person's
   * kill switch takes (never waits for a lock, audited, flag history, announce). Resolves to the
   * reply it gave.
   */
  killSwitch(env: string, reason: string): Promise<string>;
  /** PUBLIC_URL and the chart key, for the before/after chart image (none without them). */
  config?: Pick<Config, 'charts' | 'slack'>;
  /** Start a rollback of `env` (opt-in action for deploys and releases); resolves to its reply. */
  rollback?(env: string, reason: string): Promise<string>;
}

/** Run a tripped guard's action, read the result back, tell people, audit it. */
export async function actOnTrip(
  deps: GuardActionDeps,
  say: GuardSay,
  g: GuardRecord,
  env: EnvironmentConfig,
  now: number,
): Promise<{ ok: boolean; note: string }> {
  const worst = g.verdict!.worst!;
  const evidence = evidenceText(worst);
  const reason = `guard: ${METRIC_NAMES[worst.metric]} regressed after ${g.label}`.replace(/"/g, "'");
  const since = `since ${g.label} ${ago(now - g.startedAt)}`;
  const others = g.verdict!.metrics.filter((m) => m !== worst && m.status === 'regressed').map(evidenceText);
  const detail = [
    `${since}: ${evidence}`,
    ...others.map((o) => `also ${o}`),
    `baseline ${g.baseline.counts.requests} requests over ${g.baseline.counts.minutes} min, ${latencyText(g.baseline.p95Ms, g.baseline.p99Ms)}`,
  ].join('\n');
  let ok = true;
  let head: string;
  let note: string;
  try {
    if (g.action === 'flag_off') {
      const reply = await deps.killSwitch(env.name, reason);
      // Read back, never assume: the kill switch's own reply may be "already off" or a failure.
      const value = (await deps.heroku.getConfigVars(env.herokuApp))[FLAG_VAR];
      ok = value === 'false';
      head = ok
        ? `🛡️ [${env.name}] The guard turned ${FLAG_VAR} off (read back: "false").`
        : `🛡️ :x: [${env.name}] The guard tried to turn ${FLAG_VAR} off, but it reads "${value ?? 'not set'}". Turn it off by hand: \`/autorisen flag off ${env.name}\`.`;
      note = `${ok ? 'turned the flag off' : 'kill switch did not take'}: ${reply.split('\n')[0]}`;
    } else if (g.action === 'rollback' && deps.rollback) {
      const reply = await deps.rollback(env.name, reason);
      head = `🛡️ [${env.name}] The guard started a rollback.`;
      note = `rollback: ${reply.split('\n')[0]}`;
    } else {
      head = `🛡️ :rotating_light: [${env.name}] The guard sees a regression; it only tells (action: notify). \`/autorisen ${g.kind === 'flag' ? `flag off ${env.name}` : `rollback ${env.name}`}\` takes the change back.`;
      note = 'notified';
    }
  } catch (err) {
    ok = false;
    const msg = err instanceof Error ? err.message : String(err);
    head = `🛡️ :x: [${env.name}] The guard's ${g.action} failed (${msg}). Take the change back by hand.`;
    note = `${g.action} failed: ${msg}`;
  }
  const chart = await beforeAfterChart(deps.store, g, worst, now).catch(() => null);
  const image = deps.config ? beforeAfterImage(deps.config, g, now) : null;
  await say.tripped(g, `${head}\n${detail}${chart ? `\n${chart}` : ''}`, image);
  await audit(deps.store, deps.log, {
    at: deps.clock.now(),
    correlationId: `guard:${g.id}`,
    actorId: GUARD_ACTOR,
    command: 'guard',
    action: g.action,
    result: ok ? 'ok' : 'failed',
    env: env.name,
    detail: `${g.changeKey}: ${evidence}; ${note}`,
  });
  return { ok, note };
}
