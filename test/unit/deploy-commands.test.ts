import { describe, expect, it } from 'vitest';
import { deployCommand } from '../../commands/deploy.ts';
import { lockCommand } from '../../commands/lock.ts';
import { releasesCommand } from '../../commands/releases.ts';
import { rollbackCommand } from '../../commands/rollback.ts';
import { unlockCommand } from '../../commands/unlock.ts';
import { DRY_RUN_OPTION, readArgs } from '../../src/core/options.ts';
import { tokenize } from '../../src/core/parse.ts';
import { lockedMessage } from '../../src/core/deploys.ts';
import type { EnvironmentConfig } from '../../src/config.ts';

/** Args as the shared parse step builds them, without its positional limit, to test each parse() alone. */
function args(text: string) {
  const t = tokenize(text);
  if (!t.ok) throw new Error(t.error);
  const r = readArgs(t.tokens, { options: [DRY_RUN_OPTION], maxPositionals: Number.POSITIVE_INFINITY }, 'test');
  if (!r.ok) throw new Error(r.error);
  return r.args;
}

describe('deploy, rollback, releases, lock and unlock parsing', () => {
  it('deploy: env and optional ref; extra words are a usage error', () => {
    expect(deployCommand.parse(args('staging'))).toEqual({ ok: true, input: { env: 'staging', ref: null } });
    expect(deployCommand.parse(args('production v2.4.0 --dry-run'))).toEqual({
      ok: true,
      input: { env: 'production', ref: 'v2.4.0' },
    });
    expect(deployCommand.parse(args(''))).toMatchObject({
      ok: false,
      error: expect.stringContaining('Which environment'),
    });
    expect(deployCommand.parse(args('production main extra'))).toMatchObject({
      ok: false,
      error: expect.stringContaining('"extra"'),
    });
  });

  it('rollback: accepts 41 or v41, rejects anything else', () => {
    expect(rollbackCommand.parse(args('production'))).toEqual({
      ok: true,
      input: { env: 'production', version: null, acceptFlagChange: false },
    });
    expect(rollbackCommand.parse(args('production v41'))).toEqual({
      ok: true,
      input: { env: 'production', version: 41, acceptFlagChange: false },
    });
    expect(rollbackCommand.parse(args('production 41'))).toEqual({
      ok: true,
      input: { env: 'production', version: 41, acceptFlagChange: false },
    });
    expect(rollbackCommand.parse(args('production latest'))).toMatchObject({
      ok: false,
      error: expect.stringContaining('not a release version'),
    });
  });

  it('releases: n from 1 to 50, default 10', () => {
    expect(releasesCommand.parse(args('production'))).toEqual({ ok: true, input: { env: 'production', limit: 10 } });
    expect(releasesCommand.parse(args('production 25'))).toEqual({ ok: true, input: { env: 'production', limit: 25 } });
    expect(releasesCommand.parse(args('production 500'))).toMatchObject({ ok: false });
  });

  it('lock needs a reason (shown to everyone refused); unlock takes just the env', () => {
    expect(lockCommand.parse(args('production investigating "500s on /api"'))).toEqual({
      ok: true,
      input: { env: 'production', reason: 'investigating 500s on /api' },
    });
    expect(lockCommand.parse(args('production'))).toMatchObject({
      ok: false,
      error: expect.stringContaining('Say why'),
    });
    expect(unlockCommand.parse(args('production'))).toEqual({ ok: true, input: { env: 'production' } });
  });

  it('production deploys and rollbacks need approval; staging follows its setting', () => {
    const env = (requiresApproval: boolean) => ({ requiresApproval }) as EnvironmentConfig;
    const rule = deployCommand.approval as (i: unknown, e: EnvironmentConfig | undefined) => boolean;
    expect(rule({}, env(true))).toBe(true);
    expect(rule({}, env(false))).toBe(false);
    expect((rollbackCommand.approval as typeof rule)({}, env(true))).toBe(true);
    expect(lockCommand.approval).toBe('never');
  });

  it('a refusal names who holds the lock, why, and how to lift it', () => {
    const held = { holderId: 'U0ANA0001', reason: 'audit freeze', acquiredAt: Date.UTC(2026, 10, 28, 9, 12) };
    // A manual lock: nothing is running, so nobody is told to wait for it to finish.
    expect(lockedMessage('production', { ...held, kind: 'manual' })).toBe(
      'production is locked by <@U0ANA0001> since 2026-11-28 09:12 UTC: audit freeze. Nothing is running; it stays locked until someone runs `/autorisen unlock production`.',
    );
    expect(lockedMessage('production', { ...held, kind: 'deploy', reason: 'deploy main' })).toBe(
      'production is busy: a deploy by <@U0ANA0001> holds the lock since 2026-11-28 09:12 UTC (deploy main). Wait for it to finish, or `/autorisen unlock production` if the lock is stale.',
    );
  });
});
