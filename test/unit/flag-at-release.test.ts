import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { flagAtRelease, type WalkRelease } from '../../src/core/flag-at-release.ts';
import type { KnownValue } from '../../src/core/flag.ts';

/** A release history the way Heroku writes it, with the flag's true value in each release. */
type Event =
  | { kind: 'deploy' }
  | { kind: 'other' }
  | { kind: 'set'; raw: string | null }
  | { kind: 'rollback'; to: number };

function history(events: Event[]): { releases: WalkRelease[]; truth: Map<number, string | null> } {
  const truth = new Map<number, string | null>([[1, 'false']]);
  const releases: WalkRelease[] = [{ version: 1, description: 'Initial release' }];
  for (const e of events) {
    const version = releases.length + 1;
    const prev = truth.get(version - 1) ?? null;
    if (e.kind === 'deploy') {
      releases.push({ version, description: 'Deploy 1a2b3c4' });
      truth.set(version, prev);
    } else if (e.kind === 'other') {
      releases.push({ version, description: 'Set LOG_LEVEL config vars' });
      truth.set(version, prev);
    } else if (e.kind === 'set') {
      const description = e.raw === null ? 'Remove FEATURE_AUTORISEN config vars' : 'Set FEATURE_AUTORISEN config vars';
      releases.push({ version, description });
      truth.set(version, e.raw);
    } else {
      const to = 1 + (e.to % (version - 1));
      releases.push({ version, description: `Rollback to v${to}` });
      truth.set(version, truth.get(to) ?? null);
    }
  }
  return { releases: releases.reverse(), truth };
}

const event: fc.Arbitrary<Event> = fc.oneof(
  fc.constant({ kind: 'deploy' as const }),
  fc.constant({ kind: 'other' as const }),
  fc.constantFrom('true', 'false', null).map((raw) => ({ kind: 'set' as const, raw })),
  fc.nat().map((to) => ({ kind: 'rollback' as const, to })),
);

describe('the flag in an older release (issue 23 §6)', () => {
  it('never claims a value the release did not have, whatever the history and what the bot recorded', () => {
    fc.assert(
      fc.property(
        fc.array(event, { maxLength: 15 }),
        fc.array(fc.boolean(), { maxLength: 16 }),
        fc.nat(),
        (es, rec, t) => {
          const { releases, truth } = history(es);
          const known = new Map<number, KnownValue>();
          releases.forEach((r, i) => {
            if (rec[i]) known.set(r.version, { raw: truth.get(r.version) ?? null, source: 'flag', actor: null });
          });
          const target = 1 + (t % releases.length);
          const got = flagAtRelease(releases, known, truth.get(releases[0]!.version) ?? null, target);
          if (got.known) expect(got.raw).toBe(truth.get(target));
        },
      ),
    );
  });

  it('derives the value through deploys and other config changes, and gives up at a flag change', () => {
    const { releases } = history([{ kind: 'set', raw: 'true' }, { kind: 'deploy' }, { kind: 'other' }]);
    expect(flagAtRelease(releases, new Map(), 'true', 2)).toMatchObject({ known: true, raw: 'true' });
    expect(flagAtRelease(releases, new Map(), 'true', 1)).toMatchObject({
      known: false,
      why: expect.stringContaining('v2 ("Set FEATURE_AUTORISEN config vars") may have changed it'),
    });
    const v1 = new Map<number, KnownValue>([[1, { raw: 'false', source: 'seen', actor: null }]]);
    expect(flagAtRelease(releases, v1, 'true', 1)).toMatchObject({ known: true, raw: 'false' });
    expect(flagAtRelease(releases.slice(0, 2), new Map(), 'true', 1)).toMatchObject({ known: false });
  });
});
