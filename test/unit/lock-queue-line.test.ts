import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allCommands } from '../../src/catalog.ts';
import { parseCommandText, parseInput, splitCommand } from '../../src/core/command-line.ts';
import { queueMeButton, withoutQueueOption } from '../../src/core/lock-queue.ts';
import { Registry } from '../../src/core/registry.ts';

/**
 * `--queue` (issue 23 §3): accepted only by changes that may wait for a lock, never by the kill
 * switch; "Run now" re-runs the line without it, leaving every other word (quoted reasons
 * included) exactly as typed.
 */
const registry = new Registry(allCommands);

function queueOf(text: string): boolean | undefined {
  const split = splitCommand(registry, text);
  if (!split.ok || !split.found) throw new Error(`no command in ${text}`);
  const r = parseInput(split.found.command, split.tokens);
  if (!r.ok || 'help' in r) throw new Error(`${text}: ${r.ok ? 'help' : r.error}`);
  return r.queue;
}

describe('--queue on the command line', () => {
  it('is an option of the changes a lock refuses, and of nothing else', () => {
    expect(queueOf('flag on staging --queue')).toBe(true);
    expect(queueOf('rollback production --queue')).toBe(true);
    // Declared by the command itself (`queueable`), so a new workflow's command takes it too.
    expect(queueOf('promote --queue')).toBe(true);
    expect(queueOf('flag on staging')).toBeUndefined();
    for (const text of ['flag off production --queue', 'unlock staging --queue', 'locks --queue']) {
      const r = parseCommandText(registry, text);
      expect(r.ok, text).toBe(false);
      expect(r.ok ? '' : r.error).toContain('no option `--queue`');
    }
  });

  it('Queue me adds it once; Run now strips it and keeps the rest as typed', () => {
    expect(queueMeButton('flag on staging --queue --reason "a  b"').value).toBe(
      'flag on staging --reason "a  b" --queue',
    );
    expect(withoutQueueOption('flag on staging --reason "use --queue" —queue')).toBe(
      'flag on staging --reason "use --queue"',
    );
  });

  it('property: with --queue anywhere among the options, Run now parses to the same change', () => {
    const words = fc.array(fc.constantFrom('errors', 'are', 'back', '42', "don't", '--queue', 'a–b'), {
      minLength: 1,
      maxLength: 4,
    });
    fc.assert(
      fc.property(words, fc.boolean(), fc.nat(2), (reason, force, at) => {
        const opts = [`--reason "${reason.join(' ')}"`, ...(force ? ['--force'] : [])];
        const withQueue = [...opts];
        withQueue.splice(Math.min(at, opts.length), 0, '--queue');
        const typed = `flag on production ${withQueue.join(' ')}`;
        const plain = parseCommandText(registry, `flag on production ${opts.join(' ')}`);
        const again = parseCommandText(registry, withoutQueueOption(typed));
        expect(again).toEqual(plain);
        expect(queueOf(typed)).toBe(true);
      }),
    );
  });
});
