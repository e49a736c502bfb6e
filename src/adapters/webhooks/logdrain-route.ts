import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Config } from '../../config.ts';
import { parseLogplexBody } from '../../core/drain/logplex.ts';
import type { Logger } from '../../ports/logger.ts';
import type { DrainSink } from '../../services/drain/logdrain-intake.ts';
import { header } from './pipeline.ts';
import { readBody } from './read-body.ts';
import type { WebhookRoute } from './routes.ts';
import { WEBHOOK_METHODS } from './routes.ts';
import { safeEqual } from './verify.ts';

/** Where Heroku posts: `heroku drains:add https://<env>:<password>@<bot>/hooks/logdrain -a <app>`. */
export const LOGDRAIN_PATH = '/hooks/logdrain';

/**
 * Largest drain POST we accept. Logplex batches up to a few hundred lines of at most 10 KB each
 * (heroku/logplex README.http_drains.md); 4 MiB is far above a real batch and bounds memory.
 */
export const MAX_DRAIN_BODY_BYTES = 4 * 1024 * 1024;

export interface LogdrainRouteDeps {
  config: Pick<Config, 'logdrain'>;
  sink: DrainSink;
  log: Logger;
  now(): number;
  maxBodyBytes?: number;
}

/**
 * `POST /hooks/logdrain`, a Heroku HTTPS log drain, in the webhooks' guard order: method 405 →
 * (no drain credentials 503) → content type 415 → size 413 → Logplex headers 400 → basic auth 401
 * (constant-time over every environment, so the time taken never says which one nearly matched) →
 * drain token 403 (the token must belong to that environment's app) → parse → persist → 200.
 * A frame that cannot be read costs only itself; a POST with no readable frame is 400.
 */
export function logdrainRoute(deps: LogdrainRouteDeps): WebhookRoute {
  const log = deps.log.child({ webhook: 'logdrain' });
  const envs = deps.config.logdrain.environments.filter((e) => e.passwords.length > 0);
  const handler = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const reply = (status: number, body: Record<string, unknown>, extra: Record<string, string> = {}) => {
      if (status >= 400) log.info({ status, reason: body.error }, 'log drain POST rejected');
      res.writeHead(status, {
        'content-type': 'application/json; charset=utf-8',
        'cache-control': 'no-store',
        ...extra,
      });
      res.end(JSON.stringify(body));
    };
    const early = { connection: 'close' };
    if (req.method !== 'POST')
      return reply(405, { error: `method ${req.method ?? '?'} not allowed; use POST` }, { ...early, allow: 'POST' });
    if (envs.length === 0)
      return reply(
        503,
        { error: 'log drain is not configured: set LOGDRAIN_PASSWORD_<ENV> for an environment' },
        early,
      );
    const type = (header(req.headers, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/logplex-1')
      return reply(415, { error: `content type must be application/logplex-1, got "${type || 'none'}"` }, early);
    const cap = deps.maxBodyBytes ?? MAX_DRAIN_BODY_BYTES;
    const body = await readBody(req, cap);
    if (body.kind === 'too_large') return reply(413, { error: `body larger than ${cap} bytes` }, early);
    if (body.kind === 'aborted') return;
    for (const name of ['logplex-msg-count', 'logplex-frame-id', 'logplex-drain-token', 'authorization'])
      if (header(req.headers, name) === null) return reply(400, { error: `missing header ${name}` });
    const declared = header(req.headers, 'logplex-msg-count')!;
    if (!/^\d{1,6}$/.test(declared)) return reply(400, { error: 'Logplex-Msg-Count must be a number' });
    const frameId = header(req.headers, 'logplex-frame-id')!;
    if (frameId.length > 200) return reply(400, { error: 'Logplex-Frame-Id longer than 200 characters' });
    const env = authenticate(envs, header(req.headers, 'authorization')!);
    if (env === null)
      return reply(401, { error: 'drain credentials do not match' }, { 'www-authenticate': 'Basic realm="logdrain"' });
    const token = header(req.headers, 'logplex-drain-token')!;
    let tokenOk = env.drainTokens.length === 0;
    for (const t of env.drainTokens) if (safeEqual(t, token)) tokenOk = true;
    if (!tokenOk)
      return reply(403, {
        error: `drain token ${token.slice(0, 40)} is not one of ${env.env}'s drains (logdrain.environments.${env.env}.drain_tokens)`,
      });
    const batch = parseLogplexBody(body.body);
    if (batch.messages.length === 0 && body.body.length > 0)
      return reply(400, { error: `no readable frame in the body (${batch.malformed} malformed)` });
    if (batch.malformed > 0)
      log.warn(
        { env: env.env, frameId, malformed: batch.malformed, kept: batch.messages.length },
        'malformed log frames dropped',
      );
    try {
      const r = await deps.sink.accept({ env: env.env, frameId, receivedAt: deps.now(), messages: batch.messages });
      reply(200, {
        ok: true,
        env: env.env,
        frames: batch.messages.length,
        malformed: batch.malformed,
        declared: Number(declared),
        counted: r.counted,
        duplicate: r.duplicate,
      });
    } catch (err) {
      log.error({ err: err instanceof Error ? err.message : String(err) }, 'could not store log drain metrics');
      reply(503, { error: 'could not store the metrics; retry later' });
    }
  };
  return { path: LOGDRAIN_PATH, method: WEBHOOK_METHODS, handler };
}

/** The environment whose `<env>:<password>` the Basic header carries, checked against every one. */
function authenticate<E extends { env: string; passwords: string[] }>(
  envs: readonly E[],
  authorization: string,
): E | null {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization);
  if (!m) return null;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  const user = decoded.slice(0, colon);
  const pass = decoded.slice(colon + 1);
  let hit: E | null = null;
  // No early exit: every environment and password is compared.
  for (const e of envs) {
    const userOk = safeEqual(e.env, user);
    let passOk = false;
    for (const p of e.passwords) if (safeEqual(p, pass)) passOk = true;
    if (userOk && passOk) hit = e;
  }
  return hit;
}
