import { createHash } from 'node:crypto';
import type { Config } from '../../config.ts';
import { resolveEnv, routeAlert, routeNotice, type AlertSource } from '../../core/alerts/alerts.ts';
import { normalise, type ParsedDelivery } from '../../core/alerts/normalise.ts';
import type { Clock, Ids } from '../../ports/clock.ts';
import type { Logger } from '../../ports/logger.ts';
import type { AlertStore } from '../../ports/stores/alerts.ts';
import type { ReleaseStore } from '../../ports/stores/releases.ts';
import { GroupCommit } from './batcher.ts';

export interface AlertIntakeDeps {
  store: { alerts: AlertStore; releases?: ReleaseStore };
  config: Pick<Config, 'environments' | 'alerts'>;
  clock: Clock;
  ids: Ids;
  log: Logger;
  /** Called after a new delivery is stored, to wake the delivery worker. */
  onAccepted?: () => void;
}

/** What the webhook pipeline hands over once every guard passed. */
export interface IntakeInput {
  source: AlertSource;
  raw: Buffer;
  delivery: ParsedDelivery;
  deliveryId: string | null;
}

/**
 * Accept one verified delivery: normalise, route, and store it with its alerts/notices in one
 * transaction before the 202 (requests arriving together share one: see GroupCommit). Dedup key: the sender's stable delivery id when it has one (Heroku),
 * else the SHA-256 of the raw body (Sentry's Request-ID changes per retry; Alertmanager has none).
 * Heroku releases are also recorded in the flag/release history (issue 3) for context lines.
 */
export function createAlertIntake(deps: AlertIntakeDeps) {
  const envs = deps.config.environments;
  const { routes, defaultChannel } = deps.config.alerts;
  const batcher = new GroupCommit((items: Parameters<AlertStore['acceptBatch']>[0]) =>
    deps.store.alerts.acceptBatch(items),
  );
  return {
    async accept(input: IntakeInput): Promise<{ id: string | null; duplicate: boolean }> {
      const now = deps.clock.now();
      const n = normalise(input.delivery, { envs, now });
      const alerts = n.alerts.map((alert) => ({
        alert,
        channel: routeAlert(alert, routes, envs, defaultChannel).channel,
      }));
      const notices = n.notices.map((x) => ({
        key: x.key,
        env: x.env,
        text: x.text,
        channel: routeNotice(x, envs, defaultChannel).channel,
      }));
      const dedupKey = input.deliveryId
        ? `${input.source}:delivery:${input.deliveryId}`
        : `${input.source}:sha256:${createHash('sha256').update(input.raw).digest('hex')}`;
      const id = deps.ids.next();
      const outcome = n.ignored
        ? `ignored: ${n.ignored}`
        : [plural(alerts.length, 'alert'), plural(notices.length, 'notice')].filter(Boolean).join(', ');
      const resource =
        input.delivery.source === 'sentry'
          ? input.delivery.resource
          : input.delivery.source === 'heroku'
            ? `${input.delivery.body.resource}:${input.delivery.body.action}`
            : null;
      const r = await batcher.submit({
        delivery: {
          id,
          source: input.source,
          dedupKey,
          resource,
          receivedAt: now,
          body: input.raw.toString('utf8'),
          outcome,
        },
        alerts,
        notices,
        changes: n.changes,
      });
      if (r.duplicate) return { id: null, duplicate: true };
      if (input.delivery.source === 'heroku') await recordRelease(deps, input.delivery.body);
      deps.onAccepted?.();
      return { id, duplicate: false };
    },
  };
}

export type AlertIntake = ReturnType<typeof createAlertIntake>;

function plural(n: number, word: string): string {
  return n === 0 ? '' : `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Feed a settled Heroku release into the shared release history; best effort (the delivery is already stored). */
async function recordRelease(
  deps: AlertIntakeDeps,
  body: Extract<ParsedDelivery, { source: 'heroku' }>['body'],
): Promise<void> {
  const releases = deps.store.releases;
  const d = body.data;
  if (
    !releases ||
    body.resource !== 'release' ||
    body.action !== 'update' ||
    d.status !== 'succeeded' ||
    typeof d.version !== 'number'
  )
    return;
  // The same mapping as the notice and the context line (name, alias or heroku_app); the record
  // keeps the app that actually released, so another app's versions never mix into this one's.
  const envName = resolveEnv([d.app.name], deps.config.environments);
  const env = envName ? deps.config.environments.find((e) => e.name === envName) : undefined;
  if (!env) return;
  const user = d.user as { email?: unknown } | undefined;
  try {
    await releases.record({
      env: env.name,
      app: d.app.name,
      version: d.version,
      releaseId: typeof d.id === 'string' ? d.id : '',
      flagValue: null,
      flagKnown: false,
      source: 'webhook',
      actor: typeof user?.email === 'string' ? user.email : (body.actor?.email ?? null),
      description: typeof d.description === 'string' ? d.description : '',
      at: Date.parse(String(d.updated_at ?? d.created_at ?? '')) || deps.clock.now(),
    });
  } catch (err) {
    deps.log.warn(
      { err: err instanceof Error ? err.message : String(err) },
      'could not record the Heroku release in the release history',
    );
  }
}
