import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecordingChat } from '../support/recording-chat.ts';
import { TestClock } from '../support/test-clock.ts';
import { fixtureBytes, frame, herokuLogsToSyslog } from '../support/logplex-frames.ts';
import { CONFIG_YAML, send } from './alert-harness.ts';
import { DRAIN, drainConfig, drainHeaders, startDrainWatch } from './logdrain-harness.ts';

/**
 * Router codes that Heroku does not write at `at=error` (H27/H28 at `warning`, H80/H81 at `info`)
 * reach an `error_codes` rule: real Dev Center lines, logplex-framed, POSTed to /hooks/logdrain.
 * Source of the lines: https://devcenter.heroku.com/articles/error-codes (see test/fixtures/README.md).
 */
const T0 = Date.UTC(2026, 10, 28, 9, 0, 0);
const clock = new TestClock(T0);
const YAML = `${CONFIG_YAML}
logdrain:
  environments:
    production:
      drain_tokens: [${DRAIN.productionToken}]
      rules:
        error_codes: { codes: [H80, H27], max: 2, window_minutes: 5 }
`;
const config = drainConfig({}, YAML);
const chat = new RecordingChat();
let world: Awaited<ReturnType<typeof startDrainWatch>>;
let frameNo = 0;

/** The Dev Center line of `code`, as logplex delivers it, stamped `at` (the rest verbatim). */
function devCenterLine(code: string, at: number): string {
  const line = fixtureBytes('heroku/log_lines.error_codes_devcenter.txt')
    .toString('utf8')
    .split('\n')
    .find((l) => l.includes(` code=${code} `));
  if (!line) throw new Error(`no Dev Center line for ${code}`);
  return herokuLogsToSyslog(line.replace(/^\S+/, new Date(at).toISOString()));
}

async function post(lines: string[]): Promise<void> {
  const r = await send(world.drain.url, '/hooks/logdrain', frame(lines), drainHeaders(`f${++frameNo}`, lines.length));
  expect(r.status).toBe(200);
}

const fp = (code: string) => `heroku:logdrain:production:error_codes:${code}`;

beforeAll(async () => {
  world = await startDrainWatch(config, clock, chat);
});
afterAll(() => world?.close());

describe('error_codes rule on router codes logged at info and warning', () => {
  it('the config accepts H80 and H27 and nothing fires before they are seen', async () => {
    const production = config.logdrain.environments.find((e) => e.env === 'production');
    expect(production?.rules.error_codes).toMatchObject({ codes: ['H80', 'H27'] });
    clock.current = T0 + 60_000;
    expect(await world.watch.evaluate(clock.now())).toEqual({ fired: [], resolved: [] });
  });

  it('three at=info H80 lines (maintenance mode) in the window fire the H80 alert, named', async () => {
    await post([0, 1, 2].map((i) => devCenterLine('H80', T0 + 70_000 + i * 1000)));
    clock.current = T0 + 2 * 60_000;
    const r = await world.watch.evaluate(clock.now());
    expect(r.fired).toEqual([fp('H80')]);
    expect((await world.db.store.alerts.getGroup(fp('H80')))!.title).toMatch(
      /^H80 ×3 in 5 min \(Maintenance mode; rule: > 2\)/,
    );
  });

  it('at=warning H27 lines (sock=client, 499) fire the H27 alert; H28 is counted but not watched', async () => {
    const at = T0 + 2 * 60_000 + 5_000;
    await post([...[0, 1, 2].map((i) => devCenterLine('H27', at + i * 1000)), devCenterLine('H28', at + 4000)]);
    clock.current = T0 + 3 * 60_000;
    expect((await world.watch.evaluate(clock.now())).fired).toEqual([fp('H27')]);
    const group = (await world.db.store.alerts.getGroup(fp('H27')))!;
    expect(group.title).toMatch(/^H27 ×3 in 5 min \(Client request interrupted; rule: > 2\)/);
  });

  it('every code is stored once per line, whatever its level (what `/autorisen metrics` lists)', async () => {
    const rows = await world.db.store.drainMetrics.minutes('production', T0, T0 + 5 * 60_000);
    const codes: Record<string, number> = {};
    for (const m of rows) for (const [c, n] of Object.entries(m.codes)) codes[c] = (codes[c] ?? 0) + n;
    expect(codes).toEqual({ H80: 3, H27: 3, H28: 1 });
  });
});
