import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// Findings from outside testing of `npx autorisen diff` (issue 10 item 5), each kept as a regression test.
const ROOT = join(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/autorisen.js');
const BASE = join(ROOT, 'test/fixtures/openapi/fastapi-base.json');
const dir = mkdtempSync(join(tmpdir(), 'autorisen-diff-findings-'));

function cli(args: string[], cwd = dir): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd, env: { PATH: process.env.PATH ?? '' }, timeout: 60_000, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 99) : 0, stdout, stderr }),
    );
  });
}

const spec = (extra: object) => ({ openapi: '3.0.3', info: { title: 't', version: '1' }, paths: {}, ...extra });

describe('autorisen diff: inputs found by outside testing', () => {
  it('accepts JSON and YAML files that start with a UTF-8 byte-order mark (as .NET tools write them)', async () => {
    const text = readFileSync(BASE, 'utf8');
    writeFileSync(join(dir, 'bom.json'), `\uFEFF${text}`);
    writeFileSync(join(dir, 'bom.yaml'), '\uFEFFopenapi: 3.0.3\ninfo: {title: t, version: "1"}\npaths: {}\n');
    const json = await cli(['diff', BASE, 'bom.json']);
    expect(json.stderr).toBe('');
    expect(json.stdout).toContain('0 breaking');
    expect(json.code).toBe(0);
    const yaml = await cli(['diff', 'bom.yaml', 'bom.yaml']);
    expect(yaml.stderr).toBe('');
    expect(yaml.code).toBe(0);
  });

  it('treats HTTP auth scheme names as case-insensitive: Bearer → bearer is no change', async () => {
    const scheme = (name: string) =>
      spec({ components: { securitySchemes: { token: { type: 'http', scheme: name, bearerFormat: 'JWT' } } } });
    writeFileSync(join(dir, 'upper.json'), JSON.stringify(scheme('Bearer')));
    writeFileSync(join(dir, 'lower.json'), JSON.stringify(scheme('bearer')));
    writeFileSync(join(dir, 'basic.json'), JSON.stringify(scheme('basic')));
    const same = await cli(['diff', 'upper.json', 'lower.json', '--format', 'json']);
    expect(same.code).toBe(0);
    expect(JSON.parse(same.stdout).changes).toEqual([]);
    // A real change of scheme is still breaking.
    const changed = await cli(['diff', 'upper.json', 'basic.json', '--format', 'json']);
    expect(changed.code).toBe(1);
    expect(JSON.parse(changed.stdout).changes[0].rule).toBe('security-scheme-scheme-changed');
  });

  it('says a document nested 20,000 levels deep is nested too deeply (JSON and YAML), not an internal error', async () => {
    const levels = 20_000;
    const schema = `${'{"type":"object","properties":{"a":'.repeat(levels)}{"type":"string"}${'}}'.repeat(levels)}`;
    const body = `{"requestBody":{"content":{"application/json":{"schema":${schema}}}},"responses":{"200":{"description":"ok"}}}`;
    writeFileSync(
      join(dir, 'deep.json'),
      `{"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{"/x":{"post":${body}}}}`,
    );
    writeFileSync(
      join(dir, 'deep.yaml'),
      `openapi: 3.0.3\ninfo: {title: t, version: "1"}\npaths: {"/x": ${'{a: '.repeat(levels)}1${'}'.repeat(levels)}}\n`,
    );
    for (const file of ['deep.json', 'deep.yaml']) {
      const run = await cli(['diff', BASE, file]);
      expect(run.code, file).toBe(2);
      expect(run.stderr, file).toMatch(/^autorisen: deep\.(json|yaml) is nested too deeply \(more than 256 levels/);
      expect(run.stderr, file).not.toMatch(/went wrong/);
    }
  });
});

describe('autorisen diff: the PR comment', () => {
  it('titles the comment with short file names, not the CI runner paths', async () => {
    const repo = join(dir, 'home/runner/work/capecraft/capecraft');
    mkdirSync(join(repo, 'specs'), { recursive: true });
    writeFileSync(join(repo, 'specs/base.json'), readFileSync(BASE));
    writeFileSync(join(repo, 'openapi.json'), readFileSync(BASE));
    const run = await cli(
      ['diff', join(repo, 'specs/base.json'), join(repo, 'openapi.json'), '--format', 'markdown'],
      repo,
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('OpenAPI diff: specs/base.json → openapi.json');
    expect(run.stdout).not.toContain('/home/runner');
    // Outside the working directory only the file name is shown.
    const outside = await cli(['diff', join(repo, 'openapi.json'), join(repo, 'openapi.json')], join(repo, 'specs'));
    expect(outside.stdout).toMatch(/^OpenAPI diff: openapi\.json → openapi\.json/);
  });

  it('shows who accepted an ignored breaking change, why and until when, outside the collapsed table', async () => {
    const doc = JSON.parse(readFileSync(BASE, 'utf8'));
    doc.components.schemas.ItemCreate.required.push('tags');
    writeFileSync(join(dir, 'rev.json'), JSON.stringify(doc));
    writeFileSync(
      join(dir, 'ignore.yml'),
      'ignore:\n  - rule: request-property-became-required\n    operation: POST /api/autorisen/items/\n' +
        '    reason: all clients send tags since 2.4\n    owner: alice\n    expires: "2999-01-01"\n',
    );
    const run = await cli(['diff', BASE, 'rev.json', '--format', 'markdown', '--ignore-file', 'ignore.yml']);
    expect(run.code).toBe(0);
    const visible = run.stdout.split('<details>')[0]!;
    expect(visible).toContain('#### Accepted in the ignore file');
    expect(visible).toMatch(/accepted by alice until 2999-01-01: all clients send tags since 2\.4/);
    expect(run.stdout).not.toContain('⚪ ignored');
  });
});
