import { describe, expect, it } from 'vitest';
import { parseArgs, tokenize } from '../../src/core/parse.ts';
import { Registry } from '../../src/core/registry.ts';
import { commands } from '../../commands/index.ts';

describe('tokenize and parseArgs', () => {
  it('keeps quoted reasons together, including Slack smart quotes', () => {
    expect(tokenize('flag on production --reason "staging soaked 2 days"')).toEqual([
      'flag',
      'on',
      'production',
      '--reason',
      'staging soaked 2 days',
    ]);
    expect(tokenize('flag off prod --reason \u201Cerror spike\u201D')).toEqual([
      'flag',
      'off',
      'prod',
      '--reason',
      'error spike',
    ]);
  });

  it('treats --dry-run as boolean so the environment stays positional', () => {
    expect(parseArgs(tokenize('on --dry-run production'))).toEqual({
      positional: ['on', 'production'],
      flags: { 'dry-run': true },
    });
    expect(parseArgs(['--user=U1', '--reason', 'x'])).toEqual({ positional: [], flags: { user: 'U1', reason: 'x' } });
  });
});

describe('registry', () => {
  it('suggests the nearest command for a typo', () => {
    const reg = new Registry(commands);
    expect(reg.nearest('hlep')).toBe('help');
    expect(reg.nearest('zzzzzzzz')).toBeUndefined();
  });

  it('refuses two commands with the same name', () => {
    expect(() => new Registry([...commands, commands[0]!])).toThrow(/used by both/);
  });
});
