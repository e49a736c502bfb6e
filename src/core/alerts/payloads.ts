import { z } from 'zod';

/**
 * Schemas of the webhook bodies, listing every field the normalisers and the intake read (the rest
 * passes through untouched: vendors add fields, and we must not refuse them). A body that breaks
 * one is the sender's mistake (→ 400 naming the field), never our 503: Alertmanager retries 5xx
 * without end. Field facts: PROTOCOLS.md §B (Sentry), §C3 (Heroku), §E1 (Alertmanager), §E2 (Grafana).
 */

export type Json = Record<string, unknown>;

export function isObj(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function str(v: unknown): string | null {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null;
}

/** A field read through `str()`: ids and versions arrive as strings or numbers; absent or null is fine. */
const scalar = z.union([z.string(), z.number()], { error: 'expected a string or a number' }).nullish();
/** A field used as text as it is (URLs, fingerprints). */
const text = z.string({ error: 'expected a string' }).nullish();
const stringMap = z.record(z.string(), z.string({ error: 'expected a string value' }), {
  error: 'expected an object mapping names to strings',
});
const obj = <T extends z.core.$ZodLooseShape>(shape: T) => z.looseObject(shape, { error: 'expected an object' });

/** An event as Sentry sends it under `data.event` (event_alert) or `data.error` (error). */
const sentryEvent = obj({
  issue_id: scalar,
  event_id: scalar,
  environment: scalar,
  url: scalar,
  project: scalar,
  web_url: scalar,
  release: scalar,
  culprit: scalar,
  level: scalar,
  title: scalar,
  /** Tags arrive as [[key, value], …]. */
  tags: z.array(z.array(z.unknown()), { error: 'expected a list of [key, value] pairs' }).nullish(),
});

const sentryMetric = obj({
  metric_alert: obj({
    id: scalar,
    title: scalar,
    status: scalar,
    projects: z.array(z.union([z.string(), z.number()]), { error: 'expected a list of project slugs' }).nullish(),
    alert_rule: obj({ id: scalar, name: scalar, environment: scalar, aggregate: scalar }).nullish(),
  }),
  web_url: scalar,
  description_text: scalar,
});

const sentryIssue = obj({
  issue: obj({
    id: scalar,
    title: scalar,
    level: scalar,
    shortId: scalar,
    culprit: scalar,
    permalink: scalar,
    project: obj({ slug: scalar }).nullish(),
  }),
});

/** The integration-platform envelope: {action, installation:{uuid}, data:{…}, actor}. */
const sentryEnvelope = <T extends z.ZodType>(data: T) =>
  obj({
    action: z.string({ error: 'expected a string' }),
    data,
    actor: obj({ type: scalar, name: scalar }).nullish(),
  });

/** The `Sentry-Hook-Resource` values we accept (§B). */
export const SENTRY_RESOURCES = ['event_alert', 'metric_alert', 'issue', 'error', 'installation'] as const;
export type SentryResource = (typeof SENTRY_RESOURCES)[number];

export function isSentryResource(v: string): v is SentryResource {
  return (SENTRY_RESOURCES as readonly string[]).includes(v);
}

/** One schema per resource: each requires the key under `data` that resource carries. */
export const SENTRY_SCHEMAS = {
  event_alert: sentryEnvelope(obj({ event: sentryEvent, triggered_rule: scalar })),
  error: sentryEnvelope(obj({ error: sentryEvent })),
  metric_alert: sentryEnvelope(sentryMetric),
  issue: sentryEnvelope(sentryIssue),
  installation: sentryEnvelope(obj({ installation: obj({}) })),
} as const;

/** What every Sentry resource shares; the normaliser reads `data` by resource through `str()`. */
export type SentryPayload = { action: string; data: Json; actor?: { type?: unknown; name?: unknown } | null };

/** One alert inside an Alertmanager v4 / Grafana v1 notification. */
const promAlert = obj({
  status: z.enum(['firing', 'resolved'], { error: 'expected "firing" or "resolved"' }).optional(),
  labels: stringMap,
  annotations: stringMap.nullish(),
  generatorURL: text,
  fingerprint: text,
  silenceURL: text,
  dashboardURL: text,
  panelURL: text,
});

/** Alertmanager webhook v4 body; Grafana's v1 body is a superset (§E1, §E2). */
export const PROM_SCHEMA = obj({
  status: z.enum(['firing', 'resolved'], { error: 'expected "firing" or "resolved"' }),
  alerts: z.array(promAlert, { error: 'expected a list' }),
  commonLabels: stringMap.optional(),
  externalURL: text,
});
export type PromPayload = z.infer<typeof PROM_SCHEMA>;
export type PromAlert = z.infer<typeof promAlert>;

const version = z.number({ error: 'expected a number' }).nullish();

/** Heroku app webhook body (§C3): {id, action, actor, resource, data{app{name}…}, webhook_metadata}. */
export const HEROKU_SCHEMA = obj({
  action: z.string({ error: 'expected a string' }),
  resource: z.string({ error: 'expected a string' }),
  actor: obj({ email: text }).nullish(),
  created_at: scalar,
  data: obj({
    app: obj({ name: z.string({ error: 'expected a string' }) }),
    id: scalar,
    name: scalar,
    type: scalar,
    state: scalar,
    status: scalar,
    command: scalar,
    description: scalar,
    updated_at: scalar,
    created_at: scalar,
    version,
    exit_status: version,
    user: obj({ email: text }).nullish(),
    slug: obj({ commit: scalar }).nullish(),
    source_blob: obj({ version: scalar }).nullish(),
    release: obj({ version }).nullish(),
  }),
  webhook_metadata: obj({ delivery: obj({ id: scalar }).nullish() }).nullish(),
});
export type HerokuPayload = z.infer<typeof HEROKU_SCHEMA>;

/** `alerts[0].labels` style path of a zod issue, for the 400 body. */
function pathOf(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || 'body';
}

/** Validate `body` with `schema`: the typed value, or the first problem as "<path>: <what was expected>". */
export function check<T extends z.ZodType>(
  schema: T,
  body: unknown,
): { ok: true; value: z.infer<T> } | { ok: false; error: string } {
  if (!isObj(body)) return { ok: false, error: 'expected a JSON object' };
  const r = schema.safeParse(body);
  if (r.success) return { ok: true, value: r.data };
  const issue = r.error.issues[0]!;
  let at: unknown = body;
  for (const p of issue.path) at = isObj(at) || Array.isArray(at) ? (at as Record<PropertyKey, unknown>)[p] : undefined;
  const what = at === undefined ? 'is required' : issue.message;
  return { ok: false, error: `"${pathOf(issue.path)}" ${what.replace(/^Invalid input: /, '')}` };
}
