/**
 * Shapes of the webhook bodies we read (only the fields we use) and the type guards that narrow
 * untrusted JSON into them. A guard returns null when the shape is fine, else the reason (→ 400).
 * Field facts: PROTOCOLS.md §B (Sentry), §C3 (Heroku), §E1 (Alertmanager), §E2 (Grafana).
 */

export type Json = Record<string, unknown>;

export function isObj(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function str(v: unknown): string | null {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null;
}

/** Sentry integration-platform envelope: {action, installation:{uuid}, data:{…}, actor}. */
export interface SentryPayload {
  action: string;
  data: Json;
  actor?: { type?: string; id?: unknown; name?: string };
  installation?: { uuid?: string };
}

/** The `Sentry-Hook-Resource` values we accept (§B). */
export const SENTRY_RESOURCES = ['event_alert', 'metric_alert', 'issue', 'error', 'installation'] as const;
export type SentryResource = (typeof SENTRY_RESOURCES)[number];

export function isSentryResource(v: string): v is SentryResource {
  return (SENTRY_RESOURCES as readonly string[]).includes(v);
}

/** Which key under `data` each resource must carry. */
const SENTRY_DATA_KEY: Record<SentryResource, string> = {
  event_alert: 'event',
  metric_alert: 'metric_alert',
  issue: 'issue',
  error: 'error',
  installation: 'installation',
};

export function checkSentry(body: unknown, resource: SentryResource): string | null {
  if (!isObj(body)) return 'expected a JSON object';
  if (typeof body.action !== 'string') return 'expected "action" to be a string';
  if (!isObj(body.data)) return 'expected "data" to be an object';
  const key = SENTRY_DATA_KEY[resource];
  if (!isObj(body.data[key])) return `expected "data.${key}" for resource ${resource}`;
  if (body.actor !== undefined && !isObj(body.actor)) return 'expected "actor" to be an object';
  return null;
}

/** One alert inside an Alertmanager v4 / Grafana v1 notification. */
export interface PromAlert {
  status?: string;
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  startsAt?: string;
  endsAt?: string;
  generatorURL?: string;
  fingerprint?: string;
  silenceURL?: string;
  dashboardURL?: string;
  panelURL?: string;
}

/** Alertmanager webhook v4 body; Grafana's v1 body is a superset (§E1, §E2). */
export interface PromPayload {
  receiver?: string;
  status: string;
  alerts: PromAlert[];
  commonLabels?: Record<string, string>;
  externalURL?: string;
  groupKey?: string;
  version?: string;
  title?: string;
}

function isStringMap(v: unknown): v is Record<string, string> {
  return isObj(v) && Object.values(v).every((x) => typeof x === 'string');
}

export function checkProm(body: unknown): string | null {
  if (!isObj(body)) return 'expected a JSON object';
  if (body.status !== 'firing' && body.status !== 'resolved') return 'expected "status" to be "firing" or "resolved"';
  if (!Array.isArray(body.alerts)) return 'expected "alerts" to be a list';
  for (const [i, a] of body.alerts.entries()) {
    if (!isObj(a)) return `expected alerts[${i}] to be an object`;
    if (!isStringMap(a.labels)) return `expected alerts[${i}].labels to map names to strings`;
    if (a.annotations !== undefined && a.annotations !== null && !isStringMap(a.annotations))
      return `expected alerts[${i}].annotations to map names to strings`;
    if (a.status !== undefined && a.status !== 'firing' && a.status !== 'resolved')
      return `expected alerts[${i}].status to be "firing" or "resolved"`;
  }
  if (body.commonLabels !== undefined && !isStringMap(body.commonLabels))
    return 'expected "commonLabels" to map names to strings';
  return null;
}

/** Heroku app webhook body (§C3): {id, action, actor, resource, data{app{name}…}, webhook_metadata}. */
export interface HerokuPayload {
  id?: string;
  action: string;
  resource: string;
  actor?: { email?: string };
  data: Json & { app: { name: string } };
  previous_data?: Json;
  created_at?: string;
  webhook_metadata?: { delivery?: { id?: string }; event?: { include?: string } };
}

export function checkHeroku(body: unknown): string | null {
  if (!isObj(body)) return 'expected a JSON object';
  if (typeof body.action !== 'string') return 'expected "action" to be a string';
  if (typeof body.resource !== 'string') return 'expected "resource" to be a string';
  if (!isObj(body.data)) return 'expected "data" to be an object';
  if (!isObj(body.data.app) || typeof body.data.app.name !== 'string') return 'expected "data.app.name" to be a string';
  return null;
}
