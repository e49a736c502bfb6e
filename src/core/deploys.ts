import { escapeMrkdwn, md, mention } from './mrkdwn.ts';
/**
 * States of the `deploys` table, written by the deploy runner of earlier versions. Deploys and
 * rollbacks now run as workflows (src/workflows/); the table is only read at boot to settle a
 * deploy an older version left running (services/deploys/legacy-deploys.ts).
 */
export const DEPLOY_STATES = [
  'queued',
  'backing_up',
  'building',
  'rolling_back',
  'verifying',
  'succeeded',
  'failed',
] as const;
export type DeployState = (typeof DEPLOY_STATES)[number];
export type DeployKind = 'deploy' | 'rollback';

/** States in which work is under way (a restart resumes these). */
export const ACTIVE_STATES: readonly DeployState[] = ['queued', 'backing_up', 'building', 'rolling_back', 'verifying'];

// ---------------------------------------------------------------------------------------------
// Plan helpers (pure): what a deploy will bring in, read from GitHub by the command.

/** Alembic revision files: `versions/<anything>.py` under any directory (not __init__.py). */
const MIGRATION_PATH = /(^|\/)versions\/(?!__init__\.py$)[^/]+\.py$/;

/** Migration files added between the running commit and the target, in path order. */
export function addedMigrations(files: readonly { filename: string; status: string }[]): string[] {
  return files
    .filter(
      (f) =>
        (f.status === 'added' || f.status === 'renamed' || f.status === 'copied') && MIGRATION_PATH.test(f.filename),
    )
    .map((f) => f.filename)
    .sort();
}

/**
 * Only the body of `def upgrade(...)`: an additive migration's `downgrade()` legitimately drops
 * what `upgrade()` created, so scanning the whole file would flag every new table.
 */
export function upgradeBody(source: string): string {
  const lines = source.split(/\r?\n/);
  const start = lines.findIndex((l) => /^def\s+upgrade\s*\(/.test(l));
  if (start < 0) return source;
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((l) => /^\S/.test(l) && !/^#/.test(l));
  return (end < 0 ? rest : rest.slice(0, end)).join('\n');
}

const DESTRUCTIVE: { pattern: RegExp; what: string }[] = [
  { pattern: /\bop\.drop_column\s*\(/, what: 'drops a column (op.drop_column)' },
  { pattern: /\bop\.drop_table\s*\(/, what: 'drops a table (op.drop_table)' },
  { pattern: /\bop\.alter_column\s*\(/, what: 'alters a column (op.alter_column)' },
  { pattern: /\bop\.rename_table\s*\(/, what: 'renames a table (op.rename_table)' },
  { pattern: /\bbatch_op\.(drop_column|alter_column)\s*\(/, what: 'alters a table in batch mode (batch_op)' },
  { pattern: /\bDROP\s+(TABLE|COLUMN)\b/i, what: 'runs raw SQL DROP TABLE/COLUMN' },
  { pattern: /\bALTER\s+TABLE\b[^;'"]*?\b(DROP|RENAME)\b/i, what: 'runs raw SQL ALTER TABLE … DROP/RENAME' },
  {
    pattern: /\bALTER\s+(TABLE\b[^;'"]*?\bALTER\s+)?COLUMN\b[^;'"]*?\bTYPE\b/i,
    what: 'changes a column type (ALTER … TYPE)',
  },
];

/** Why a migration is not additive (empty when it looks additive). Comments are ignored. */
export function destructiveReasons(filename: string, source: string): string[] {
  const body = upgradeBody(source)
    .split('\n')
    .map((l) => l.replace(/#.*$/, ''))
    .join('\n');
  const reasons = DESTRUCTIVE.filter((d) => d.pattern.test(body)).map((d) => d.what);
  const base = filename.split('/').at(-1) ?? filename;
  if (reasons.length === 0 && /(^|[_\-.])(drop|remove|delete|rename|alter)([_\-.]|$)/i.test(base)) {
    reasons.push(`its name suggests it ${/rename|alter/i.test(base) ? 'alters' : 'drops'} something`);
  }
  return reasons;
}

/** "Deploy 69eec518" (Heroku's description for a build release) → "69eec518"; else null. */
export function shaFromReleaseDescription(description: string): string | null {
  const m = /^Deploy ([0-9a-f]{7,40})\b/.exec(description.trim());
  return m ? m[1]! : null;
}

/** "Promote autorisen-staging v12" (a pipeline promotion's release) → the source app and version; else null. */
export function promotionFromReleaseDescription(description: string): { app: string; version: number } | null {
  const m = /^Promote (\S+) v(\d+)\b/.exec(description.trim());
  return m ? { app: m[1]!, version: Number(m[2]) } : null;
}

/** "Rollback to v41" → 41; else null. */
export function versionFromRollbackDescription(description: string): number | null {
  const m = /^Rollback to v(\d+)\b/.exec(description.trim());
  return m ? Number(m[1]) : null;
}

/** One line per commit, newest last, capped with "… and N more". */
export function renderCommits(
  commits: readonly { sha: string; message: string; author: string }[],
  max = 10,
): string[] {
  const shown = commits.length > max ? commits.slice(commits.length - max) : commits;
  const lines = shown.map((c) => `\`${c.sha.slice(0, 7)}\` ${firstLine(c.message)} (${escapeMrkdwn(c.author)})`);
  if (commits.length > max) lines.unshift(`… and ${commits.length - max} earlier`);
  return lines;
}

/** Distinct authors in order of first appearance. */
export function authorsOf(commits: readonly { author: string }[]): string[] {
  return [...new Set(commits.map((c) => c.author))];
}

/** A commit message's subject, trimmed to fit a Slack line and escaped for mrkdwn (it is outside text). */
export function firstLine(message: string, max = 72): string {
  const line = message.split('\n')[0]!.trim();
  return escapeMrkdwn(line.length > max ? `${line.slice(0, max - 1)}…` : line);
}

/** The plan's fingerprint: what execute() relies on (current release + target), re-checked after approval. */
export function deployFingerprint(currentReleaseVersion: number | null, target: string): string {
  return `v${currentReleaseVersion ?? 0}->${target}`;
}

/**
 * Why an environment is refused, naming what holds the lock. A manual lock (`/autorisen lock`, or
 * the freeze a rollback leaves) has nothing running, so there is nothing to wait for; a deploy,
 * rollback or flag change is running and ends by itself.
 */
export function lockedMessage(
  env: string,
  lock: { holderId: string; kind: string; reason: string; acquiredAt: number },
): string {
  const since = new Date(lock.acquiredAt).toISOString().slice(0, 16).replace('T', ' ');
  // The holder is a live mention; the reason is text (typed, or the bot's without markup), always escaped.
  const by = mention(lock.holderId);
  if (lock.kind === 'manual')
    return md`${env} is locked by ${by} since ${since} UTC: ${lock.reason}. Nothing is running; it stays locked until someone runs \`/autorisen unlock ${env}\`.`;
  return md`${env} is busy: a ${lock.kind} by ${by} holds the lock since ${since} UTC (${lock.reason}). Wait for it to finish, or \`/autorisen unlock ${env}\` if the lock is stale.`;
}
