import {
  makeFingerprint,
  resolveEnv,
  severityOf,
  type Alert,
  type AlertContext,
  type AlertLink,
  type Normalised,
} from './alerts.ts';
import { isObj, str, type Json, type SentryPayload, type SentryResource } from './payloads.ts';

/**
 * Sentry integration-platform webhooks → alerts (PROTOCOLS.md §B). Issue alerts, errors and issues
 * share the fingerprint `sentry:issue:<issue id>`, so an issue's alerts and its resolution land on
 * one message; metric alerts group by incident id.
 */
export function normaliseSentry(resource: SentryResource, body: SentryPayload, ctx: AlertContext): Normalised {
  const d = body.data;
  switch (resource) {
    case 'event_alert':
      return one(fromEvent(d.event as Json, str(d.triggered_rule), ctx));
    case 'error':
      return one(fromEvent(d.error as Json, null, ctx));
    case 'metric_alert':
      return one(fromMetric(body.action, d, ctx, actorName(body)));
    case 'issue':
      return fromIssue(body.action, d.issue as Json, ctx, actorName(body));
    case 'installation':
      return none(`installation ${body.action}`);
  }
}

function one(alert: Alert): Normalised {
  return { alerts: [alert], notices: [], changes: [], ignored: null };
}

function none(why: string): Normalised {
  return { alerts: [], notices: [], changes: [], ignored: why };
}

function actorName(body: SentryPayload): string | null {
  const a = body.actor;
  return a && a.type === 'user' && typeof a.name === 'string' ? a.name : null;
}

/** Tags arrive as [[key, value], …]. */
function tag(event: Json, key: string): string | null {
  if (!Array.isArray(event.tags)) return null;
  for (const t of event.tags) if (Array.isArray(t) && t[0] === key) return str(t[1]);
  return null;
}

/** The project slug from an event's API url (…/projects/<org>/<slug>/events/…). */
function projectSlug(event: Json): string | null {
  const m = /\/projects\/[^/]+\/([^/]+)\//.exec(str(event.url) ?? '');
  return m ? m[1]! : null;
}

function fromEvent(event: Json, rule: string | null, ctx: AlertContext): Alert {
  const issueId = str(event.issue_id) ?? str(event.event_id) ?? 'unknown';
  const environment = str(event.environment) ?? tag(event, 'environment');
  const project = projectSlug(event) ?? str(event.project);
  const links: AlertLink[] = [];
  const web = str(event.web_url);
  if (web) links.push({ label: 'Event in Sentry', url: web });
  const release = str(event.release);
  const culprit = str(event.culprit);
  return {
    source: 'sentry',
    env: resolveEnv([environment, project], ctx.envs),
    severity: severityOf(str(event.level) ?? tag(event, 'level'), 'error'),
    title: str(event.title) ?? 'Sentry event',
    detail:
      [rule ? `Rule: ${rule}` : null, culprit ? `in ${culprit}` : null, release ? `release ${release}` : null]
        .filter(Boolean)
        .join(' · ') || null,
    status: 'firing',
    fingerprint: makeFingerprint('sentry', 'issue', issueId),
    project,
    links,
    labels: { ...(environment ? { environment } : {}), ...(release ? { release } : {}) },
    resolvedBy: null,
  };
}

/** Incident status OPEN=1, CLOSED=2, WARNING=10, CRITICAL=20 (§B). */
function fromMetric(action: string, d: Json, ctx: AlertContext, actor: string | null): Alert {
  const incident = isObj(d.metric_alert) ? d.metric_alert : {};
  const rule = isObj(incident.alert_rule) ? incident.alert_rule : {};
  const projects = Array.isArray(incident.projects)
    ? incident.projects.map(str).filter((p): p is string => p !== null)
    : [];
  const resolved = action === 'resolved' || incident.status === 2;
  const web = str(d.web_url);
  const environment = str(rule.environment);
  return {
    source: 'sentry',
    env: resolveEnv([environment, ...projects], ctx.envs),
    severity: action === 'warning' || incident.status === 10 ? 'warning' : 'critical',
    title: str(rule.name) ?? str(incident.title) ?? 'Sentry metric alert',
    detail: (str(d.description_text) ?? '').replace(/\\n/g, ' · ') || null,
    status: resolved ? 'resolved' : 'firing',
    fingerprint: makeFingerprint('sentry', 'metric', str(incident.id) ?? str(rule.id) ?? 'unknown'),
    project: projects[0] ?? null,
    links: web ? [{ label: 'Incident in Sentry', url: web }] : [],
    labels: {
      ...(environment ? { environment } : {}),
      ...(str(rule.aggregate) ? { aggregate: str(rule.aggregate)! } : {}),
    },
    resolvedBy: resolved ? (actor ? `Sentry (${actor})` : 'Sentry') : null,
  };
}

/** Issue actions: created/unresolved fire; resolved/ignored/archived resolve; assigned is ignored. */
function fromIssue(action: string, issue: Json, ctx: AlertContext, actor: string | null): Normalised {
  const firing = action === 'created' || action === 'unresolved';
  const resolving = action === 'resolved' || action === 'ignored' || action === 'archived';
  if (!firing && !resolving) return none(`issue ${action}`);
  const project = isObj(issue.project) ? str(issue.project.slug) : null;
  const web = str(issue.permalink);
  const by = action === 'resolved' ? 'resolved' : action;
  return one({
    source: 'sentry',
    env: resolveEnv([project], ctx.envs),
    severity: severityOf(str(issue.level), 'error'),
    title: str(issue.title) ?? 'Sentry issue',
    detail:
      [
        str(issue.shortId),
        str(issue.culprit) ? `in ${str(issue.culprit)}` : null,
        action === 'created' ? 'new issue' : null,
      ]
        .filter(Boolean)
        .join(' · ') || null,
    status: firing ? 'firing' : 'resolved',
    fingerprint: makeFingerprint('sentry', 'issue', str(issue.id) ?? 'unknown'),
    project,
    links: web ? [{ label: 'Issue in Sentry', url: web }] : [],
    labels: {},
    resolvedBy: resolving ? `Sentry (${by}${actor ? ` by ${actor}` : ''})` : null,
  });
}
