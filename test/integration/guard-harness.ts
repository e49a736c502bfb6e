import { expect } from 'vitest';
import { bootApp, defaultConfigYaml, USERS, type BootedApp, type BootOptions } from '../drivers/boot-app.ts';
import { frame, routerLine } from '../support/logplex-frames.ts';
import { TestClock } from '../support/test-clock.ts';

/**
 * The real app with the guard on staging (issue 21): drain lines POSTed to /hooks/logdrain as
 * Logplex sends them, `/autorisen` over signed Slack, the fake Heroku, and a test clock; the guard's
 * timer is off, so each test calls `sweep()` where the timer would have fired.
 */
export const PASSWORD = 'staging-drain-password-guard';
export const MIN = 60_000;

export const GUARD_YAML = `${defaultConfigYaml()}
guard:
  environments:
    staging: { enabled: true, baseline_minutes: 30, window_minutes: 30, blind_minutes: 3 }
`;

export interface GuardWorld {
  b: BootedApp;
  clock: TestClock;
  /** When the flag went on (the release's time), after `flagOn()`. */
  flipAt: number;
  flagOn(): Promise<void>;
  /** One drain POST of `n` requests at `at` (half under /api/autorisen/), `errorsInside` of them 500. */
  post(at: number, o: { n: number; errorsInside: number; latency?: number }): Promise<void>;
  /** 30 healthy baseline minutes before the flip's minute (posted as Logplex would, a minute at a time). */
  baseline(): Promise<void>;
  sweep(): Promise<Record<string, string>>;
  /** Three looks 10 s apart, each after ten seconds of half-failing calls under /api/autorisen/. */
  regressAndLook(): Promise<void>;
  patches(): number;
  flag(): string | undefined;
  say(userId: string, text: string): Promise<string>;
  /** Stop this app and boot another on the same database and fakes (a restart). */
  restart(): Promise<void>;
  /** A second instance on the same database and fakes, its guard timer off too. */
  second(): Promise<import('../drivers/boot-app.ts').BootedApp>;
  /** Stop every app booted here and the fakes. */
  stop(): Promise<void>;
}

let frames = 0;

export async function guardWorld(opts: Partial<BootOptions> = {}): Promise<GuardWorld> {
  const clock = new TestClock();
  const boot = (o: Partial<BootOptions>) =>
    bootApp({
      configYaml: GUARD_YAML,
      env: { LOGDRAIN_PASSWORD_STAGING: PASSWORD },
      clock,
      appOptions: { guardLookMs: 0, drainSweepMs: 0 },
      ...opts,
      ...o,
    });
  const others: import('../drivers/boot-app.ts').BootedApp[] = [];
  let first: import('../drivers/boot-app.ts').BootedApp | null = null;
  const w: GuardWorld = {
    b: await boot(opts),
    clock,
    flipAt: 0,
    async flagOn() {
      expect(await w.say(USERS.ana, 'flag on staging')).toMatch(/turned the rollout flag \*on\* in staging/);
      const [r] = await w.b.app.store.releases.list('autorisen', 1);
      w.flipAt = r!.at;
      clock.current = w.flipAt + 1000;
    },
    async post(at, o) {
      const lines: string[] = [];
      for (let i = 0; i < o.n; i++) {
        const inside = i % 2 === 0;
        const status = inside && i / 2 < o.errorsInside ? 500 : 200;
        const iso = new Date(at + Math.floor((i * 1000) / Math.max(1, o.n))).toISOString();
        lines.push(
          routerLine(iso, {
            status,
            service: (o.latency ?? 100) + (i % 7) * 5,
            connect: 1,
            path: inside ? '/api/autorisen/tokens' : '/',
          }),
        );
      }
      const res = await fetch(`${w.b.url}/hooks/logdrain`, {
        method: 'POST',
        headers: {
          'content-type': 'application/logplex-1',
          'logplex-msg-count': String(lines.length),
          'logplex-frame-id': `guard-frame-${++frames}`,
          'logplex-drain-token': 'd.11111111-2222-4333-8444-555555555555',
          authorization: `Basic ${Buffer.from(`staging:${PASSWORD}`).toString('base64')}`,
        },
        body: frame(lines),
      });
      expect(res.status).toBe(200);
    },
    async baseline() {
      const start = Math.floor(w.flipAt / MIN) * MIN - 30 * MIN;
      // 40 requests a minute, 20 under /api/autorisen/, one 500 there every 4th minute.
      for (let m = 0; m < 30; m++) await w.post(start + m * MIN, { n: 40, errorsInside: m % 4 === 0 ? 1 : 0 });
    },
    sweep: () => w.b.app.guard.sweep(clock.now()),
    async regressAndLook() {
      for (let i = 0; i < 3; i++) {
        await w.post(w.flipAt + 1000 + i * 10_000, { n: 20, errorsInside: 5 });
        clock.advance(10_000);
        await w.sweep();
      }
    },
    patches: () =>
      w.b.heroku
        .requestsTo('PATCH', '/apps/autorisen/config-vars')
        .filter((r) => JSON.stringify(r.body).includes('false')).length,
    flag: () => w.b.heroku.app('autorisen').configVars.FEATURE_AUTORISEN,
    async restart() {
      first ??= w.b;
      w.b = await w.b.restart();
      if (w.b !== first) others.push(w.b);
    },
    async second() {
      const o = await boot({ slack: w.b.slack, heroku: w.b.heroku, github: w.b.github, sqlitePath: w.b.sqlitePath });
      others.push(o);
      return o;
    },
    async stop() {
      for (const o of others) await o.stop();
      await (first ?? w.b).stop();
    },
    async say(userId, text) {
      const res = await w.b.driver.command(text, { userId, channelId: 'CROLLOUT' });
      expect(res.status).toBe(200);
      const body = await w.b.slack.answerTo(res);
      return String(body.text ?? '');
    },
  };
  return w;
}
