import type { AlertContext, Normalised } from './alerts.ts';
import { normaliseHeroku } from './heroku.ts';
import type { HerokuPayload, PromPayload, SentryPayload, SentryResource } from './payloads.ts';
import { normaliseProm } from './prometheus.ts';
import { normaliseSentry } from './sentry.ts';

/** A verified, shape-checked webhook body, tagged with its source. */
export type ParsedDelivery =
  | { source: 'sentry'; resource: SentryResource; body: SentryPayload }
  | { source: 'alertmanager' | 'grafana'; body: PromPayload }
  | { source: 'heroku'; body: HerokuPayload };

/** Turn any accepted delivery into alerts, change notices and change history. */
export function normalise(d: ParsedDelivery, ctx: AlertContext): Normalised {
  switch (d.source) {
    case 'sentry':
      return normaliseSentry(d.resource, d.body, ctx);
    case 'alertmanager':
    case 'grafana':
      return normaliseProm(d.source, d.body, ctx);
    case 'heroku':
      return normaliseHeroku(d.body, ctx);
  }
}
