import type { Config } from '../../config.ts';
import {
  check,
  HEROKU_SCHEMA,
  isSentryResource,
  PROM_SCHEMA,
  SENTRY_SCHEMAS,
  str,
  type SentryPayload,
} from '../../core/alerts/payloads.ts';
import { header, type WebhookSource } from './pipeline.ts';
import { verifyBearer, verifyHmac } from './verify.ts';

/** How far a signed Grafana timestamp may be from our clock (same window Slack uses, §A1). */
export const MAX_TIMESTAMP_SKEW_SEC = 300;

type Secrets = Config['webhooks'];

/**
 * Sentry (PROTOCOLS.md §B): hex HMAC-SHA256 of the raw body in `Sentry-Hook-Signature` (or
 * `Sentry-App-Signature` on alert-rule-action requests). `Sentry-Hook-Timestamp` is NOT signed, so
 * checking it would stop nothing (an attacker can rewrite it) while rejecting late retries; replays
 * are caught by the payload-hash dedup instead.
 */
export function sentrySource(secrets: Secrets): WebhookSource {
  return {
    source: 'sentry',
    path: '/hooks/sentry',
    missingSecret: () => (secrets.sentry.length ? null : 'SENTRY_CLIENT_SECRET'),
    requiredHeaders: () => ['sentry-hook-resource', 'sentry-hook-signature|sentry-app-signature'],
    verify: (raw, h) =>
      verifyHmac(
        secrets.sentry,
        [raw],
        header(h, 'sentry-hook-signature') ?? header(h, 'sentry-app-signature') ?? '',
        'hex',
      ),
    stale: () => null,
    parse(json, h) {
      const resource = header(h, 'sentry-hook-resource')!;
      if (!isSentryResource(resource))
        return {
          ok: false,
          error: `unsupported Sentry-Hook-Resource "${resource.slice(0, 40)}"; expected event_alert, metric_alert, issue, error or installation`,
        };
      const r = check(SENTRY_SCHEMAS[resource], json);
      // Request-ID is a fresh uuid per send, not stable across retries (§B): dedup uses the body hash.
      return r.ok
        ? { ok: true, delivery: { source: 'sentry', resource, body: r.value as SentryPayload }, deliveryId: null }
        : r;
    },
  };
}

/** Alertmanager (§E1): no signature exists; a bearer token set in the receiver's http_config. */
export function alertmanagerSource(secrets: Secrets): WebhookSource {
  return {
    source: 'alertmanager',
    path: '/hooks/alertmanager',
    missingSecret: () => (secrets.alertmanager.length ? null : 'ALERTMANAGER_TOKEN'),
    requiredHeaders: () => ['authorization'],
    verify: (_raw, h) => verifyBearer(secrets.alertmanager, header(h, 'authorization') ?? ''),
    stale: () => null,
    parse(json) {
      const r = check(PROM_SCHEMA, json);
      return r.ok ? { ok: true, delivery: { source: 'alertmanager', body: r.value }, deliveryId: null } : r;
    },
  };
}

/**
 * Grafana (§E2): with GRAFANA_WEBHOOK_SECRET, hex HMAC-SHA256 over `[<ts>:]<body>` in
 * `X-Grafana-Alerting-Signature`; when `X-Grafana-Alerting-Timestamp` is sent it is signed, so it
 * is checked for freshness (±5 min). Without an HMAC secret, a bearer token (GRAFANA_TOKEN).
 */
export function grafanaSource(secrets: Secrets): WebhookSource {
  const useHmac = () => secrets.grafanaHmac.length > 0;
  return {
    source: 'grafana',
    path: '/hooks/grafana',
    missingSecret: () =>
      useHmac() || secrets.grafanaToken.length ? null : 'GRAFANA_WEBHOOK_SECRET (HMAC) or GRAFANA_TOKEN (bearer)',
    requiredHeaders: () => (useHmac() ? ['x-grafana-alerting-signature'] : ['authorization']),
    verify(raw, h) {
      if (!useHmac()) return verifyBearer(secrets.grafanaToken, header(h, 'authorization') ?? '');
      const ts = header(h, 'x-grafana-alerting-timestamp');
      return verifyHmac(
        secrets.grafanaHmac,
        ts === null ? [raw] : [`${ts}:`, raw],
        header(h, 'x-grafana-alerting-signature')!,
        'hex',
      );
    },
    stale(h, nowMs) {
      const ts = useHmac() ? header(h, 'x-grafana-alerting-timestamp') : null;
      if (ts === null) return null;
      const sec = Number(ts);
      if (!/^\d+$/.test(ts) || Math.abs(nowMs / 1000 - sec) > MAX_TIMESTAMP_SKEW_SEC)
        return `X-Grafana-Alerting-Timestamp is more than ${MAX_TIMESTAMP_SKEW_SEC} s from our clock`;
      return null;
    },
    parse(json) {
      const r = check(PROM_SCHEMA, json);
      return r.ok ? { ok: true, delivery: { source: 'grafana', body: r.value }, deliveryId: null } : r;
    },
  };
}

/**
 * Heroku (§C3): base64 HMAC-SHA256 of the raw body in `Heroku-Webhook-Hmac-SHA256`. Heroku signs
 * no timestamp; retries of one delivery keep `webhook_metadata.delivery.id`, which is the dedup key.
 */
export function herokuSource(secrets: Secrets): WebhookSource {
  return {
    source: 'heroku',
    path: '/hooks/heroku',
    missingSecret: () => (secrets.heroku.length ? null : 'HEROKU_WEBHOOK_SECRET'),
    requiredHeaders: () => ['heroku-webhook-hmac-sha256'],
    verify: (raw, h) => verifyHmac(secrets.heroku, [raw], header(h, 'heroku-webhook-hmac-sha256')!, 'base64'),
    stale: () => null,
    parse(json) {
      const r = check(HEROKU_SCHEMA, json);
      if (!r.ok) return r;
      const body = r.value;
      return { ok: true, delivery: { source: 'heroku', body }, deliveryId: str(body.webhook_metadata?.delivery?.id) };
    },
  };
}

/** The four sources, in route order. */
export function allSources(secrets: Secrets): WebhookSource[] {
  return [sentrySource(secrets), alertmanagerSource(secrets), grafanaSource(secrets), herokuSource(secrets)];
}
