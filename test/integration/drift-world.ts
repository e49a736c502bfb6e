import type { WorkflowRun } from '../../src/ports/stores/workflows.ts';
import { newRun } from '../../src/services/workflows/new-run.ts';
import { bootApp, defaultConfigYaml, type BootedApp } from '../drivers/boot-app.ts';
import { startFakeGitHub, type FakeGitHub } from '../fakes/fake-github-api.ts';
import { startFakeHeroku, type FakeHeroku } from '../fakes/fake-heroku-api.ts';
import { TestClock } from '../support/test-clock.ts';

export const DAY = 86_400_000;
/** 08:00 UTC: an hour before the digest's time. */
export const T0 = Date.UTC(2026, 11, 7, 8, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export const DRIFT_YAML = `${defaultConfigYaml()}drift:
  time: "09:00"
  channel: CDRIFT001
  after_days: 2
  locked_hours: 24
`;

/**
 * Staging and production drifted apart: staging runs a newer commit (5 days) and has had the flag
 * on for 4 days; production runs the older commit with the flag off. Or, with `aligned`, both run
 * the same commit with the flag off.
 */
export async function driftVendors(
  aligned: boolean,
): Promise<{ heroku: FakeHeroku; github: FakeGitHub; newSha: string }> {
  const github = await startFakeGitHub({ token: 'ghp_testtoken0000' });
  const repo = github.addRepo('capecraft/capecraft');
  const oldSha = repo.commit({ message: 'autorisen: routes', files: { 'app.py': 'v1' } });
  const newSha = repo.commit({ message: 'autorisen: tenants', files: { 'app.py': 'v2' } });
  const rel = (description: string, daysAgo: number) => ({ description, createdAt: iso(T0 - daysAgo * DAY) });
  const heroku = await startFakeHeroku({
    apps: [
      {
        name: 'autorisen',
        configVars: { FEATURE_AUTORISEN: aligned ? 'false' : 'true' },
        releases: aligned
          ? [rel('Initial release', 10), rel(`Deploy ${oldSha.slice(0, 7)}`, 10)]
          : [
              rel('Initial release', 10),
              rel(`Deploy ${oldSha.slice(0, 7)}`, 10),
              rel(`Deploy ${newSha.slice(0, 7)}`, 5),
              rel('Set FEATURE_AUTORISEN config vars', 4),
            ],
      },
      {
        name: 'capecraft',
        configVars: { FEATURE_AUTORISEN: 'false' },
        releases: [rel('Initial release', 10), rel(`Deploy ${oldSha.slice(0, 7)}`, 10)],
      },
    ],
  });
  return { heroku, github, newSha };
}

export async function bootDrift(
  v: { heroku: FakeHeroku; github: FakeGitHub },
  clock: TestClock,
  more: Partial<Parameters<typeof bootApp>[0]> = {},
): Promise<BootedApp> {
  return bootApp({
    configYaml: DRIFT_YAML,
    heroku: v.heroku,
    github: v.github,
    clock,
    appOptions: { driftTickMs: 0, lockQueueSweepMs: 0 },
    ...more,
  });
}

/** A finished workflow run on production, as the engine leaves it. */
export function finishedRun(
  id: string,
  workflow: string,
  state: WorkflowRun['state'],
  finishedAt: number,
): WorkflowRun {
  const run = newRun({
    id,
    workflow,
    env: 'production',
    input: { env: 'production' },
    requesterId: 'UBEN0002',
    lockToken: null,
    correlationId: `c-${id}`,
    now: finishedAt - 60_000,
  });
  return { ...run, state, stepIndex: 3, version: 1, updatedAt: finishedAt, finishedAt };
}

export { TestClock };
