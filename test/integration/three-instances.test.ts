import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPROVE_ACTION } from '../../src/services/approvals/message.ts';
import { USERS } from '../drivers/boot-app.ts';
import { testDatabase, type OpenedStore } from '../support/test-databases.ts';
import { bootThreeInstances, type ThreeWorld } from '../support/three-instances.ts';
import {
  DRAIN_ENV,
  DRAIN_EXTRA_YAML,
  drainPost,
  homePublishesTo,
  homeSettled,
  sendStorm,
  shownEvents,
} from '../support/three-traffic.ts';
import { buttonsOf, until } from './deploy-harness.ts';
import { REPO, spec } from './release-harness.ts';
import { latestRelease, releaseThrough } from '../support/three-release.ts';
import { realClock, send } from './alert-harness.ts';
import { drainConfig, drainHeaders, startDrain } from './logdrain-harness.ts';

const slackFixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../fixtures/slack/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;

/**
 * Issue 19 §7: three bot processes on one PostgreSQL schema behind a round-robin router, as
 * `heroku ps:scale web=3` runs them, every request spread over the three as Heroku's router does:
 * Home, concurrent approval clicks and kill switches, an alert storm, a log drain, a release from
 * ref to done, and `kill -9` of the instance driving a release mid-build: a live instance takes it
 * over once the dead one's lease expires (before the fix only a restart ever resumed a run, so the
 * survivors left it stuck at the build). One world for all (booting three processes is the slow
 * part): Home goes first, while nothing else changes what it shows; the kill comes last.
 */
describe('three instances on one PostgreSQL', () => {
  let w: ThreeWorld;
  beforeAll(async () => {
    w = await bootThreeInstances({ extraYaml: DRAIN_EXTRA_YAML, env: DRAIN_ENV });
  }, 120_000);
  afterAll(async () => {
    await w?.stop();
  });

  const publishesTo = (user: string) => homePublishesTo(w, user);
  const settled = (quietMs?: number) => homeSettled(w, quietMs);

  it('republishes Home once per change for each viewer, not once per instance', async () => {
    let seq = 0;
    const viewers = [USERS.vic, USERS.ada, USERS.cy];
    // Three people open Home, each through another instance.
    for (const user of viewers) {
      const event = { ...slackFixture('app_home_opened_event.json'), user };
      const res = await w.driver.event({
        ...slackFixture('events_api_reaction_added.json'),
        event,
        event_id: `EvTHREE${++seq}`,
      });
      expect(res.status).toBe(200);
      await until(() => publishesTo(user).length > 0, `Home published to ${user}`);
    }
    await settled();
    const before = new Map(viewers.map((u) => [u, publishesTo(u).length]));
    const publishesBy = (i: number) => w.slackCallsBy(i).filter((p) => p.endsWith('/views.publish')).length;
    const byBefore = w.instances.map((i) => publishesBy(i.index));
    const res = await w.driver.command('flag on staging --reason "home"', { userId: USERS.ana, channelId: 'CROLLOUT' });
    const writer = w.router.answeredBy.at(-1)!;
    await w.slack.waitForResponses(1, res.responseId);
    await settled();
    for (const user of viewers) {
      const after = publishesTo(user).slice(before.get(user));
      // The flip is two writes (the flag, then its lock released): one publish, or two if they fell apart.
      expect(after.length, `publishes to ${user}`).toBeGreaterThanOrEqual(1);
      expect(after.length, `publishes to ${user}`).toBeLessThanOrEqual(2);
      expect(JSON.stringify(after.at(-1)!.args.view)).toContain('\\"true\\" (on)');
    }
    // Only the instance that made the change publishes; the others only drop their cached view.
    const published = w.instances.map((i) => publishesBy(i.index) - byBefore[i.index]!);
    expect(published.filter((n, i) => i !== writer && n > 0)).toEqual([]);
    expect(published[writer]).toBeGreaterThanOrEqual(viewers.length);
    // Back off, as the deployed app (which the release's probes read) has the flag off.
    const off = await w.driver.command('flag off staging', { userId: USERS.ana, channelId: 'CROLLOUT' });
    await w.slack.waitForResponses(1, off.responseId);
    expect(w.heroku.app('autorisen').configVars.FEATURE_AUTORISEN).toBe('false');
  }, 60_000);

  it('runs an approval clicked on three instances at once, and a kill switch redelivered to three, exactly once each', async () => {
    const patches = () => w.heroku.requestsTo('PATCH', '/apps/capecraft/config-vars').length;
    const before = patches();
    // Flag on checks the code behind the flag is there (issue 23 §7): the live app serves the route now.
    const live = w.capecraft.spec;
    w.capecraft.spec = spec({ '/api/items': {}, '/api/autorisen/health': { ok: { type: 'boolean' } } });
    const asked = await w.driver.command('flag on production --reason "launch"', {
      userId: USERS.ana,
      channelId: 'CROLLOUT',
    });
    expect(asked.status).toBe(200);
    const m = await until(
      () => [...w.slack.messages.values()].find((x) => buttonsOf(x).some((b) => b.action_id === APPROVE_ACTION)),
      'the approval request',
    );
    const value = buttonsOf(m).find((b) => b.action_id === APPROVE_ACTION)!.value;
    const click = (i: number, userId: string) =>
      w.direct(i).click({ actionId: APPROVE_ACTION, value, userId, channelId: 'CROLLOUT', messageTs: m.ts });
    // Ben's click reaches instance 0 and its redelivery instance 2; Cy clicks too, on instance 1.
    const clicks = await Promise.all([click(0, USERS.ben), click(1, USERS.cy), click(2, USERS.ben)]);
    expect(clicks.map((c) => c.status)).toEqual([200, 200, 200]);
    await until(() => w.heroku.app('capecraft').configVars.FEATURE_AUTORISEN === 'true', 'the flag on in production');
    const approval = await until(async () => {
      const rec = await w.store.approvals.get(value);
      return rec?.state === 'succeeded' || rec?.state === 'failed' ? rec : null;
    }, 'the approval to settle');
    expect(approval.state).toBe('succeeded');
    expect(patches() - before).toBe(1);
    w.capecraft.spec = live;

    // The kill switch, redelivered by Slack (X-Slack-Retry-Num) to the two other instances at the same moment.
    const triggerId = w.driver.triggerId();
    const o = { userId: USERS.ana, channelId: 'CROLLOUT', triggerId, responseId: 'kill-1' };
    const retry = { 'X-Slack-Retry-Num': '1', 'X-Slack-Retry-Reason': 'http_timeout' };
    const kills = await Promise.all([
      w.direct(0).command('flag off production', o),
      w.direct(1).command('flag off production', { ...o, headers: retry }),
      w.direct(2).command('flag off production', { ...o, headers: retry }),
    ]);
    expect(kills.map((k) => k.status)).toEqual([200, 200, 200]);
    await until(() => w.heroku.app('capecraft').configVars.FEATURE_AUTORISEN === 'false', 'the flag off in production');
    await settled(500);
    expect(patches() - before).toBe(2);
  }, 60_000);

  it('shows every alert of a storm once, grouped as one instance groups them', async () => {
    // The benchmark (bench/three-instances.ts) sends the full 1,000; 100 keep this test quick.
    const TOTAL = 100;
    const ISSUES = 9;
    const before = await w.store.alerts.stats();
    const sent = await sendStorm(w.router.url, TOTAL, ISSUES, 12);
    expect(sent.refused).toEqual([]);
    await until(
      async () => {
        const s = await w.store.alerts.stats();
        return s.pendingGroups === 0 && s.pendingDigests === 0 && s.pendingNotices === 0 ? s : null;
      },
      'every alert delivered to Slack',
      30_000,
    );
    const stats = await w.store.alerts.stats();
    // One group per issue (plus the Alertmanager payload's three alerts), every event counted once;
    // Alertmanager resending the very same payload (same alerts, same startsAt) adds no event.
    expect(stats.groups - before.groups).toBe(ISSUES + 3);
    const sentry = Array.from({ length: TOTAL }, (_, n) => n).filter((n) => n % 10 !== 9);
    expect(stats.events - before.events).toBe(sentry.length + 3);
    for (let k = 0; k < ISSUES; k++) {
      const g = await w.store.alerts.getGroup(`sentry:issue:${7000 + k}`);
      expect(g?.count).toBe(
        Array.from({ length: TOTAL }, (_, n) => n).filter((n) => n % 10 !== 9 && n % ISSUES === k).length,
      );
    }
    // Slack shows each alert once: its own message (×count) or a line of the storm digest.
    const top = [...w.slack.messages.values()].filter((m) => m.channel === 'CALERTS' && !m.threadTs);
    expect(shownEvents(top)).toBe(stats.events - before.events);
  }, 60_000);

  it('counts every drained log line once: aggregates equal to one instance given the same POSTs', async () => {
    const minute = Math.floor(Date.now() / 60_000) * 60_000 - 5 * 60_000;
    const posts = Array.from({ length: 30 }, (_, i) => ({
      id: `three-${i}`,
      ...drainPost(i, minute + (i % 5) * 60_000),
    }));
    // Logplex redelivers a batch it got no answer for: the same frame id, to whichever dyno is next.
    const deliveries = [...posts, ...posts.filter((_, i) => i % 5 === 0)];
    let next = 0;
    const statuses: number[] = [];
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        while (next < deliveries.length) {
          const p = deliveries[next++]!;
          statuses.push((await send(w.router.url, '/hooks/logdrain', p.body, drainHeaders(p.id, p.lines))).status);
        }
      }),
    );
    expect(statuses.filter((s) => s !== 200 && s !== 204)).toEqual([]);

    // One instance (its own database) given the same POSTs once each.
    let one: OpenedStore | null = null;
    const single = await (async () => {
      one = await testDatabase('sqlite').open();
      return startDrain({ store: one.store, config: drainConfig(), clock: realClock });
    })();
    try {
      for (const p of posts) await send(single.url, '/hooks/logdrain', p.body, drainHeaders(p.id, p.lines));
      const range = [minute, minute + 5 * 60_000] as const;
      const three = await w.store.drainMetrics.minutes('production', ...range);
      const alone = await one!.store.drainMetrics.minutes('production', ...range);
      expect(three.reduce((n, m) => n + m.requests, 0)).toBe(posts.length * 36);
      expect(three).toEqual(alone);
    } finally {
      await single.close();
      await one!.cleanup();
    }
  }, 60_000);

  it('takes a release from ref to done: one build, one backup, one promotion, one thread', async () => {
    const { thread, driver, approvedOn } = await releaseThrough(w, w.shas.head);
    expect(thread).toContain('Approved by');
    // The approval reached another instance than the one driving the release, which carried on.
    expect(approvedOn).not.toBe(driver);
  }, 120_000);

  it('kill -9 of the instance running the build: a live instance takes the release over and finishes it', async () => {
    const next = w.github.commit(REPO, {
      message: 'Widgets list',
      author: { login: 'alice', name: 'Alice' },
      files: { 'README.md': 'widgets\n' },
    });
    w.github.setChecks(
      REPO,
      next,
      [{ name: 'test', status: 'completed', conclusion: 'success' }],
      [{ context: 'ci/lint', state: 'success' }],
    );
    w.heroku.buildBehaviour = { ...w.heroku.buildBehaviour, outcome: 'manual' };
    let killed = -1;
    const { thread } = await releaseThrough(w, next, async (driver) => {
      const build = await until(
        () => w.heroku.app('autorisen').builds.find((b) => b.sourceVersion === next),
        'the build to start',
      );
      const polls = () => w.heroku.requestsTo('GET', `/apps/autorisen/builds/${build.id}`).length;
      await until(() => polls() >= 2, 'the build being polled');
      expect((await latestRelease(w))?.stepIndex).toBe(3);
      await w.kill(driver);
      killed = driver;
      w.heroku.completeBuild(build.id, 'succeeded');
    });
    expect(thread).toContain('stopped; another instance picks it up again at step 4');
    const tookOver = w.instances
      .filter((i) => i.index !== killed)
      .flatMap((i) => w.logs(i.index))
      .filter((l) => l.msg === 'took over a workflow run whose instance stopped');
    expect(tookOver).toHaveLength(1);
  }, 120_000);
});
