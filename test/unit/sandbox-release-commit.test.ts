import { describe, expect, it } from 'vitest';
import { createSandboxHeroku } from '../../src/dev/sandbox-heroku.ts';
import { PRODUCTION_COMMIT, SANDBOX_HISTORY, STAGING_COMMIT } from '../../src/dev/sandbox-repo.ts';
import { commitOfRelease } from '../../src/services/deploys/release-commit.ts';

/**
 * Issue 19 item 1 in the shell's sandbox: after `/autorisen release` promotes staging's slug, the
 * sandbox Heroku answers the slug's commit as Heroku does, so the shell's plans know what runs.
 */
describe('sandbox Heroku slugs', () => {
  it("answers a promoted slug's commit through the target app, and the config change after it", async () => {
    const h = createSandboxHeroku(
      [
        { name: 'autorisen', production: false },
        { name: 'capecraft', production: true },
      ],
      () => Date.parse('2026-11-20T10:00:00Z'),
    );
    const [staged] = await h.listReleases('autorisen', 1);
    const coupling = (await h.pipelineCoupling!('capecraft'))!;
    const source = (await h.pipelineCoupling!('autorisen'))!;
    await h.promote!({
      pipelineId: coupling.pipelineId,
      sourceAppId: source.appId,
      sourceReleaseId: staged!.id,
      targetAppIds: [coupling.appId],
    });
    await h.setConfigVars('capecraft', { FEATURE_AUTORISEN: 'true' });
    const releases = await h.listReleases('capecraft', 10);
    const [flagged, promoted] = releases;
    expect(promoted!.description).toBe(`Promote autorisen v${staged!.version}`);
    expect(await h.getSlug!('capecraft', promoted!.slugId!)).toEqual({
      id: promoted!.slugId,
      commit: SANDBOX_HISTORY[STAGING_COMMIT]!.sha,
    });
    expect(await commitOfRelease(h, 'capecraft', flagged!, releases)).toBe(SANDBOX_HISTORY[STAGING_COMMIT]!.sha);
    expect(SANDBOX_HISTORY[STAGING_COMMIT]!.sha).not.toBe(SANDBOX_HISTORY[PRODUCTION_COMMIT]!.sha);
  });
});
