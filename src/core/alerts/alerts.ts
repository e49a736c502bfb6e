import { createHash } from 'node:crypto';
import type { AlertRoute } from './routing.ts';

/**
 * Alerts, pure: every webhook source is normalised into `Alert`s (things that fire and resolve) and
 * `ChangeNotice`s (Heroku releases/builds for the deploy channel); routing picks one channel.
 * No I/O, no clock: times come in as parameters.
 */

export const ALERT_SOURCES = ['sentry', 'alertmanager', 'grafana', 'heroku'] as const;
export type AlertSource = (typeof ALERT_SOURCES)[number];

export const SEVERITIES = ['critical', 'error', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export type AlertStatus = 'firing' | 'resolved';

/** A link shown on the alert message. */
export interface AlertLink {
  label: string;
  url: string;
}

/** One alert as the bot understands it, whatever sent it. */
export interface Alert {
  source: AlertSource;
  /** Configured environment name, or null when nothing in the payload maps to one. */
  env: string | null;
  severity: Severity;
  title: string;
  /** One more line of detail (annotation summary, culprit, description). */
  detail: string | null;
  status: AlertStatus;
  /** Same fingerprint = same alert: repeats are counted into one message. Short (≤ 120 chars). */
  fingerprint: string;
  /** Sentry project slug, when known (routing key `project`). */
  project: string | null;
  links: AlertLink[];
  labels: Record<string, string>;
  /** Who or what resolved it, when status is resolved ("Sentry (resolved by Jane)", "Alertmanager"). */
  resolvedBy: string | null;
}

/** A deploy, rollback or flag change on an environment, used for the context line. */
export interface ChangeEvent {
  env: string;
  kind: 'deploy' | 'rollback' | 'config' | 'flag' | 'release';
  at: number;
  /** Heroku release version, when known. */
  version: number | null;
  /** Short commit sha, when known. */
  commit: string | null;
  actor: string | null;
  /** For flag changes: "on" / "off" / a percentage; otherwise the release description. */
  description: string;
}

/** A Heroku change posted to the environment's deploy channel. */
export interface ChangeNotice {
  env: string | null;
  app: string;
  kind: 'release' | 'build';
  /** Unique per Heroku object+status, so a create/update pair or a retry posts once. */
  key: string;
  text: string;
  status: string;
  links: AlertLink[];
}

/** What one accepted delivery turns into. */
export interface Normalised {
  alerts: Alert[];
  notices: ChangeNotice[];
  changes: ChangeEvent[];
  /** Why nothing was produced (e.g. "installation event", "issue assigned"), for the delivery log. */
  ignored: string | null;
}

/** The part of an environment's config normalisation and routing need. */
export interface EnvRef {
  name: string;
  aliases: readonly string[];
  herokuApp: string;
  deployChannel: string | null;
}

/** Everything normalisation needs besides the payload. */
export interface AlertContext {
  envs: readonly EnvRef[];
  /** Receipt time (ms), used when the payload carries none. */
  now: number;
}

/** The first candidate that names an environment (by name, alias or Heroku app, case-insensitive). */
export function resolveEnv(candidates: readonly (string | null | undefined)[], envs: readonly EnvRef[]): string | null {
  for (const c of candidates) {
    if (!c) continue;
    const v = c.trim().toLowerCase();
    const hit = envs.find(
      (e) =>
        e.name.toLowerCase() === v || e.herokuApp.toLowerCase() === v || e.aliases.some((a) => a.toLowerCase() === v),
    );
    if (hit) return hit.name;
  }
  return null;
}

/** A short, stable fingerprint: readable prefix + the key, hashed when it would be too long. */
export function makeFingerprint(source: AlertSource, kind: string, key: string): string {
  const fp = `${source}:${kind}:${key}`;
  return fp.length <= 120 ? fp : `${source}:${kind}:${createHash('sha256').update(key).digest('hex').slice(0, 32)}`;
}

/** Map vendor severity words onto ours; unknown words become `warning` (visible but not paging). */
export function severityOf(word: string | null | undefined, dflt: Severity = 'warning'): Severity {
  switch ((word ?? '').toLowerCase()) {
    case 'fatal':
    case 'critical':
    case 'page':
    case 'disaster':
      return 'critical';
    case 'error':
    case 'major':
    case 'high':
      return 'error';
    case 'warning':
    case 'warn':
    case 'minor':
    case 'medium':
      return 'warning';
    case 'info':
    case 'informational':
    case 'debug':
    case 'low':
    case 'none':
      return 'info';
    default:
      return dflt;
  }
}

/** Where an alert goes and which rule sent it there (for `/autorisen alerts routes` and logs). */
export interface RouteDecision {
  channel: string | null;
  /** "routes[2]", "deploy channel of production", "default channel", or "none". */
  because: string;
}

/**
 * The first route whose every given field matches (source, env, severity, project), else the env's
 * deploy channel for Heroku events, else the default channel. Matching is exact and case-insensitive.
 */
export function routeAlert(
  alert: Pick<Alert, 'source' | 'env' | 'severity' | 'project'>,
  routes: readonly AlertRoute[],
  envs: readonly EnvRef[],
  defaultChannel: string | null,
): RouteDecision {
  const eq = (want: string | undefined, have: string | null) =>
    want === undefined || (have !== null && want.toLowerCase() === have.toLowerCase());
  const i = routes.findIndex(
    (r) =>
      eq(r.source, alert.source) &&
      eq(r.env, alert.env) &&
      eq(r.severity, alert.severity) &&
      eq(r.project, alert.project),
  );
  if (i >= 0) return { channel: routes[i]!.channel, because: `routes[${i}]` };
  if (alert.source === 'heroku' && alert.env) {
    const deploy = envs.find((e) => e.name === alert.env)?.deployChannel;
    if (deploy) return { channel: deploy, because: `deploy channel of ${alert.env}` };
  }
  if (defaultChannel) return { channel: defaultChannel, because: 'default channel' };
  return { channel: null, because: 'none' };
}

/** A notice goes to its environment's deploy channel, else the default channel. */
export function routeNotice(
  notice: ChangeNotice,
  envs: readonly EnvRef[],
  defaultChannel: string | null,
): RouteDecision {
  const deploy = notice.env ? envs.find((e) => e.name === notice.env)?.deployChannel : null;
  if (deploy) return { channel: deploy, because: `deploy channel of ${notice.env}` };
  if (defaultChannel) return { channel: defaultChannel, because: 'default channel' };
  return { channel: null, because: 'none' };
}

/** Human lines describing the routing rules in force, in evaluation order. */
export function describeRoutes(
  routes: readonly AlertRoute[],
  envs: readonly EnvRef[],
  defaultChannel: string | null,
): string[] {
  const lines = routes.map((r, i) => {
    const conds = (['source', 'env', 'severity', 'project'] as const)
      .filter((k) => r[k] !== undefined)
      .map((k) => `${k}=${r[k]}`);
    return `${i + 1}. ${conds.length ? conds.join(', ') : 'everything'} → <#${r.channel}>`;
  });
  for (const e of envs)
    if (e.deployChannel) lines.push(`• Heroku events for ${e.name} (${e.herokuApp}) → <#${e.deployChannel}>`);
  lines.push(
    defaultChannel
      ? `• anything else → <#${defaultChannel}> (default)`
      : '• anything else: no default channel set (alerts.default_channel); such alerts are stored but not posted',
  );
  return lines;
}

/** Unix seconds or an ISO date string → ms; null when absent or unparsable. */
export function toMillis(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v < 1e12 ? Math.round(v * 1000) : v;
  if (typeof v === 'string' && v && !v.startsWith('0001-')) {
    const t = Date.parse(v);
    return Number.isNaN(t) ? null : t;
  }
  return null;
}
