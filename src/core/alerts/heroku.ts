import {
  makeFingerprint,
  resolveEnv,
  toMillis,
  type AlertContext,
  type ChangeEvent,
  type Normalised,
} from './alerts.ts';
import { isObj, str, type HerokuPayload, type Json } from './payloads.ts';

/**
 * Heroku app webhooks (PROTOCOLS.md §C3): settled releases and finished builds become change notices
 * for the deploy channel (and release history for the context line); crashed dynos become alerts.
 * A release fires `create` then `update` when its status settles, so we act on `update` only;
 * builds likewise (`create` is always `pending`).
 */
export function normaliseHeroku(body: HerokuPayload, ctx: AlertContext): Normalised {
  const app = body.data.app.name;
  const env = resolveEnv([app], ctx.envs);
  const where = env ? `${app} (${env})` : app;
  const d = body.data;
  const actor = (isObj(d.user) ? str(d.user.email) : null) ?? body.actor?.email ?? null;
  if (body.resource === 'release') {
    if (body.action !== 'update') return none(`release ${body.action}`);
    const status = str(d.status) ?? 'unknown';
    const version = typeof d.version === 'number' ? d.version : null;
    const description = str(d.description) ?? '';
    const change = classifyRelease(description);
    const commit = change.commit ?? (isObj(d.slug) ? (str(d.slug.commit)?.slice(0, 7) ?? null) : null);
    const text = `Release ${version !== null ? `v${version}` : str(d.id)} of ${where}: ${description || 'no description'}${actor ? ` by ${actor}` : ''} — ${status}`;
    const changes: ChangeEvent[] =
      env && status === 'succeeded'
        ? [
            {
              env,
              kind: change.kind,
              at: toMillis(d.updated_at) ?? toMillis(body.created_at) ?? ctx.now,
              version,
              commit,
              actor,
              description,
            },
          ]
        : [];
    return {
      alerts: [],
      changes,
      ignored: null,
      notices: [{ env, app, kind: 'release', key: `heroku:release:${str(d.id)}:${status}`, text, status, links: [] }],
    };
  }
  if (body.resource === 'build') {
    if (body.action !== 'update') return none(`build ${body.action}`);
    const status = str(d.status) ?? 'unknown';
    const src = isObj(d.source_blob) ? str(d.source_blob.version) : null;
    const rel = isObj(d.release) && typeof d.release.version === 'number' ? ` → v${d.release.version}` : '';
    const text = `Build ${status} for ${where}${src ? ` at ${src.slice(0, 7)}` : ''}${actor ? ` by ${actor}` : ''}${rel}`;
    return {
      alerts: [],
      changes: [],
      ignored: null,
      notices: [{ env, app, kind: 'build', key: `heroku:build:${str(d.id)}:${status}`, text, status, links: [] }],
    };
  }
  if (body.resource === 'dyno') return dyno(d, app, env, where);
  return none(`${body.resource} ${body.action}`);
}

function none(why: string): Normalised {
  return { alerts: [], notices: [], changes: [], ignored: why };
}

/** Release description patterns seen in the wild (§C3): "Deploy <sha>", "Rollback to vNN", "Set X config vars". */
export function classifyRelease(description: string): { kind: ChangeEvent['kind']; commit: string | null } {
  const deploy = /^Deploy ([0-9a-f]{7,40})\b/i.exec(description);
  if (deploy) return { kind: 'deploy', commit: deploy[1]!.slice(0, 7) };
  if (/^Rollback to v\d+/i.test(description)) return { kind: 'rollback', commit: null };
  if (/config vars?$/i.test(description))
    return { kind: /FEATURE_AUTORISEN/.test(description) ? 'flag' : 'config', commit: null };
  return { kind: 'release', commit: null };
}

/** Only `state: crashed` is an alert; every crash of the same process type shares one message. */
function dyno(d: Json, app: string, env: string | null, where: string): Normalised {
  if (str(d.state) !== 'crashed') return none(`dyno ${str(d.state) ?? 'state unknown'}`);
  const name = str(d.name) ?? 'dyno';
  const type = str(d.type) ?? name.split('.')[0]!;
  const exit = typeof d.exit_status === 'number' ? ` (exit ${d.exit_status})` : '';
  const release = isObj(d.release) && typeof d.release.version === 'number' ? `release v${d.release.version}` : null;
  return {
    alerts: [
      {
        source: 'heroku',
        env,
        severity: 'error',
        title: `Dyno ${name} crashed on ${where}${exit}`,
        detail: [str(d.command) ? `command: ${str(d.command)}` : null, release].filter(Boolean).join(' · ') || null,
        status: 'firing',
        fingerprint: makeFingerprint('heroku', 'dyno-crash', `${app}:${type}`),
        project: null,
        links: [],
        labels: { app, dyno: name, type },
        resolvedBy: null,
      },
    ],
    notices: [],
    changes: [],
    ignored: null,
  };
}
