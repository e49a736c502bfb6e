import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitHubAdapter } from '../../src/adapters/github/github-adapter.ts';
import { createSpecSource } from '../../src/adapters/openapi/spec-source.ts';
import { createHerokuAdapter } from '../../src/adapters/heroku/heroku-adapter.ts';
import { loadConfig } from '../../src/config.ts';
import type { CommandContext } from '../../src/ports/command.ts';
import { AppError } from '../../src/errors.ts';
import type { Logger } from '../../src/ports/logger.ts';
import type { DiffReport, SpecDiffPort } from '../../src/ports/spec-diff.ts';
import { buildContext } from '../../src/services/context.ts';
import { planDeploy, planRollback } from '../../src/services/deploys/plan.ts';
import { startFakeGitHub, type FakeGitHub } from '../fakes/fake-github-api.ts';
import { startFakeHeroku, type FakeHeroku } from '../fakes/fake-heroku-api.ts';
import { TestClock, sequentialIds } from '../support/test-clock.ts';
import { testDatabase, type OpenedStore } from '../support/test-databases.ts';

/** Deploy plans read GitHub and Heroku only: real adapters against the fakes, real SQLite store. */
const CONFIG = loadConfig(
  {},
  () => `
environments:
  - { name: staging, heroku_app: autorisen, github_repo: capecraft/capecraft, base_url: "http://127.0.0.1:1" }
  - { name: production, heroku_app: capecraft, github_repo: capecraft/capecraft, base_url: "http://127.0.0.1:1", production: true }
`,
);
const REPO = 'capecraft/capecraft';
const quiet: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => quiet,
};
const SPEC_V1 = JSON.stringify({ openapi: '3.0.0', paths: { '/api/autorisen/items': { get: {} } } });
const SPEC_V2 = JSON.stringify({ openapi: '3.0.0', paths: {} });

let gh: FakeGitHub;
let heroku: FakeHeroku;
let opened: OpenedStore;
let shas: { base: string; head: string; side: string };
let diffCalls: unknown[][];

function ctxWith(specDiff: SpecDiffPort): CommandContext {
  const ports = {
    environments: CONFIG.environments,
    heroku: createHerokuAdapter({ apiKey: heroku.apiKey, apiUrl: heroku.url, dataApiUrl: heroku.dataUrl }),
    github: createGitHubAdapter({ token: 'ghp_t', apiUrl: gh.url, throttle: false, retries: 0 }),
    specDiff,
    specs: createSpecSource(),
    store: opened.store,
    clock: new TestClock(),
    ids: sequentialIds('p'),
    catalog: [],
  };
  return buildContext(ports, { userId: 'UANA', role: 'operator', channelId: 'C1' }, 'corr-1', quiet, {
    update: async () => undefined,
    thread: async () => undefined,
  });
}

const report = (breaking: number): DiffReport => ({ summary: { breaking, warning: 0, nonBreaking: 1 }, changes: [] });

beforeAll(async () => {
  gh = await startFakeGitHub({ token: 'ghp_t' });
  gh.addRepo(REPO);
  const base = gh.commit(REPO, { message: 'Base', files: { 'api/openapi.json': SPEC_V1 } });
  const side = gh.commit(REPO, { message: 'Hotfix on a branch', branch: 'hotfix', files: { 'x.txt': 'x' } });
  const head = gh.commit(REPO, { message: 'Remove items endpoint', files: { 'api/openapi.json': SPEC_V2 } });
  shas = { base, head, side };
  heroku = await startFakeHeroku({
    apps: [
      {
        name: 'capecraft',
        configVars: { FEATURE_AUTORISEN: 'true' },
        releases: [
          { description: 'Initial release' },
          { description: `Deploy ${base.slice(0, 7)}` },
          { description: 'Set FEATURE_AUTORISEN config vars' },
        ],
      },
      {
        name: 'autorisen',
        releases: [{ description: 'Initial release' }, { description: `Deploy ${head.slice(0, 7)}` }],
      },
    ],
  });
  opened = await testDatabase('sqlite').open();
  diffCalls = [];
});

afterAll(async () => {
  await gh.close();
  await heroku.close();
  await opened.cleanup();
});

describe('deploy plan', () => {
  it('finds the running commit behind a config-change release and summarises the OpenAPI diff', async () => {
    const ctx = ctxWith({
      diff: async (a, b) => {
        diffCalls.push([a, b]);
        return report(1);
      },
    });
    const plan = await planDeploy({ env: 'production', ref: null }, ctx);
    expect(plan.lines.join('\n')).toContain(`Running now: v3, \`${shas.base.slice(0, 7)}\` Base`);
    expect(plan.lines).toContain('OpenAPI (api/openapi.json): 1 breaking, 0 warning, 1 non-breaking');
    expect(plan.warnings.join('\n')).toContain('1 breaking change(s)');
    expect(diffCalls[0]).toEqual([JSON.parse(SPEC_V1), JSON.parse(SPEC_V2)]);
    expect(plan.fingerprint).toBe(`v3->${shas.head}`);
    expect(plan.data).toMatchObject({ kind: 'deploy', sha: shas.head, previousVersion: 3, backup: true });
  });

  it('leaves the OpenAPI line out quietly when the diff engine fails', async () => {
    const ctx = ctxWith({
      diff: async () => {
        throw new AppError('spec_invalid', 'nope');
      },
    });
    const plan = await planDeploy({ env: 'production', ref: null }, ctx);
    expect(plan.lines.join('\n')).not.toContain('OpenAPI');
    expect(plan.noop).toBeUndefined();
  });

  it('is a no-op when the environment already runs that commit', async () => {
    const plan = await planDeploy({ env: 'staging', ref: 'main' }, ctxWith({ diff: async () => report(0) }));
    expect(plan.noop).toContain(`already runs ${shas.head.slice(0, 7)}`);
  });

  it('warns when the target would remove commits that run now', async () => {
    const plan = await planDeploy({ env: 'staging', ref: 'hotfix' }, ctxWith({ diff: async () => report(0) }));
    expect(plan.warnings.join('\n')).toMatch(/is diverged .*removes 1 commit/);
  });

  it('plans a rollback to the previous successful release, and refuses an unknown version', async () => {
    const ctx = ctxWith({ diff: async () => report(0) });
    const plan = await planRollback({ env: 'production', version: null }, ctx);
    expect(plan.title).toBe('Roll back production (capecraft) from v3 to v2');
    expect(plan.lines[0]).toContain(`\`${shas.base.slice(0, 7)}\` Base`);
    expect(plan.warnings).toContain('Database migrations are not rolled back.');
    const err = await planRollback({ env: 'production', version: 99 }, ctx).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('heroku_not_found');
  });

  it('names the known environments when given an unknown one', async () => {
    const err = (await planDeploy({ env: 'qa', ref: null }, ctxWith({ diff: async () => report(0) })).catch(
      (e: unknown) => e,
    )) as AppError;
    expect(err.userMessage).toBe('There is no environment "qa". Known: staging, production.');
  });
});
