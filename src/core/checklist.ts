/**
 * The rollout plan's eight checklist items (issue 11 item 5), evaluated purely from facts the
 * command gathered. Each item answers a mark and its evidence; a fact that could not be read is
 * `null` (or an `error` string) and makes the item "—" (unknown) rather than green.
 */

import { markup, md, mention } from './mrkdwn.ts';

export type Mark = 'ok' | 'warn' | 'fail' | 'unknown';
export const MARK_EMOJI: Record<Mark, string> = { ok: '✅', warn: '⚠️', fail: '❌', unknown: '—' };

export interface ItemResult {
  title: string;
  mark: Mark;
  evidence: string[];
}

/** Backups older than this are not "a backup before production". */
export const BACKUP_FRESH_HOURS = 24;

export interface BackupFact {
  name: string;
  ageHours: number;
  succeeded: boolean;
}
export type MigrationFact = { added: string[]; destructive: string[] } | { error: string };

/** 1. Additive migrations and a backup before production. */
export function migrationsAndBackup(
  prod: string,
  backup: BackupFact | null | 'unknown',
  mig: MigrationFact | null,
): ItemResult {
  const title = `Additive migrations and a backup of ${prod} before it`;
  const evidence: string[] = [];
  let mark: Mark = 'ok';
  if (backup === 'unknown') {
    evidence.push('last backup: could not be read');
    mark = 'unknown';
  } else if (!backup) {
    evidence.push(`no backup of ${prod} yet`);
    mark = 'warn';
  } else {
    evidence.push(
      `last backup ${backup.name}, ${backup.ageHours.toFixed(1)} h ago${backup.succeeded ? '' : ' (FAILED)'}`,
    );
    if (!backup.succeeded || backup.ageHours > BACKUP_FRESH_HOURS) mark = 'warn';
  }
  if (!mig || 'error' in mig) {
    evidence.push(`pending migrations: ${mig ? mig.error : 'unknown'}`);
    if (mark === 'ok') mark = 'unknown';
  } else if (mig.destructive.length > 0) {
    evidence.push(`DESTRUCTIVE pending migrations: ${mig.destructive.join(' · ')}`);
    mark = 'fail';
  } else
    evidence.push(
      mig.added.length ? `pending migrations all additive: ${mig.added.join(', ')}` : 'no pending migrations',
    );
  return { title, mark, evidence };
}

export type DiffFact =
  | { breakingOutside: string[]; breakingInside: string[]; newOutside: string[] }
  | { error: string };

/** 2. The OpenAPI diff between staging and production. */
export function openapiDiff(diff: DiffFact | null, namespace: string): ItemResult {
  const title = 'OpenAPI diff of staging against production';
  if (!diff || 'error' in diff) return { title, mark: 'unknown', evidence: [diff ? diff.error : 'not compared'] };
  if (diff.breakingOutside.length > 0)
    return { title, mark: 'fail', evidence: [`breaking outside ${namespace}: ${diff.breakingOutside.join(' · ')}`] };
  if (diff.breakingInside.length > 0)
    return { title, mark: 'warn', evidence: [`breaking under ${namespace} only: ${diff.breakingInside.join(' · ')}`] };
  return { title, mark: 'ok', evidence: ['no breaking change'] };
}

export type FlagFact = Record<string, 'on' | 'off' | 'unset' | 'unexpected' | null>;

/** 3. New routes live under the namespace, and the flag guards them per environment. */
export function namespacedRoutes(diff: DiffFact | null, flags: FlagFact, namespace: string, prod: string): ItemResult {
  const title = `Namespaced routes (${namespace}) behind the flag`;
  const evidence = [
    `flag: ${Object.entries(flags)
      .map(([e, v]) => `${e} ${v ?? 'unknown'}`)
      .join(', ')}`,
  ];
  let mark: Mark = 'ok';
  if (!diff || 'error' in diff) mark = 'unknown';
  else if (diff.newOutside.length > 0) {
    evidence.push(`new routes outside ${namespace}: ${diff.newOutside.join(' · ')}`);
    mark = 'fail';
  } else evidence.push(`every new route is under ${namespace}`);
  const values = Object.values(flags);
  if (values.some((v) => v === null)) mark = mark === 'fail' ? mark : 'unknown';
  else if (values.some((v) => v === 'unexpected' || v === 'unset')) {
    evidence.push('a flag is unset or not "true"/"false"');
    if (mark === 'ok') mark = 'warn';
  } else if (flags[prod] === 'on' && Object.entries(flags).some(([e, v]) => e !== prod && v === 'off')) {
    evidence.push(`${prod} is on while an earlier environment is off`);
    if (mark === 'ok') mark = 'warn';
  }
  return { title, mark, evidence };
}

/** A stored probe result older than this no longer vouches for what the environment runs. */
export const PROBE_FRESH_HOURS = 24;

/** The last stored contract probe run of an environment (src/ports/stores/probe-runs.ts). */
export interface LastProbeRun {
  ageHours: number;
  /** What ran it: verify, flag, deploy, rollback or release. */
  trigger: string;
  /** Slack user id of who asked (command caller or workflow requester). */
  actor: string | null;
  /** The workflow run that verified, if any. */
  runId: string | null;
  ok: boolean;
  health: { url: string; status: number | null } | null;
  passed: number;
  /** "name → status" of each failing probe. */
  failed: string[];
  flag: 'on' | 'off' | null;
}

/** `configured` is null when the probes are not wired in this instance (count unknown). */
export type ProbeFact =
  | { env: string; configured: number | null; last: LastProbeRun | null }
  | { env: string; error: string };

const healthOk = (h: LastProbeRun['health']): boolean =>
  h === null || (h.status !== null && h.status >= 200 && h.status < 300);

/** Who or what ran it, for the evidence: "verify by @ana", "release run 1a2b3c4d by @ana". */
function ranBy(last: LastProbeRun): string {
  const who = last.actor ? md` by ${mention(last.actor)}` : '';
  const run = last.runId ? md` run ${last.runId.slice(0, 8)}` : '';
  return md`${last.trigger}${markup(run)}${markup(who)}, ${last.ageHours.toFixed(1)} h ago`;
}

function probeEvidence(p: ProbeFact): string {
  if ('error' in p) return md`${p.env}: ${p.error}`;
  const last = p.last;
  if (p.configured === 0)
    return last?.health
      ? md`${p.env}: no probes configured; last health check ${last.health.status ?? 'no answer'} — ${markup(ranBy(last))}`
      : md`${p.env}: no probes configured`;
  if (!last) return md`${p.env}: no probe result stored yet; run \`/autorisen verify ${p.env}\``;
  const failing = [
    ...(healthOk(last.health) ? [] : [`health → ${last.health?.status ?? 'no answer'}`]),
    ...last.failed,
  ];
  const flag = last.flag ? ` (flag ${last.flag})` : '';
  const stale = last.ageHours > PROBE_FRESH_HOURS ? ` — older than ${PROBE_FRESH_HOURS} h` : '';
  return md`${p.env}: ${last.passed} pass${failing.length ? `, failing: ${failing.join(', ')}` : ''}${flag} — ${markup(ranBy(last))}${stale}`;
}

/** 4. Auth / JWT / RBAC contract checks: each environment's last stored probe run (never probed live). */
export function contractChecks(probes: ProbeFact[]): ItemResult {
  const title = 'Auth/JWT/RBAC contract checks (last probe results)';
  const evidence = probes.map(probeEvidence);
  const runs = probes.flatMap((p) => ('error' in p || p.configured === 0 || !p.last ? [] : [p.last]));
  if (runs.some((l) => !l.ok || l.failed.length > 0 || !healthOk(l.health))) return { title, mark: 'fail', evidence };
  if (probes.some((p) => 'error' in p || (p.configured !== 0 && !p.last))) return { title, mark: 'unknown', evidence };
  if (probes.some((p) => !('error' in p) && p.configured === 0) || runs.some((l) => l.ageHours > PROBE_FRESH_HOURS))
    return { title, mark: 'warn', evidence };
  return { title, mark: 'ok', evidence };
}

export type CiFact = {
  env: string;
  sha: string | null;
  state: 'green' | 'red' | 'pending' | 'none' | 'unknown';
  failing: string[];
};

/** 5. CI checks of the commit each environment runs. */
export function ciChecks(ci: CiFact[]): ItemResult {
  const title = 'CI checks of the commit each environment runs';
  const evidence = ci.map(
    (c) =>
      `${c.env}: ${c.sha ? `\`${c.sha.slice(0, 7)}\`` : 'commit unknown'} ${c.state}${c.failing.length ? ` (${c.failing.join(', ')})` : ''}`,
  );
  if (ci.some((c) => c.state === 'red')) return { title, mark: 'fail', evidence };
  if (ci.some((c) => c.state === 'unknown' || c.sha === null)) return { title, mark: 'unknown', evidence };
  if (ci.some((c) => c.state !== 'green')) return { title, mark: 'warn', evidence };
  return { title, mark: 'ok', evidence };
}

export type TaskRunFact = { task: string; state: string | null; error: string | null };

/** 6. Backfills verified on staging: the latest run of each release task there. */
export function backfills(staging: string, runs: TaskRunFact[]): ItemResult {
  const title = `Backfills verified on ${staging}`;
  if (runs.length === 0)
    return { title, mark: 'warn', evidence: ['no task in `release.tasks`: nothing verifies a backfill'] };
  const evidence = runs.map((r) => `${r.task}: ${r.state ?? 'never run'}${r.error ? ` (${r.error})` : ''}`);
  if (runs.some((r) => r.state === 'failed' || r.state === 'abandoned')) return { title, mark: 'fail', evidence };
  if (runs.some((r) => r.state !== 'done')) return { title, mark: 'warn', evidence };
  return { title, mark: 'ok', evidence };
}

export type AlertFact = Record<string, number | null>;

/** 7. Observability: open alerts per environment (production's count more). */
export function observability(open: AlertFact, prod: string): ItemResult {
  const title = 'Observability: alerts quiet';
  const evidence = [
    `open alerts: ${Object.entries(open)
      .map(([e, n]) => `${e} ${n ?? '?'}`)
      .join(', ')}`,
  ];
  if ((open[prod] ?? 0) > 0) return { title, mark: 'fail', evidence };
  if (Object.values(open).some((n) => n === null)) return { title, mark: 'unknown', evidence };
  if (Object.values(open).some((n) => (n ?? 0) > 0)) return { title, mark: 'warn', evidence };
  return { title, mark: 'ok', evidence };
}

export type ReleaseFact = { title: string; state: string; error: string | null; ageHours: number } | null;

/** 8. Backup → deploy → verify → rollback runbook: the last release run and how it ended. */
export function runbook(last: ReleaseFact): ItemResult {
  const title = 'Backup → deploy → verify → rollback runbook (`/autorisen release`)';
  if (!last) return { title, mark: 'warn', evidence: ['no release has run yet'] };
  const evidence = [
    `last: ${last.title} — ${last.state}, ${last.ageHours.toFixed(1)} h ago${last.error ? ` (${last.error})` : ''}`,
  ];
  if (last.state === 'done') return { title, mark: 'ok', evidence };
  if (last.state === 'failed' || last.state === 'faulty' || last.state === 'abandoned')
    return { title, mark: 'fail', evidence };
  return { title, mark: 'warn', evidence };
}

/** The CI state of a commit from its check runs and statuses. */
export function ciStateOf(c: {
  checkRuns: { name: string; status: string; conclusion: string | null }[];
  statuses: { context: string; state: string }[];
}): { state: CiFact['state']; failing: string[] } {
  const bad = new Set(['failure', 'cancelled', 'timed_out', 'action_required', 'startup_failure', 'stale', 'error']);
  const failing = [
    ...c.checkRuns.filter((r) => r.conclusion !== null && bad.has(r.conclusion)).map((r) => r.name),
    ...c.statuses.filter((s) => s.state === 'failure' || s.state === 'error').map((s) => s.context),
  ];
  if (failing.length > 0) return { state: 'red', failing };
  if (c.checkRuns.length + c.statuses.length === 0) return { state: 'none', failing };
  if (c.checkRuns.some((r) => r.status !== 'completed') || c.statuses.some((s) => s.state === 'pending'))
    return { state: 'pending', failing };
  return { state: 'green', failing };
}
