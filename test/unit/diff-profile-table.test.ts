import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffDocuments } from '../../src/adapters/openapi/engine.ts';
import { parseSpecText } from '../../src/adapters/openapi/load.ts';
import { oasdiffSeverity } from '../../src/adapters/openapi/profiles.ts';
import { isKnownRule } from '../../src/adapters/openapi/rule-catalog.ts';
import type { SpecChange } from '../../src/ports/spec-diff.ts';

/*
 * Keeps docs/DIFF.md true: every rule on which the default profile and oasdiff's levels differ,
 * across both corpora (ours and oasdiff's checker cases), is a row of the "Rule profiles" table,
 * and every rule the engine emits is in the rule catalog (config files are checked against it).
 */
const ROOT = join(import.meta.dirname, '../..');
const CORPORA = [
  { dir: join(ROOT, 'test/fixtures/oapi-corpus'), file: 'expectations.tsv', base: 'base', revision: 'revision' },
  { dir: join(ROOT, 'bench/fixtures/oasdiff-cases'), file: 'cases.tsv', base: 'base', revision: 'revision' },
];

function allChanges(): SpecChange[] {
  const out: SpecChange[] = [];
  for (const c of CORPORA) {
    const [head, ...lines] = readFileSync(join(c.dir, c.file), 'utf8').trim().split('\n');
    const cols = head!.split('\t');
    for (const line of lines) {
      const f = line.split('\t');
      const load = (col: string): unknown => {
        const p = join(c.dir, f[cols.indexOf(col)]!);
        return parseSpecText(readFileSync(p, 'utf8'), p);
      };
      try {
        const options = { today: '2026-12-06', deprecationDays: { beta: 31, stable: 180 } };
        out.push(...diffDocuments(load(c.base), load(c.revision), options).changes);
      } catch {
        // A fixture the engine refuses (invalid OpenAPI) has no rules to check.
      }
    }
  }
  return out;
}

/** `request[-parameter]-{a,b}-*` → a RegExp. */
function patternToRegExp(pattern: string): RegExp {
  const body = pattern
    .replace(/[.+?^$()|\\]/g, '\\$&')
    .replace(/\[([^\]]*)\]/g, '(?:$1)?')
    .replace(/\{([^}]*)\}/g, (_, alts: string) => `(?:${alts.split(',').join('|')})`)
    .replace(/\*/g, '.*');
  return new RegExp(`^${body}$`);
}

function tablePatterns(): RegExp[] {
  const doc = readFileSync(join(ROOT, 'docs/DIFF.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## Rule profiles'), doc.indexOf('### Per-rule overrides'));
  const rows = section.split('\n').filter((l) => l.startsWith('| `'));
  return rows.flatMap((row) => [...row.split('|')[1]!.matchAll(/`([^`]+)`/g)].map((m) => patternToRegExp(m[1]!)));
}

describe('rule profiles: the docs table and the rule catalog', () => {
  const changes = allChanges();

  it('lists every rule where our default level differs from oasdiff', () => {
    const patterns = tablePatterns();
    expect(patterns.length).toBeGreaterThan(15);
    const differing = new Set(changes.filter((c) => oasdiffSeverity(c.rule) !== c.severity).map((c) => c.rule));
    expect(differing.size).toBeGreaterThan(10);
    const missing = [...differing].filter((rule) => !patterns.some((p) => p.test(rule))).sort();
    expect(missing).toEqual([]);
  });

  it('knows every rule id the engine emits (so a config override can name it)', () => {
    expect(changes.length).toBeGreaterThan(500);
    expect([...new Set(changes.map((c) => c.rule))].filter((r) => !isKnownRule(r)).sort()).toEqual([]);
  });

  it('reads table patterns as documented', () => {
    const re = patternToRegExp('request[-parameter]-{min,max-length}-set');
    expect(['request-min-set', 'request-parameter-max-length-set'].every((r) => re.test(r))).toBe(true);
    expect(re.test('request-max-set')).toBe(false);
    expect(patternToRegExp('security-scheme-*').test('security-scheme-name-changed')).toBe(true);
  });
});
