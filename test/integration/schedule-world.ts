import { expect } from 'vitest';
import { type BootedApp, type BootOptions, defaultConfigYaml } from '../drivers/boot-app.ts';
import type { SlackCall } from '../fakes/fake-slack-api.ts';
import { TestClock } from '../support/test-clock.ts';
import { productionSpec, type SpecServer, startSpecServer, stagingSpec } from './diff-command-harness.ts';
import { buttonsIn, queueWorld, type QueueWorld, type SlackButton, USERS } from './lock-queue-world.ts';

/** 2026-12-07 09:00 UTC, a Monday: the clock every scheduling test starts at. */
export const T0 = Date.UTC(2026, 11, 7, 9, 0, 0);
export const MIN = 60_000;

/**
 * Scheduled flag changes (issue 23 §1) over signed HTTP against the fakes: the app with its sweeps
 * off (tests call `sweep`), the injected clock, and production serving the routes behind the flag
 * (so `flag on production` passes its code check, as in flag-on-code-check.test.ts).
 */
/** Wait until `check` holds (work after a click continues after its ack), at most 5 s. */
export async function until(check: () => Promise<boolean> | boolean, what = 'the condition'): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export interface ScheduleWorld extends QueueWorld {
  specs: { staging: SpecServer; production: SpecServer };
  /** One scheduler sweep on `b` (default: the first app). */
  sweep(b?: BootedApp): Promise<void>;
  /** Click a button as `userId` without waiting for an answer (an Approve answers by rewriting). */
  press(userId: string, actionId: string, value: string, b?: BootedApp, channelId?: string): Promise<void>;
  /** The approval message's buttons, once posted. */
  approvalButtons(): Promise<SlackButton[]>;
  /** PATCHes of the flag on `app`. */
  patches(app: string): number;
  /** Thread replies under `ts` whose text includes `has`. */
  thread(has: string): SlackCall[];
  /** Boot another instance on the same fakes and clock (a restart, or a second instance with `databaseUrl`). */
  another(opts?: BootOptions): Promise<BootedApp>;
  close(): Promise<void>;
}

/** `yaml` is appended to the default test config (e.g. a `schedule:` section), or edits it. */
export async function scheduleWorld(
  opts: BootOptions = {},
  yaml: string | ((config: string) => string) = '',
): Promise<ScheduleWorld> {
  const specs = { staging: await startSpecServer(stagingSpec()), production: await startSpecServer(productionSpec()) };
  const clock = (opts.clock as TestClock | undefined) ?? new TestClock(T0);
  const base: BootOptions = {
    clock,
    baseUrls: { staging: specs.staging.url, production: specs.production.url },
    ...(yaml
      ? {
          configYaml: edited(defaultConfigYaml({ staging: specs.staging.url, production: specs.production.url }), yaml),
        }
      : {}),
    appOptions: { lockQueueSweepMs: 0, scheduleSweepMs: 0 },
  };
  const w = await queueWorld({ ...base, ...opts });
  const extra: BootedApp[] = [];
  return {
    ...w,
    specs,
    sweep: (b = w.b) => b.app.ops.schedules.sweep(),
    async press(userId, actionId, value, b = w.b, channelId = 'CROLLOUT') {
      const res = await b.driver.click({ actionId, value, userId, channelId });
      expect(res.status).toBe(200);
      await new Promise((r) => setTimeout(r, 50));
    },
    async approvalButtons() {
      const [call] = await w.b.slack.waitForCalls(
        (c) => c.method === 'chat.postMessage' && JSON.stringify(c.args).includes('autorisen:approve'),
      );
      return buttonsIn(call!.args);
    },
    patches: (app) => w.b.heroku.requestsTo('PATCH', new RegExp(`/apps/${app}/config-vars`)).length,
    thread: (has) =>
      w.b.slack
        .callsTo('chat.postMessage')
        .filter((c) => c.args.thread_ts !== undefined && String(c.args.text ?? '').includes(has)),
    async another(o = {}) {
      const b = await queueWorld({
        ...base,
        ...opts,
        slack: w.b.slack,
        heroku: w.b.heroku,
        github: w.b.github,
        sqlitePath: w.b.sqlitePath,
        ...o,
      });
      extra.push(b.b);
      return b.b;
    },
    async close() {
      for (const b of extra.reverse()) await b.stop();
      await w.b.stop();
      await specs.staging.close();
      await specs.production.close();
    },
  };
}

export { USERS };

function edited(config: string, yaml: string | ((config: string) => string)): string {
  return typeof yaml === 'string' ? config + yaml : yaml(config);
}
