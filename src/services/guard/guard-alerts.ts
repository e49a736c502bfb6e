import { escapeMrkdwn } from '../../core/mrkdwn.ts';
import type { GuardRecord } from '../../ports/stores/guards.ts';
import type { Store } from '../../ports/store.ts';
import type { GuardSay } from './guard-say.ts';

/** Open alert groups read per look (a storm is summed up, not listed). */
const ALERTS_READ = 50;

/**
 * Alerts for the guarded environment (Sentry, Alertmanager, Grafana, Heroku) that fired during the
 * window: each is told once in the change's thread (claimed in the shared follow-up table, so two
 * instances or a restart never repeat it) with the guard's current view. They inform; only the
 * drain's test makes the guard act, because an alert's meaning (and its noise) is not the guard's to
 * judge. The drain's own threshold alerts are left out: the guard already reads those numbers.
 */
export async function tellNewAlerts(
  store: Pick<Store, 'alerts' | 'drainMetrics'>,
  say: GuardSay,
  g: GuardRecord,
  now: number,
): Promise<number> {
  const fired = (await store.alerts.listOpen(g.env, ALERTS_READ)).filter(
    (a) => a.lastSeen >= g.startedAt && a.alert.labels.origin !== 'logdrain',
  );
  let told = 0;
  for (const a of fired) {
    if (!(await store.drainMetrics.claimFollowUp(`guard-alert:${g.id}:${a.fingerprint}`, now))) continue;
    await say.alert(g, `"${escapeMrkdwn(a.title)}" (${a.source}, ${a.severity})`);
    told++;
  }
  return told;
}
