import { expect } from 'vitest';
import type { WorkflowRun } from '../../src/ports/stores/workflows.ts';
import { USERS } from '../drivers/boot-app.ts';
import { buttonsOf, textOf, until } from '../integration/deploy-harness.ts';
import { CHANNEL } from '../integration/release-harness.ts';
import type { ThreeWorld } from './three-instances.ts';

/** Releases through the three-instance world's router (issue 19 §7), counting what each did at the vendors. */
export const latestRelease = async (w: ThreeWorld): Promise<WorkflowRun | null> =>
  (await w.store.workflows.latest({ workflow: 'release', env: null, limit: 1 }))[0] ?? null;
const inState = (w: ThreeWorld, states: WorkflowRun['state'][], what: string, timeoutMs = 30_000) =>
  until(async () => ((r) => (r && states.includes(r.state) ? r : null))(await latestRelease(w)), what, timeoutMs);
const roots = (w: ThreeWorld) => [...w.slack.messages.values()].filter((m) => m.channel === CHANNEL && !m.threadTs);
const counts = (w: ThreeWorld) => ({
  builds: w.heroku.requestsTo('POST', '/apps/autorisen/builds').length,
  promotions: w.heroku.requestsTo('POST', '/pipeline-promotions').length,
  backups: w.heroku.requests.filter((r) => r.surface === 'data' && r.method === 'POST').length,
  roots: roots(w).length,
});

/** Click Approve on the release's gate (through the router: whichever instance is next). */
async function approveGate(w: ThreeWorld, run: WorkflowRun): Promise<string> {
  const id = run.scratch.approvalId as string;
  const gate = await until(
    () => roots(w).find((m) => buttonsOf(m).some((b) => b.action_id === 'autorisen:approve' && b.value === id)),
    'the gate approval message',
  );
  const r = await w.driver.click({
    actionId: 'autorisen:approve',
    value: id,
    userId: USERS.ben,
    channelId: CHANNEL,
    messageTs: gate.ts,
  });
  expect(r.status).toBe(200);
  return gate.ts;
}

/** Release `sha` to done; `meanwhile` runs once the run is at the staging build. */
export async function releaseThrough(w: ThreeWorld, sha: string, meanwhile?: (driver: number) => Promise<void>) {
  const before = counts(w);
  const r = await w.driver.command(`release ${sha}`, { userId: USERS.ana, channelId: CHANNEL });
  expect(r.status).toBe(200);
  // The instance the command reached started the run, so it drives it.
  const driver = w.router.answeredBy.at(-1)!;
  if (meanwhile) await meanwhile(driver);
  const gated = await until(
    async () => ((x) => (x?.state === 'waiting' && x.waitingFor === 'approved' ? x : null))(await latestRelease(w)),
    'the release at its gate',
    30_000,
  );
  const gateTs = await approveGate(w, gated);
  const approvedOn = w.router.answeredBy.at(-1)!;
  const run = await inState(w, ['done', 'failed', 'faulty'], 'the release to end', 60_000);
  expect(run.state).toBe('done');
  await until(() => /: done/.test(textOf(w.slack.messages.get(`${CHANNEL}/${run.statusTs}`))), 'the root to say done');
  const after = counts(w);
  expect({
    builds: after.builds - before.builds,
    promotions: after.promotions - before.promotions,
    backups: after.backups - before.backups,
    roots: after.roots - before.roots,
  }).toEqual({ builds: 1, promotions: 1, backups: 1, roots: 2 });
  // Two messages in the channel: the release's root and its gate's approval; all progress is in the thread.
  expect(
    roots(w)
      .slice(-2)
      .map((m) => m.ts)
      .sort(),
  ).toEqual([run.statusTs, gateTs].sort());
  const thread = [...w.slack.messages.values()].filter((m) => m.threadTs === run.statusTs).map(textOf);
  return { run, thread: thread.join('\n'), driver, approvedOn };
}
