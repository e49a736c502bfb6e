import { describe, expect, it } from 'vitest';
import { allCommands } from '../../src/catalog.ts';
import { breakGlassable, confirmsEnvironment, isScheduledInput, refuseBreakGlass } from '../../src/core/break-glass.ts';
import { parseInput, splitCommand } from '../../src/core/command-line.ts';
import type { EnvironmentConfig } from '../../src/core/environment.ts';
import { Registry } from '../../src/core/registry.ts';

/** `--break-glass` (issue 23 §2) is declared by the commands that take it, parsed by the one strict parser. */
const registry = new Registry(allCommands);
function read(text: string) {
  const split = splitCommand(registry, text);
  if (!split.ok || !split.found) throw new Error(`no command in ${text}`);
  return parseInput(split.found.command, split.tokens);
}

describe('the --break-glass option', () => {
  it('is taken by exactly the commands that declare it', () => {
    const names = registry.commands
      .map((c) => registry.resolve(c.name.split(' '))?.command)
      .filter((c) => c !== undefined && breakGlassable(c))
      .map((c) => c!.name)
      .sort();
    expect(names).toEqual(['deploy', 'flag on', 'promote', 'release', 'rollback']);
  });

  it('reads the reason (its own on deploy; the command own on flag on) and keeps the input as without it', () => {
    expect(read('deploy production v1 --break-glass --reason "down"')).toEqual({
      ok: true,
      input: { env: 'production', ref: 'v1' },
      dryRun: false,
      breakGlass: { reason: 'down' },
    });
    expect(read('flag on production --break-glass --reason "down"')).toMatchObject({
      input: { action: 'on', env: 'production', reason: 'down' },
      breakGlass: { reason: 'down' },
    });
    expect(read('release --break-glass --dry-run')).toMatchObject({ dryRun: true, breakGlass: { reason: null } });
  });

  it('is refused where it is not declared, and --reason alone is refused where only break-glass takes it', () => {
    expect(read('flag off production --break-glass')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/has no option `--break-glass`/),
    });
    expect(read('deploy production --reason "x"')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/goes with `--break-glass`/),
    });
  });
});

describe('who may break the glass, and where', () => {
  const prod = { name: 'production' } as EnvironmentConfig;
  const ask = { command: 'flag on', reason: 'down', env: prod, needsSecondPerson: true } as const;
  it('admins only, with a reason, where a second person is needed', () => {
    expect(refuseBreakGlass({ ...ask, role: 'admin' })).toBeNull();
    expect(refuseBreakGlass({ ...ask, role: 'operator' })).toMatch(/admins only/);
    expect(refuseBreakGlass({ ...ask, role: 'admin', reason: null })).toMatch(/needs a reason/);
    expect(refuseBreakGlass({ ...ask, role: 'admin', needsSecondPerson: false })).toMatch(
      /production needs no second person; drop `--break-glass`/,
    );
  });
  it('the typed name must be the environment name exactly (spaces around it aside)', () => {
    expect(confirmsEnvironment(' production ', 'production')).toBe(true);
    expect(confirmsEnvironment('prod', 'production')).toBe(false);
    expect(confirmsEnvironment('Production', 'production')).toBe(false);
  });

  it('is refused on a scheduled change: there is time for a second person', () => {
    const parsed = read('flag on production in 2h --break-glass --reason "down"');
    expect(parsed).toMatchObject({ ok: true, breakGlass: { reason: 'down' } });
    const input = parsed.ok && 'input' in parsed ? parsed.input : null;
    expect(isScheduledInput(input)).toBe(true);
    const now = read('flag on production --break-glass --reason "down"');
    expect(isScheduledInput(now.ok && 'input' in now ? now.input : null)).toBe(false);
    const why = refuseBreakGlass({
      command: 'flag on',
      role: 'admin',
      reason: 'down',
      env: undefined,
      needsSecondPerson: true,
      scheduled: isScheduledInput(input),
    });
    expect(why).toMatch(/scheduled change has time for a second person/);
  });
});
