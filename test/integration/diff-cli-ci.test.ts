import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unescapeWorkflow } from '../../src/adapters/openapi/render-ci.ts';

/*
 * The real CLI process: CI formats (GitHub Actions annotations, JUnit), --fail-on and its exit
 * codes, --profile, and the diff config file next to the ignore file.
 */
const BIN = join(import.meta.dirname, '../../bin/autorisen.js');
const dir = mkdtempSync(join(tmpdir(), 'autorisen-diff-ci-'));

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, 'diff', ...args],
      { cwd: dir, env: { PATH: process.env.PATH ?? '' }, timeout: 60_000 },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 99) : 0, stdout, stderr }),
    );
  });
}

function spec(edit: (doc: Doc) => void = () => {}): string {
  const doc = base();
  edit(doc);
  const path = join(dir, `spec-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, JSON.stringify(doc));
  return path;
}

interface Doc {
  openapi: string;
  info: Record<string, string>;
  paths: { '/items': { get: { operationId: string; parameters: Record<string, unknown>[]; responses: unknown } } };
}

function base(): Doc {
  return {
    openapi: '3.0.3',
    info: { title: 't', version: '1' },
    paths: {
      '/items': {
        get: {
          operationId: 'list_items',
          parameters: [
            { name: 'q', in: 'query', schema: { type: 'string' } },
            { name: 'limit', in: 'query', schema: { type: 'integer' } },
          ],
          responses: {
            '200': {
              description: 'ok',
              content: { 'application/json': { schema: { type: 'string', enum: ['a', 'b'] } } },
            },
          },
        },
      },
    },
  };
}

const BASE = spec();
// Breaking under our profile, a warning under oasdiff's: a query parameter removed without deprecation.
const PARAM_REMOVED = spec((d) => void d.paths['/items'].get.parameters.splice(0, 1));
// A warning in both: a new response enum value, and an operationId with a colon and a comma.
const ENUM_ADDED = spec((d) => {
  const ok = d.paths['/items'].get.responses as Record<
    string,
    { content: Record<string, { schema: { enum: string[] } }> }
  >;
  ok['200']!.content['application/json']!.schema.enum.push('c');
  d.paths['/items'].get.operationId = 'list: items, v2 100%';
});

describe('autorisen diff: CI formats and exit codes', () => {
  it('--format githubactions writes one escaped annotation per change, with the file and the level', async () => {
    const run = await cli([BASE, ENUM_ADDED, '--format', 'githubactions']);
    expect(run.code).toBe(0); // warnings only, --fail-on breaking (the default)
    const annotations = run.stdout.split('\n').filter((l) => l.startsWith('::'));
    expect(annotations).toHaveLength(2);
    for (const line of annotations) {
      const m = /^::(error|warning|notice) file=([^,]*),title=([^:]*)::(.*)$/.exec(line);
      expect(m, line).not.toBeNull();
      expect(unescapeWorkflow(m![2]!)).toBe(ENUM_ADDED);
      expect(m![1]).toBe('warning');
    }
    const opId = annotations.find((l) => l.includes('operation-id-changed'))!;
    // The message keeps ':' and ',' (only properties escape them) but escapes '%'.
    expect(opId).toContain('list: items, v2 100%25');
    expect(opId).not.toContain('100% ');
    expect((await cli([BASE, PARAM_REMOVED, '--format', 'githubactions'])).stdout).toMatch(
      /^::error file=.*,title=breaking%3A request-parameter-removed::GET \/items query\.q: /m,
    );
  });

  it('--format junit fails the test cases at or above --fail-on; --fail-on decides the exit code', async () => {
    const run = await cli([BASE, ENUM_ADDED, '--format', 'junit', '--fail-on', 'warning']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="autorisen diff" tests="2" failures="2">/,
    );
    expect(run.stdout).toContain('<failure type="warning"');
    expect(run.stdout).toContain('list: items, v2 100%');
    const lenient = await cli([BASE, ENUM_ADDED, '--format', 'junit']);
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toContain('failures="0"');
    // oasdiff's spellings work too.
    expect((await cli([BASE, ENUM_ADDED, '--fail-on', 'WARN'])).code).toBe(1);
    expect((await cli([BASE, PARAM_REMOVED, '--fail-on', 'ERR'])).code).toBe(1);
    expect((await cli([BASE, PARAM_REMOVED, '--fail-on', 'none'])).code).toBe(0);
  });

  it('--profile oasdiff and a config file change the verdict; a bad config file is exit 2 naming the key', async () => {
    expect((await cli([BASE, PARAM_REMOVED])).code).toBe(1);
    const oasdiff = await cli([BASE, PARAM_REMOVED, '--profile', 'oasdiff', '--format', 'json']);
    expect(oasdiff.code).toBe(0);
    expect(JSON.parse(oasdiff.stdout).changes[0]).toMatchObject({
      rule: 'request-parameter-removed',
      severity: 'warning',
    });

    const config = join(dir, '.autorisen-diff.yml');
    writeFileSync(config, 'rules:\n  request-parameter-removed: non-breaking\n');
    expect((await cli([BASE, PARAM_REMOVED, '--config', config, '--fail-on', 'warning'])).code).toBe(0);

    writeFileSync(config, 'profile: oasdif\nrules:\n  request-parameter-remove: warning\nfail_on: ERR\n');
    const bad = await cli([BASE, PARAM_REMOVED, '--config', config]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('"fail_on" is not a setting');
    expect(bad.stderr).toContain('"rules.request-parameter-remove" is not a rule this engine has');
    expect(bad.stderr).toContain('"profile" must be one of autorisen, oasdiff');
    expect((await cli([BASE, PARAM_REMOVED, '--profile', 'strict'])).code).toBe(2);
    expect((await cli([BASE, PARAM_REMOVED, '--format', 'sarif'])).code).toBe(2);
  });

  it('a deprecated parameter removed after its sunset passes; before it, the message counts the days', async () => {
    const deprecated = (sunset: string) =>
      spec((d) => Object.assign(d.paths['/items'].get.parameters[0]!, { deprecated: true, 'x-sunset': sunset }));
    const after = await cli([deprecated('2020-01-31'), PARAM_REMOVED, '--format', 'json']);
    expect(after.code).toBe(0);
    expect(JSON.parse(after.stdout).changes[0].message).toBe(
      'Query parameter `q` was removed after its sunset date (2020-01-31).',
    );
    const before = await cli([deprecated('9999-12-31'), PARAM_REMOVED, '--format', 'json']);
    expect(before.code).toBe(1);
    expect(JSON.parse(before.stdout).changes[0].message).toMatch(
      /^Query parameter `q` was removed \d+ days before its sunset \(9999-12-31\)\.$/,
    );
  });
});
