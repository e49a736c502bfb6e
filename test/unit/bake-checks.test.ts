import { describe, expect, it } from 'vitest';
import type { BakeCheck, StepPorts } from '../../src/services/workflows/types.ts';
import { bake } from '../../src/workflows/steps/bake.ts';
import { runStepAlone } from '../support/step-alone.ts';
import { TestClock } from '../support/test-clock.ts';

/**
 * The bake's extension point (for guarded rollouts): besides a new alert, every configured bake
 * check is asked on each look, and a reason from one stops the bake as an alert would: production
 * ends faulty with Roll back and Flag off; staging stops with Retry.
 */
describe('bake checks', () => {
  const quietStore = { alerts: { listOpen: async () => [] } } as unknown as StepPorts['store'];
  const envs = [{ name: 'production', herokuApp: 'capecraft' }];
  const run = (checks: BakeCheck[], production: boolean) =>
    runStepAlone(
      bake('production', 30, production),
      { heroku: {} as StepPorts['heroku'], clock: new TestClock(), store: quietStore, bakeChecks: checks },
      { envs },
    );

  it('stops a production bake as faulty with the reason a check gives, and what it was asked', async () => {
    const asked: unknown[] = [];
    const r = await run([async (_ctx, w) => (asked.push(w), '5xx at 4.2 % over 5 min (limit 1 %)')], true);
    expect(r).toMatchObject({
      kind: 'failed',
      faulty: true,
      offers: ['rollback', 'flag_off'],
      reason: 'production during the bake: 5xx at 4.2 % over 5 min (limit 1 %)',
    });
    expect(asked).toEqual([{ env: 'production', since: expect.any(Number), production: true }]);
  });

  it('keeps baking while every check answers null', async () => {
    const r = await run([async () => null], false);
    expect(r.kind).toBe('wait');
  });
});
