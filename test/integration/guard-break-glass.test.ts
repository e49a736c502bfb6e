import { afterEach, describe, expect, it } from 'vitest';
import { USERS } from '../drivers/boot-app.ts';
import { until } from './deploy-harness.ts';
import { ask, submit } from './break-glass-harness.ts';
import { GUARD_YAML, guardWorld, type GuardWorld } from './guard-harness.ts';

/**
 * Break-glass skips the second person and nothing else (issue 23 §2): the guard still watches the
 * change it made and takes the flag back when it regresses, as after an approved `flag on`.
 * Staging needs approval here, so break-glass applies to it, and the guard watches staging.
 */
let w: GuardWorld;
afterEach(async () => w?.stop());

const YAML = GUARD_YAML.replace(
  'verify_seconds: 5\n    deploy_channel: CDEPLOYSTG',
  'verify_seconds: 5\n    deploy_channel: CDEPLOYSTG\n    requires_approval: true',
);

describe('the guard after a break-glass flag on', () => {
  it('watches it and turns the flag off on a regression, through the kill switch', async () => {
    expect(YAML).not.toBe(GUARD_YAML);
    w = await guardWorld({
      configYaml: YAML,
      appOptions: { guardLookMs: 0, drainSweepMs: 0, breakGlassSweepMs: 0 },
    });
    const { viewId } = await ask(w.b, 'flag on staging --break-glass --reason "hotfix behind the flag"', USERS.ada);
    expect(viewId).not.toBeNull();
    expect(await submit(w.b, viewId!, 'staging')).toBeNull();
    await until(() => w.flag() === 'true', 'the flag on in staging');
    expect(await w.b.app.store.approvals.listUnfinished()).toEqual([]);
    // The run ends with its review request; only then does the test move its clock to the flip.
    await until(
      () => w.b.slack.callsTo('chat.postMessage').some((c) => /review needed/.test(String(c.args.text))),
      'the review request',
    );
    const [r] = await w.b.app.store.releases.list('autorisen', 1);
    w.flipAt = r!.at;
    w.clock.current = w.flipAt + 1000;

    await w.baseline();
    await w.sweep();
    const [g] = await w.b.app.store.guards.active('staging');
    expect(g).toMatchObject({ state: 'watching', action: 'flag_off', kind: 'flag' });
    await w.regressAndLook();
    expect(w.flag()).toBe('false');
    expect(w.patches()).toBe(1);
    expect(await w.b.app.store.guards.get(g!.id)).toMatchObject({ state: 'acted', endedBy: 'guard' });
    await w.b.app.stop();
    console.timeEnd('stop');
  });
});
