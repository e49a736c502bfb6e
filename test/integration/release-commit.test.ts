import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHerokuAdapter } from '../../src/adapters/heroku/heroku-adapter.ts';
import type { HerokuPort } from '../../src/ports/heroku.ts';
import { commitOfRelease, commitsOfReleases } from '../../src/services/deploys/release-commit.ts';
import { startFakeHeroku, type FakeHeroku } from '../fakes/fake-heroku-api.ts';

/**
 * Issue 19 item 1: one answer to "which commit does release N run", through the real adapter
 * against the fake Heroku, which serves slugs (with the commit they were built from) as the
 * Platform API does.
 */
const BASE = '41dfb6e0c2a7f9d3b5e8a1c4d7f0b3e6a9c2d5f8';
const HEAD = '4bdd992e7a1c3f5b8d0e2a4c6f8b1d3e5a7c9f0b';
const SIDE = 'c0ffee17d2b4a6c8e0f1a3b5d7e9f2a4c6e8b0d1';
const slug = { base: randomUUID(), head: randomUUID(), side: randomUUID() };

let heroku: FakeHeroku;
let port: HerokuPort;

beforeAll(async () => {
  heroku = await startFakeHeroku({
    apps: [
      {
        name: 'autorisen',
        releases: [
          { description: 'Initial release' },
          { description: `Deploy ${BASE.slice(0, 8)}`, slugId: slug.base, commit: BASE },
          { description: `Deploy ${HEAD.slice(0, 8)}`, slugId: slug.head, commit: HEAD },
          { description: 'Set FEATURE_AUTORISEN config vars', slugId: slug.head },
          // A slug Heroku was not told the commit of (a build without source_blob.version).
          { description: `Deploy ${SIDE.slice(0, 8)}`, slugId: slug.side, commit: null },
        ],
      },
      {
        name: 'capecraft',
        releases: [
          { description: 'Initial release' },
          { description: `Deploy ${BASE.slice(0, 8)}`, slugId: slug.base, commit: BASE },
          { description: 'Promote autorisen v3', slugId: slug.head },
          { description: 'Set FEATURE_AUTORISEN config vars', slugId: slug.head },
          { description: 'Rollback to v3', slugId: slug.head },
          { description: 'Rollback to v2', slugId: slug.base },
          { description: 'Promote autorisen v5', slugId: slug.side },
        ],
      },
    ],
  });
  port = createHerokuAdapter({ apiKey: heroku.apiKey, apiUrl: heroku.url, dataApiUrl: heroku.dataUrl });
});
afterAll(async () => heroku.close());

const release = (app: string, version: number) => port.getRelease(app, version);
/** Asked with nothing read yet, so every hop is a real request. */
const commitOf = async (app: string, version: number) => commitOfRelease(port, app, await release(app, version), []);

describe('commitOfRelease', () => {
  it('a build: the sha in its description', async () => {
    expect(await commitOf('capecraft', 2)).toBe(BASE.slice(0, 8));
  });

  it("a promotion: its slug's commit, read from GET /apps/{app}/slugs/{id}", async () => {
    const before = heroku.requestsTo('GET', `/apps/capecraft/slugs/${slug.head}`).length;
    expect(await commitOf('capecraft', 3)).toBe(HEAD);
    expect(heroku.requestsTo('GET', `/apps/capecraft/slugs/${slug.head}`)).toHaveLength(before + 1);
  });

  it('a config change after a promotion: the promoted commit, not the deploy before it (the reported bug)', async () => {
    expect(await commitOf('capecraft', 4)).toBe(HEAD);
  });

  it('a rollback: what its target runs, whether the target is a promotion or a build', async () => {
    expect(await commitOf('capecraft', 5)).toBe(HEAD);
    expect(await commitOf('capecraft', 6)).toBe(BASE.slice(0, 8));
  });

  it("a promotion whose slug has no commit: what the source app's release runs", async () => {
    expect(await commitOf('capecraft', 7)).toBe(SIDE.slice(0, 8));
  });

  it('unknown when the history says nothing (an initial release)', async () => {
    expect(await commitOf('capecraft', 1)).toBeNull();
  });

  it('a slug Heroku cannot find leaves a promotion to its source release', async () => {
    heroku.fail({ method: 'GET', path: /\/slugs\//, status: 404 });
    expect(await commitOf('capecraft', 3)).toBe(HEAD.slice(0, 8));
  });

  it('commitsOfReleases answers each release as commitOfRelease does, with fewer requests', async () => {
    const releases = await port.listReleases('capecraft', 10);
    const each = new Map<number, string | null>();
    for (const r of releases) each.set(r.version, await commitOfRelease(port, 'capecraft', r, releases));
    const before = heroku.requests.length;
    const all = await commitsOfReleases(port, 'capecraft', releases);
    expect(all).toEqual(each);
    // Two promotions: one slug read each; the config change and rollbacks reuse answers.
    expect(heroku.requests.length - before).toBe(2 + 1);
  });
});
