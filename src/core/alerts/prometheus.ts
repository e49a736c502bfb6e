import { createHash } from 'node:crypto';
import {
  makeFingerprint,
  resolveEnv,
  severityOf,
  type Alert,
  type AlertContext,
  type AlertLink,
  type Normalised,
} from './alerts.ts';
import type { PromAlert, PromPayload } from './payloads.ts';

/**
 * Alertmanager v4 and Grafana v1 notifications → one Alert per alert in the group (PROTOCOLS.md
 * §E1/§E2). Identity is the per-alert `fingerprint`; older Alertmanagers omit it, so we derive one
 * from the sorted label set, which is exactly what Alertmanager hashes itself.
 */
export function normaliseProm(source: 'alertmanager' | 'grafana', body: PromPayload, ctx: AlertContext): Normalised {
  const alerts = body.alerts.map((a) => fromPromAlert(source, a, body, ctx));
  return { alerts, notices: [], changes: [], ignored: alerts.length ? null : 'notification without alerts' };
}

/** Label names that may name an environment, in order of preference. */
const ENV_LABELS = ['env', 'environment', 'app', 'heroku_app', 'namespace'];

function fromPromAlert(source: 'alertmanager' | 'grafana', a: PromAlert, body: PromPayload, ctx: AlertContext): Alert {
  const labels = { ...(body.commonLabels ?? {}), ...a.labels };
  const ann = a.annotations ?? {};
  const status = (a.status ?? body.status) === 'resolved' ? 'resolved' : 'firing';
  const key = a.fingerprint || labelHash(a.labels);
  const links: AlertLink[] = [];
  const push = (label: string, url: string | null | undefined) => {
    if (url) links.push({ label, url });
  };
  push('Source', a.generatorURL);
  push('Dashboard', a.dashboardURL);
  push('Panel', a.panelURL);
  push('Runbook', ann.runbook_url);
  push(
    `Silence in ${source === 'grafana' ? 'Grafana' : 'Alertmanager'}`,
    a.silenceURL ??
      (source === 'alertmanager' && body.externalURL
        ? `${body.externalURL.replace(/\/+$/, '')}/#/silences/new`
        : undefined),
  );
  return {
    source,
    env: resolveEnv(
      ENV_LABELS.map((l) => labels[l]),
      ctx.envs,
    ),
    severity: severityOf(labels.severity ?? labels.priority, 'warning'),
    title: ann.summary || labels.alertname || labels.rulename || 'Alert',
    detail: ann.description || (ann.summary && labels.alertname ? labels.alertname : null),
    status,
    fingerprint: makeFingerprint(source, 'alert', key),
    project: null,
    links,
    labels,
    resolvedBy: status === 'resolved' ? (source === 'grafana' ? 'Grafana' : 'Alertmanager') : null,
  };
}

/** Stable hash of a label set (sorted name=value pairs). */
function labelHash(labels: Record<string, string>): string {
  const text = Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join('\u0000');
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}
