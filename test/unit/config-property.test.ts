import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadConfig, type Config } from '../../src/config.ts';
import { ConfigError } from '../../src/errors.ts';

/**
 * Issue 9 §3 as a property: a valid config file with one key misspelt or one value of the wrong
 * type is either accepted with exactly the same safety (environments' production/approval/backup
 * gates and everyone's role) or refused with a problem naming that key. Never accepted weaker.
 */
type Yaml = Record<string, unknown>;

const envArb = (name: string) =>
  fc.record(
    {
      name: fc.constant(name),
      aliases: fc.constantFrom([], ['prod'], ['stg', 'stage']),
      heroku_app: fc.constantFrom('capecraft', 'autorisen'),
      github_repo: fc.constant('capecraft/capecraft'),
      base_url: fc.constant('https://capecraft.herokuapp.com'),
      branch: fc.constant('main'),
      production: fc.boolean(),
      requires_approval: fc.boolean(),
      backup_before_deploy: fc.boolean(),
      verify_seconds: fc.integer({ min: 1, max: 600 }),
      deploy_channel: fc.constant('C0DEPLOYS1'),
    },
    { requiredKeys: ['name', 'heroku_app', 'github_repo', 'base_url'] },
  );

const fileArb: fc.Arbitrary<Yaml> = fc.record({
  environments: fc.tuple(envArb('staging'), envArb('production')),
  roles: fc.record({
    default: fc.constantFrom('viewer', 'operator'),
    users: fc.constant({ U0ADMIN01: 'admin', U0OPS0001: 'operator' }),
    groups: fc.constant({ S0ONCALL1: 'operator' }),
  }),
  approvals: fc.record({ ttl_minutes: fc.integer({ min: 1, max: 120 }) }),
  announce_channel: fc.constant('C0ROLLOUT1'),
  alerts: fc.record({ default_channel: fc.constant('C0ALERTS01'), retention_days: fc.integer({ min: 1, max: 90 }) }),
});

/** Every (path, key) of an object tree, so a mutation can pick one. */
function keyPaths(v: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(v)) return v.flatMap((x, i) => keyPaths(x, [...path, i]));
  if (v && typeof v === 'object')
    return Object.entries(v).flatMap(([k, x]) => [[...path, k], ...keyPaths(x, [...path, k])]);
  return [];
}

const typo = fc.constantFrom(
  (k: string) => k.slice(0, -1),
  (k: string) => `${k[0]}${k}`,
  (k: string) => (k.length > 2 ? k[1]! + k[0]! + k.slice(2) : `${k}_`),
  (k: string) => k[0]!.toUpperCase() + k.slice(1),
  (k: string) => k.replace('_', '-') + (k.includes('_') ? '' : 's'),
);
const wrongValue = fc.constantFrom<unknown>('true', 'yes', 1, 0, null, ['x'], { x: 1 }, '', 'on');

interface Mutated {
  file: Yaml;
  /** The key a problem must name. */
  key: string;
}

function mutate(
  file: Yaml,
  path: (string | number)[],
  how: { kind: 'key'; f: (k: string) => string } | { kind: 'value'; v: unknown },
): Mutated {
  const copy = structuredClone(file);
  let parent: Record<string | number, unknown> = copy;
  for (const p of path.slice(0, -1)) parent = parent[p] as Record<string | number, unknown>;
  const key = path[path.length - 1]!;
  if (how.kind === 'value') {
    parent[key] = how.v;
    return { file: copy, key: String(key) };
  }
  const renamed = how.f(String(key));
  const value = parent[key];
  delete parent[key];
  parent[renamed] = value;
  return { file: copy, key: renamed };
}

/** What must never weaken: each environment's gates and everyone's role. */
const safety = (c: Config) => ({
  envs: c.environments.map((e) => [e.production, e.requiresApproval, e.backupBeforeDeploy]),
  roles: c.roles,
});

function load(file: Yaml): Config | ConfigError {
  try {
    return loadConfig({}, () => stringify(file));
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
}

describe('config file, property-based', () => {
  it('one misspelt key or mistyped value: refused naming it, or accepted with the same safety', () => {
    fc.assert(
      fc.property(
        fileArb,
        fc.nat(),
        fc.oneof(
          typo.map((f) => ({ kind: 'key' as const, f })),
          wrongValue.map((v) => ({ kind: 'value' as const, v })),
        ),
        (file, pick, how) => {
          const original = load(file);
          expect(original).not.toBeInstanceOf(ConfigError);
          // Keys of the file, not ids in it: a user id under roles.users is data (a misspelt id is another user).
          const isId = (p: (string | number)[]) => p[0] === 'roles' && p.length === 3 && how.kind === 'key';
          const paths = keyPaths(file).filter((p) => typeof p[p.length - 1] === 'string' && !isId(p));
          const path = paths[pick % paths.length]!;
          const m = mutate(file, path, how);
          const result = load(m.file);
          if (result instanceof ConfigError) {
            expect(result.problems.join('\n'), stringify(m.file)).toContain(m.key);
            return;
          }
          expect(safety(result), `${JSON.stringify(path)} ${stringify(m.file)}`).toEqual(safety(original as Config));
        },
      ),
      { numRuns: 400 },
    );
  });
});
