import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { USERS } from '../drivers/boot-app.ts';
import type { DeployRecord } from '../../src/ports/stores/deploys.ts';
import { bootDeployWorld, CHANNEL, latestChange, until, type DeployWorld } from './deploy-harness.ts';

/**
 * Safety invariant 4 for deploys: a change interrupted by a crash is settled on restart by reading
 * Heroku back, and its message says how it ended. Two cases the engine cannot resume by itself: an
 * approved deploy whose process died before its run existed, and a deploy an older version of the
 * bot (the pre-engine runner) left in its `deploys` table.
 */
describe('deploys settled after a restart', () => {
  let w: DeployWorld;
  beforeEach(async () => {
    w = await bootDeployWorld();
  });
  afterEach(async () => {
    await w.stop();
  });

  const approvalRow = (id: string, sha: string, correlationId: string) => ({
    id,
    command: 'deploy',
    input: { env: 'production', ref: null },
    plan: {
      title: 'Deploy to production',
      env: 'production',
      lines: [],
      warnings: [],
      fingerprint: `2:${sha}`,
      data: {
        kind: 'deploy',
        env: 'production',
        ref: 'main',
        sha,
        previousVersion: 2,
        targetReleaseId: null,
        targetVersion: null,
        backup: true,
      },
    },
    requesterId: USERS.ana,
    channelId: CHANNEL,
    env: 'production',
    approverRole: 'operator',
    state: 'pending' as const,
    createdAt: Date.now(),
    expiresAt: Date.now() + 3_600_000,
    decidedBy: null,
    decidedAt: null,
    outcome: null,
    messageChannel: null,
    messageTs: null,
    correlationId,
  });
  const row = (what: string) => ({
    at: Date.now(),
    correlationId: 'c',
    actorId: USERS.ben,
    channelId: CHANNEL,
    command: 'deploy',
    args: '',
    action: what,
    result: 'ok',
    detail: null,
    durationMs: null,
    env: 'production',
  });

  it('an approved deploy whose process died before it started: "Not applied", read from Heroku', async () => {
    const store = w.b.app.store;
    await store.approvals.create(approvalRow('ap-dead', w.shas.head, 'corr-dead'), row('request'));
    await store.approvals.transition('ap-dead', 'pending', 'approved', { decidedBy: USERS.ben }, row('approve'));
    await store.approvals.transition('ap-dead', 'approved', 'executing', {}, row('execute'));
    w.b = await w.b.restart();
    const settled = await until(async () => {
      const a = await w.b.app.store.approvals.get('ap-dead');
      return a?.state === 'failed' ? a : null;
    }, 'the approval to be settled');
    expect(settled.outcome).toMatch(
      /Not applied: the bot restarted before the deploy started, and production still runs v2/,
    );
    // Nothing was started on its behalf.
    expect(await latestChange(w.b, 'production')).toBeNull();
    expect(w.b.heroku.requestsTo('POST', '/apps/capecraft/builds')).toHaveLength(0);
  });

  it('a deploy left running by an older version: failed with what Heroku shows, lock released, message rewritten', async () => {
    const { b } = w;
    const now = Date.now();
    // The status message the old runner had posted (as Slack stores it).
    const posted = { channel: CHANNEL, ts: '1700000000.000100' };
    b.slack.messages.set(`${posted.channel}/${posted.ts}`, {
      ...posted,
      text: 'Deploy 1234567 to staging: building on Heroku…',
      blocks: null,
      threadTs: null,
      updates: 0,
    });
    await b.app.store.locks.acquire({
      env: 'staging',
      holderId: USERS.ana,
      kind: 'deploy',
      reason: 'deploying 1234567',
      token: 'legacy-token',
      acquiredAt: now,
      expiresAt: now + 3_600_000,
    });
    const rec: DeployRecord = {
      id: 'legacy-1',
      env: 'staging',
      app: 'autorisen',
      kind: 'deploy',
      ref: 'main',
      sha: w.shas.head,
      targetReleaseId: null,
      targetVersion: null,
      previousVersion: 2,
      requesterId: USERS.ana,
      approverId: null,
      approvalId: null,
      state: 'building',
      backup: false,
      backupTransferId: null,
      backupName: null,
      buildId: 'b-unknown',
      releaseVersion: null,
      githubDeploymentId: null,
      statusChannel: posted.channel,
      statusTs: posted.ts,
      lockToken: 'legacy-token',
      outputTail: null,
      error: null,
      correlationId: 'c-legacy',
      createdAt: now,
      updatedAt: now,
      finishedAt: null,
    };
    await b.app.store.deploys.create(rec);
    w.b = await w.b.restart();
    const after = await until(async () => {
      const d = await w.b.app.store.deploys.get('legacy-1');
      return d?.state === 'failed' ? d : null;
    }, 'the legacy deploy to be settled');
    expect(after.error).toMatch(
      /upgraded while the deploy of \w{7} ran; Heroku shows no new release, so nothing was changed/,
    );
    expect(await w.b.app.store.locks.get('staging', Date.now())).toBeNull();
    const update = await w.b.slack.waitForCalls((c) => c.method === 'chat.update' && c.args.ts === posted.ts);
    expect(String(update[0]!.args.text)).toContain('Heroku shows no new release');
    const audit = await w.b.app.store.audit.latest({ limit: 20 });
    expect(audit.some((r) => r.action === 'deploy:settled_after_upgrade' && r.result === 'not_applied')).toBe(true);
  });
});
