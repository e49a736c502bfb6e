import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGitHub, type FakeGitHub } from '../fakes/fake-github-api.ts';

const ROOT = join(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/autorisen.js');
const BASE = join(ROOT, 'test/fixtures/openapi/fastapi-base.json');
const dir = mkdtempSync(join(tmpdir(), 'autorisen-diff-'));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Spawn the real CLI (bin shim → dist/ when built, else tsx → src/cli/main.ts). */
function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: dir, env: { PATH: process.env.PATH ?? '', ...env }, timeout: 60_000 },
      (err, stdout, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? 99) : 0, stdout, stderr });
      },
    );
  });
}

const baseDoc = JSON.parse(readFileSync(BASE, 'utf8'));
const breakingRev = structuredClone(baseDoc);
breakingRev.components.schemas.ItemCreate.required.push('tags');
const warningRev = structuredClone(baseDoc);
warningRev.components.schemas.Status.enum = ['draft', 'published', 'archived'];
warningRev.components.schemas.ItemCreate.properties.status = { type: 'string', enum: ['draft', 'published'] };
const REV = join(dir, 'rev.json');
const WARN = join(dir, 'warn.json');
writeFileSync(REV, JSON.stringify(breakingRev));
writeFileSync(WARN, JSON.stringify(warningRev));

let server: Server;
let url = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/openapi.json')
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(breakingRev));
    if (req.url === '/huge.json') {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      for (let i = 0; i < 21; i++) res.write(chunk);
      return void res.end('{}');
    }
    if (req.url === '/slow.json') return; // never answers
    res.writeHead(404).end('not found');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('autorisen diff (files and URLs)', () => {
  it('exits 0 on identical specs and 1 on a breaking change, with the JSON contract', async () => {
    expect((await cli(['diff', BASE, BASE])).code).toBe(0);
    const run = await cli(['diff', BASE, REV, '--format', 'json']);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.summary).toEqual({ breaking: 1, warning: 0, nonBreaking: 0 });
    expect(report.changes[0]).toMatchObject({
      severity: 'breaking',
      rule: 'request-property-became-required',
      operation: 'POST /api/autorisen/items/',
      location: 'schema ItemCreate.tags',
    });
    expect(report.changes[0].message).toContain('`tags`');
  });

  it('--fail-on decides the exit code', async () => {
    expect((await cli(['diff', BASE, WARN])).code).toBe(0);
    expect((await cli(['diff', BASE, WARN, '--fail-on', 'warning'])).code).toBe(1);
    expect((await cli(['diff', BASE, REV, '--fail-on', 'none'])).code).toBe(0);
  });

  it('reads the revision from an http URL', async () => {
    const run = await cli(['diff', BASE, `${url}/openapi.json`, '--format', 'markdown']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('<!-- autorisen-diff -->');
    expect(run.stdout).toContain('**`POST /api/autorisen/items/`**');
  });

  it('exits 2 with a one-line reason on 404, unreachable, too large, timeout, bad input and bad usage', async () => {
    const cases: [string[], RegExp, Record<string, string>?][] = [
      [['diff', BASE, `${url}/missing.json`], /answered HTTP 404 \(not found/],
      [['diff', BASE, 'http://127.0.0.1:1/openapi.json'], /Cannot reach http:\/\/127\.0\.0\.1:1/],
      [['diff', BASE, `${url}/huge.json`], /larger than 20 MiB/],
      [['diff', BASE, `${url}/slow.json`], /did not answer within 0\.5 s/, { AUTORISEN_DIFF_TIMEOUT_MS: '500' }],
      [['diff', BASE, join(ROOT, 'test/fixtures/openapi/swagger-2.0.json')], /Swagger 2\.0/],
      [['diff', BASE, join(dir, 'nope.json')], /no such file/],
      [['diff', BASE], /usage: autorisen diff/],
      [['diff', BASE, REV, '--format', 'xml'], /--format must be/],
    ];
    for (const [args, reason, env] of cases) {
      const run = await cli(args, env);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(reason);
    }
  });

  it('an ignore file accepts a break until it expires, then reports the expiry', async () => {
    const entry = (expires: string): string =>
      `ignore:\n  - rule: request-property-became-required\n    operation: POST /api/autorisen/items/\n    reason: clients updated\n    owner: alice\n    expires: "${expires}"\n`;
    writeFileSync(join(dir, 'ok.yml'), entry('2999-01-01'));
    writeFileSync(join(dir, 'old.yml'), entry('2000-01-01'));
    const accepted = await cli(['diff', BASE, REV, '--format', 'json', '--ignore-file', join(dir, 'ok.yml')]);
    expect(accepted.code).toBe(0);
    expect(JSON.parse(accepted.stdout).changes[0].ignored).toEqual({
      reason: 'clients updated',
      owner: 'alice',
      expires: '2999-01-01',
    });
    const expired = await cli(['diff', BASE, REV, '--format', 'json', '--ignore-file', join(dir, 'old.yml')]);
    expect(expired.code).toBe(1);
    const rules = JSON.parse(expired.stdout).changes.map((c: { rule: string }) => c.rule);
    expect(rules).toEqual(['request-property-became-required', 'ignore-entry-expired']);
  });
});

describe('autorisen diff (GitHub)', () => {
  let gh: FakeGitHub;
  beforeAll(async () => {
    gh = await startFakeGitHub();
    gh.addRepo('acme/capecraft');
    gh.commit('acme/capecraft', { message: 'base', files: { 'openapi.json': JSON.stringify(baseDoc) } });
    gh.commit('acme/capecraft', {
      message: 'rev',
      branch: 'feature',
      files: { 'openapi.json': JSON.stringify(breakingRev) },
    });
  });
  afterAll(() => gh.close());
  const env = (): Record<string, string> => ({ GITHUB_TOKEN: gh.token ?? 'x', GITHUB_API_URL: gh.url });

  it('reads github:owner/repo@ref:path through the GitHub API', async () => {
    const run = await cli(
      [
        'diff',
        'github:acme/capecraft@main:openapi.json',
        'github:acme/capecraft@feature:openapi.json',
        '--format',
        'json',
      ],
      env(),
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).summary.breaking).toBe(1);
    const missing = await cli(['diff', 'github:acme/capecraft@main:nope.json', BASE], env());
    expect(missing.code).toBe(2);
  });

  it('--github-pr creates one comment, then updates it in place', async () => {
    const first = await cli(['diff', BASE, REV, '--github-pr', 'acme/capecraft#7'], env());
    expect(first.code).toBe(1);
    expect(first.stderr).toMatch(/created comment \d+ on acme\/capecraft#7/);
    const second = await cli(['diff', BASE, BASE, '--github-pr', 'acme/capecraft#7'], env());
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(/updated comment/);
    const comments = gh.comments('acme/capecraft', 7);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain('<!-- autorisen-diff -->');
    expect(comments[0]!.body).toContain('**0** breaking');
  });
});
