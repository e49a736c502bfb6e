/**
 * Builds bench/fixtures/oasdiff-cases/ from a checkout of oasdiff/oasdiff: reads its
 * `checker/*_test.go`, keeps the tests that diff two spec files as they are (no Go-code mutation of
 * the loaded spec, no custom diff config), and records which rule ids each test asserts, at the
 * default level `checker/rules.go` gives them. Only the facts (file pair → asserted ids/levels) are
 * taken; the spec files are copied as data. Usage:
 *   npx tsx bench/oasdiff-cases-extract.ts <oasdiff checkout> [commit]
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';

const root = process.argv[2];
if (!root) throw new Error('usage: oasdiff-cases-extract.ts <oasdiff checkout> [commit]');
const OUT = join(import.meta.dirname, 'fixtures/oasdiff-cases');
const checkerDir = join(root, 'checker');

// Rule id constant → id string, and id string → default level.
const idOf = new Map<string, string>();
const levelOf = new Map<string, string>();
for (const f of readdirSync(checkerDir).filter((f) => f.endsWith('.go') && !f.endsWith('_test.go'))) {
  const text = readFileSync(join(checkerDir, f), 'utf8');
  for (const m of text.matchAll(/(\w+Id)\s*=\s*"([^"]+)"/g)) idOf.set(m[1]!, m[2]!);
}
for (const f of readdirSync(checkerDir).filter((f) => f.endsWith('.go') && !f.endsWith('_test.go'))) {
  const text = readFileSync(join(checkerDir, f), 'utf8');
  for (const m of text.matchAll(/(\w+Id)\s*=\s*(\w+Id)\b/g)) if (idOf.has(m[2]!)) idOf.set(m[1]!, idOf.get(m[2]!)!);
}
const rules = readFileSync(join(checkerDir, 'rules.go'), 'utf8');
for (const m of rules.matchAll(/newBackwardCompatibilityRule\((\w+Id),\s*(ERR|WARN|INFO)/g))
  levelOf.set(idOf.get(m[1]!) ?? m[1]!, m[2]!);

interface Pair {
  base: string;
  revision: string;
  days: string;
  ids: Map<string, string>;
  allChecks: boolean;
  tests: string[];
}
const pairs = new Map<string, Pair>();
const SUBDIRS: Record<string, string> = {
  deprecationFile: 'deprecation',
  paramDeprecationFile: 'param-deprecation',
  requiredPropertyFile: 'required-properties',
  stabilityFile: 'stability',
};
let skipped = 0;
for (const f of readdirSync(checkerDir).filter((f) => f.endsWith('_test.go'))) {
  const text = readFileSync(join(checkerDir, f), 'utf8');
  for (const chunk of text.split(/\nfunc /).slice(1)) {
    const name = /^(Test\w+)\(t \*testing\.T\)/.exec(chunk)?.[1];
    if (!name) continue;
    const files: string[] = [];
    for (const m of chunk.matchAll(
      /"(\.\.\/data\/[^"]+\.(?:ya?ml|json))"|(\w+File)\("([^"]+)"\)|\bl\(t, (\d+)|\bd\(t, [^,]+, (\d+), (\d+)/g,
    )) {
      if (m[1]) files.push(m[1]);
      else if (m[2] && SUBDIRS[m[2]]) files.push(`../data/${SUBDIRS[m[2]]}/${m[3]}`);
      else if (m[4]) files.push(`../data/openapi-test${m[4]}.yaml`);
      else if (m[5]) files.push(`../data/openapi-test${m[5]}.yaml`, `../data/openapi-test${m[6]}.yaml`);
    }
    const mutates =
      /\bs[12]\.Spec\b|\.Extensions\[|= openapi3\.|delete\(|setRequestBodyType|setResponseBodyType|deleteParam|deleteResponseHeader/.test(
        chunk,
      ) ||
      /&diff\.Config\{|diff\.NewConfig\(\)\.|WithSeverity|WithAttributes|WithOptionalCheck|IncludeChecks|t\.Run\(/.test(
        chunk,
      );
    // A test must assert something we can read: rule ids, or that nothing was found.
    const assertsIds = /checker\.\w+Id\b|"[a-z0-9-]+", [^\n]*GetId\(\)/.test(chunk);
    const assertsNone = /require\.Empty\(t, errs\)|require\.Len\(t, errs, 0\)/.test(chunk);
    if (
      files.length !== 2 ||
      files[0] === files[1] ||
      mutates ||
      f === 'ignore_test.go' ||
      (!assertsIds && !assertsNone) ||
      !/CheckBackwardCompatibility|\bd\(t,/.test(chunk)
    ) {
      skipped++;
      continue;
    }
    const dep = /WithDeprecation\((\d+),\s*(\d+)\)/.exec(chunk);
    const days = dep ? `${dep[1]},${dep[2]}` : '';
    const key = `${files[0]}|${files[1]}|${days}`;
    const pair: Pair = pairs.get(key) ?? {
      base: files[0]!,
      revision: files[1]!,
      days,
      ids: new Map(),
      allChecks: false,
      tests: [],
    };
    pairs.set(key, pair);
    pair.tests.push(`checker/${f}:${name}`);
    if (/allChecksConfig\(|\bd\(t,/.test(chunk)) pair.allChecks = true;
    for (const line of chunk.split('\n')) {
      if (/\.Not[A-Z(]|False\(|requireNoChange|!contains/.test(line)) continue;
      for (const m of line.matchAll(/checker\.(\w+Id)\b/g)) {
        const id = idOf.get(m[1]!);
        if (id && levelOf.has(id)) pair.ids.set(id, levelOf.get(id)!);
      }
      if (line.includes('GetId()'))
        for (const m of line.matchAll(/"([a-z0-9-]+)"/g))
          if (levelOf.has(m[1]!)) pair.ids.set(m[1]!, levelOf.get(m[1]!)!);
    }
  }
}

mkdirSync(OUT, { recursive: true });
const rows = ['case\tbase\trevision\tdeprecation_days\texpected_breaking\tconfidence\texpected_ids\tupstream_test'];
let n = 0;
for (const p of pairs.values()) {
  const levels = [...p.ids.values()];
  const expected = levels.includes('ERR') ? 'yes' : levels.includes('WARN') ? 'warn' : 'no';
  // A single-check test that saw nothing breaking says nothing about the other checks.
  const confidence = expected === 'yes' || p.allChecks ? 'high' : 'medium';
  const rel = (x: string): string => normalize(x.replace(/^\.\.\//, ''));
  for (const x of [p.base, p.revision]) {
    mkdirSync(join(OUT, dirname(rel(x))), { recursive: true });
    copyFileSync(join(checkerDir, x), join(OUT, rel(x)));
  }
  const ids = [...p.ids].map(([id, level]) => `${id}:${level}`).join(',');
  rows.push(
    [
      `oc-${String(++n).padStart(3, '0')}`,
      rel(p.base),
      rel(p.revision),
      p.days,
      expected,
      confidence,
      ids,
      p.tests.join(';'),
    ].join('\t'),
  );
}
writeFileSync(join(OUT, 'cases.tsv'), `${rows.join('\n')}\n`);
console.log(`${n} pairs, ${skipped} tests skipped (mutation, custom config or not two files)`);
