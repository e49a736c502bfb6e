import { describe, expect, it } from 'vitest';
import type { EnvironmentConfig } from '../../src/config.ts';
import {
  changedBy,
  lastChange,
  planFlagChange,
  readFlag,
  type FlagPlanInput,
  type KnownValue,
  type ReleaseView,
} from '../../src/core/flag.ts';
import type { AppError } from '../../src/errors.ts';
import { md } from '../../src/core/mrkdwn.ts';

const prod = {
  name: 'production',
  herokuApp: 'capecraft',
  production: true,
  requiresApproval: true,
} as EnvironmentConfig;
const staging = {
  name: 'staging',
  herokuApp: 'autorisen',
  production: false,
  requiresApproval: false,
} as EnvironmentConfig;
const input = (over: Partial<FlagPlanInput>): FlagPlanInput => ({
  target: 'on',
  env: prod,
  current: readFlag('false'),
  version: 41,
  releaseId: 'r41',
  staging: [{ name: 'staging', value: readFlag('true') }],
  requesterId: 'UANA',
  reason: 'go live',
  force: false,
  ...over,
});

describe('readFlag', () => {
  it('accepts only the exact strings true/false as normal', () => {
    expect(readFlag('true').state).toBe('on');
    expect(readFlag('false').state).toBe('off');
    expect(readFlag(undefined).state).toBe('unset');
    for (const odd of ['yes', '1', 'TRUE', ' true', 'on', ''])
      expect(readFlag(odd)).toEqual({ state: 'unexpected', raw: odd });
  });
});

describe('planFlagChange', () => {
  it('shows app, current → new, the dyno restart, who and why', () => {
    const plan = planFlagChange(input({}));
    expect(plan.noop).toBeUndefined();
    expect(plan.lines.join('\n')).toMatch(/App: capecraft \(production\)/);
    expect(plan.lines.join('\n')).toMatch(/FEATURE_AUTORISEN: "false" \(off\) → "true" \(on\)/);
    expect(plan.lines.join('\n')).toMatch(/new release after v41 and restarts every dyno/);
    expect(plan.lines.join('\n')).toMatch(/<@UANA>: "go live"/);
    expect(plan.lines).toContain('Staging first: staging already has it on');
    expect(plan.warnings).toEqual([]);
    expect(plan.data).toMatchObject({ app: 'capecraft', from: 'false', to: 'true' });
  });

  it('warns loudly when staging does not have it on yet', () => {
    const plan = planFlagChange(input({ staging: [{ name: 'staging', value: readFlag('false') }] }));
    expect(plan.warnings.join('\n')).toMatch(/STAGING FIRST: the flag is NOT on in staging/);
  });

  it('is a no-op that says so when the value is already the target', () => {
    const plan = planFlagChange(input({ current: readFlag('true') }));
    expect(plan.noop).toMatch(/already "true" in production .*v41.*nothing to change/);
    expect(planFlagChange(input({ target: 'off', current: readFlag('false') })).noop).toBeDefined();
  });

  it('the kill switch is never a no-op while a flag on is in flight (its PATCH may still land)', () => {
    const plan = planFlagChange(input({ target: 'off', current: readFlag('false'), onInFlight: { holderId: 'UBEN' } }));
    expect(plan.noop).toBeUndefined();
    expect(plan.lines.join('\n')).toMatch(/A `flag on` by <@UBEN> is in flight: the kill switch takes its lock/);
    // An `on` is not affected by someone else's `on` in flight (the lock refuses it at execution).
    expect(planFlagChange(input({ current: readFlag('true'), onInFlight: { holderId: 'UBEN' } })).noop).toBeDefined();
  });

  it('refuses to overwrite an unexpected value without --force, and names --force', () => {
    const err = (() => {
      try {
        planFlagChange(input({ current: readFlag('yes') }));
        return null;
      } catch (e) {
        return e as AppError;
      }
    })();
    expect(err?.code).toBe('conflict');
    expect(err?.userMessage).toContain('"yes"');
    expect(err?.userMessage).toContain('flag on production --force');
    const forced = planFlagChange(input({ current: readFlag('yes'), force: true }));
    expect(forced.warnings.join()).toMatch(/unexpected value "yes" will be replaced by "true"/);
  });

  it('fingerprints the current value, release and staging state', () => {
    const base = planFlagChange(input({})).fingerprint;
    expect(planFlagChange(input({})).fingerprint).toBe(base);
    expect(planFlagChange(input({ version: 42 })).fingerprint).not.toBe(base);
    expect(planFlagChange(input({ current: readFlag(undefined) })).fingerprint).not.toBe(base);
    expect(planFlagChange(input({ staging: [{ name: 'staging', value: readFlag('false') }] })).fingerprint).not.toBe(
      base,
    );
  });

  it('does not ask for staging-first on staging itself or when turning off', () => {
    expect(planFlagChange(input({ env: staging, staging: [] })).warnings).toEqual([]);
    expect(planFlagChange(input({ target: 'off', current: readFlag('true') })).lines.join()).toMatch(/Kill switch/);
  });
});

describe('changedBy', () => {
  it("renders the bot's Slack user as a live mention and Heroku's email as escaped text (issue 19)", () => {
    expect(md`by ${changedBy({ byUserId: 'UANA0001', byEmail: null })}`).toBe('by <@UANA0001>');
    expect(md`by ${changedBy({ byUserId: null, byEmail: '<!here>@x' })}`).toBe('by &lt;!here&gt;@x');
    expect(md`by ${changedBy({ byUserId: null, byEmail: null })}`).toBe('by unknown');
  });
});

describe('lastChange', () => {
  const rel = (version: number, description: string, userEmail = 'dev@example.com'): ReleaseView => ({
    version,
    description,
    userEmail,
    createdAt: `2026-11-20T10:0${version}:00Z`,
  });
  const none = new Map<number, KnownValue>();

  it('finds the Set release that changed it, skipping deploys', () => {
    const releases = [
      rel(4, 'Deploy abc1234'),
      rel(3, 'Set FEATURE_AUTORISEN config vars', 'ana@example.com'),
      rel(2, 'Set OTHER config vars'),
    ];
    expect(lastChange(releases, none, 'true')).toMatchObject({
      version: 3,
      byUserId: null,
      byEmail: 'ana@example.com',
      rollback: false,
      certain: true,
    });
  });

  it('credits the Slack user recorded by the bot', () => {
    const known = new Map<number, KnownValue>([
      [3, { raw: 'true', source: 'flag', actor: 'UANA' }],
      [2, { raw: 'false', source: 'seen', actor: null }],
    ]);
    expect(lastChange([rel(3, 'Set FEATURE_AUTORISEN config vars'), rel(2, 'Initial')], known, 'true')).toMatchObject({
      byUserId: 'UANA',
      byEmail: null,
    });
  });

  it('says a rollback flipped it when the history shows the value before differed', () => {
    const known = new Map<number, KnownValue>([[2, { raw: 'true', source: 'flag', actor: 'UANA' }]]);
    const releases = [
      rel(3, 'Rollback to v1', 'ops@example.com'),
      rel(2, 'Set FEATURE_AUTORISEN config vars'),
      rel(1, 'Initial release'),
    ];
    expect(lastChange(releases, known, 'false')).toMatchObject({
      version: 3,
      rollback: true,
      certain: true,
      byUserId: null,
      byEmail: 'ops@example.com',
    });
  });

  it('passes over a rollback that did not change the flag, when the history knows', () => {
    const known = new Map<number, KnownValue>([
      [2, { raw: 'true', source: 'flag', actor: 'UANA' }],
      [1, { raw: 'false', source: 'seen', actor: null }],
    ]);
    const releases = [rel(3, 'Rollback to v2'), rel(2, 'Set FEATURE_AUTORISEN config vars'), rel(1, 'Initial release')];
    expect(lastChange(releases, known, 'true')).toMatchObject({ version: 2, rollback: false, byUserId: 'UANA' });
  });

  it('flags an unrecorded rollback as a possible change, and null when nothing changed it', () => {
    expect(lastChange([rel(3, 'Rollback to v1'), rel(2, 'Deploy x')], none, 'false')).toMatchObject({
      version: 3,
      certain: false,
      rollback: true,
    });
    expect(lastChange([rel(2, 'Deploy x'), rel(1, 'Initial release')], none, 'false')).toBeNull();
  });
});
