import { pathToFileURL } from 'node:url';
import { send } from '../test/integration/alert-harness.ts';
import { drainHeaders } from '../test/integration/logdrain-harness.ts';
import { bootThreeInstances, type ThreeWorld } from '../test/support/three-instances.ts';
import { DRAIN_ENV, DRAIN_EXTRA_YAML, drainPost, sendStorm, shownEvents } from '../test/support/three-traffic.ts';

/**
 * Issue 19 §7, the load parts: the same traffic into one bot process and into three on one
 * PostgreSQL schema behind a round-robin router (test/support/three-instances.ts): a 1,000-delivery
 * alert storm (real Sentry and Alertmanager payloads, signed) and a log drain of 30,000 lines with
 * Logplex redeliveries. Each is checked for loss and double counting, not only timed. The router,
 * the senders and the fakes share the benchmark's process; each bot is its own process.
 */
const STORM = 1_000;
const ISSUES = 99;
const DRAIN_POSTS = 300;
const DRAIN_LINES = 100;

interface Row {
  instances: number;
  bootSeconds: number;
  stormAcceptedPerSec: number;
  stormToSlackSeconds: number;
  stormEvents: number;
  stormShown: number;
  stormGroups: number;
  alertPosts: number;
  drainLinesPerSec: number;
  drainCounted: number;
  drainSent: number;
}

async function storm(w: ThreeWorld) {
  const started = performance.now();
  const sent = await sendStorm(w.router.url, STORM, ISSUES, 24);
  const accepted = (performance.now() - started) / 1000;
  if (sent.refused.length > 0) throw new Error(`refused: ${sent.refused.slice(0, 3).join('; ')}`);
  for (;;) {
    const s = await w.store.alerts.stats();
    if (s.pendingGroups === 0 && s.pendingDigests === 0 && s.pendingNotices === 0) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const toSlack = (performance.now() - started) / 1000;
  const stats = await w.store.alerts.stats();
  const top = [...w.slack.messages.values()].filter((m) => m.channel === 'CALERTS' && !m.threadTs);
  return {
    acceptedPerSec: STORM / accepted,
    toSlack,
    events: stats.events,
    shown: shownEvents(top),
    groups: stats.groups,
    posts: w.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === 'CALERTS').length,
  };
}

async function drain(w: ThreeWorld) {
  const minute = Math.floor(Date.now() / 60_000) * 60_000 - 10 * 60_000;
  const posts = Array.from({ length: DRAIN_POSTS }, (_, i) => ({
    id: `bench-three-${i}`,
    ...drainPost(i, minute + (i % 10) * 60_000, DRAIN_LINES),
  }));
  // Logplex redelivers a tenth of them (same frame id), to whichever dyno the router picks.
  const deliveries = [...posts, ...posts.filter((_, i) => i % 10 === 0)];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 12 }, async () => {
      while (next < deliveries.length) {
        const p = deliveries[next++]!;
        const r = await send(w.router.url, '/hooks/logdrain', p.body, drainHeaders(p.id, p.lines));
        if (r.status !== 200 && r.status !== 204) throw new Error(`drain POST answered ${r.status}`);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const minutes = await w.store.drainMetrics.minutes('production', minute, minute + 10 * 60_000);
  const sentLines = posts.reduce((n, p) => n + p.lines, 0);
  // Every tenth line is a memory sample, not a request.
  const counted = minutes.reduce((n, m) => n + m.requests, 0);
  return { linesPerSec: (deliveries.length * DRAIN_LINES) / seconds, counted, sent: (sentLines * 9) / 10 };
}

export async function benchThreeInstances(): Promise<Row[]> {
  const rows: Row[] = [];
  for (const instances of [1, 3]) {
    const booting = performance.now();
    const w = await bootThreeInstances({ count: instances, extraYaml: DRAIN_EXTRA_YAML, env: DRAIN_ENV });
    const bootSeconds = (performance.now() - booting) / 1000;
    try {
      const s = await storm(w);
      const d = await drain(w);
      rows.push({
        instances,
        bootSeconds,
        stormAcceptedPerSec: s.acceptedPerSec,
        stormToSlackSeconds: s.toSlack,
        stormEvents: s.events,
        stormShown: s.shown,
        stormGroups: s.groups,
        alertPosts: s.posts,
        drainLinesPerSec: d.linesPerSec,
        drainCounted: d.counted,
        drainSent: d.sent,
      });
    } finally {
      await w.stop();
    }
  }
  console.log(
    '| instances | boot | storm: accepted/s | storm: all in Slack after | events stored / shown | groups | alert posts | drain lines/s | requests counted / sent |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const r of rows)
    console.log(
      `| ${r.instances} | ${r.bootSeconds.toFixed(1)} s | ${r.stormAcceptedPerSec.toFixed(0)} | ${r.stormToSlackSeconds.toFixed(2)} s | ${r.stormEvents} / ${r.stormShown} | ${r.stormGroups} | ${r.alertPosts} | ${r.drainLinesPerSec.toFixed(0)} | ${r.drainCounted} / ${r.drainSent} |`,
    );
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await benchThreeInstances();
  process.exit(0);
}
