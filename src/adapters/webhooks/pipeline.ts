import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AlertSource } from '../../core/alerts.ts';
import type { ParsedDelivery } from '../../core/alert-normalise.ts';
import type { Logger } from '../../ports/logger.ts';
import { MAX_WEBHOOK_BODY_BYTES, readBody } from './read-body.ts';

/** What a source-specific check says: pass, or the status and reason to answer with. */
export type Check = { ok: true } | { ok: false; status: 400 | 401; error: string };

/** Everything that differs between Sentry, Alertmanager, Grafana and Heroku. */
export interface WebhookSource {
  source: AlertSource;
  path: string;
  /** Null when usable, else the env var(s) to set (→ 503, never accept unauthenticated data). */
  missingSecret(): string | null;
  /** Header names that must be present (lower-case; `a|b` = either). */
  requiredHeaders(): string[];
  /** Signature or token over the raw bytes → 401. */
  verify(raw: Buffer, headers: IncomingHttpHeaders): boolean;
  /** Freshness of a signed timestamp → 401 reason, or null when fresh (or the sender signs none). */
  stale(headers: IncomingHttpHeaders, nowMs: number): string | null;
  /** Shape guard → 400 reason, or the typed delivery and the sender's stable delivery id if any. */
  parse(
    json: unknown,
    headers: IncomingHttpHeaders,
  ): { ok: true; delivery: ParsedDelivery; deliveryId: string | null } | { ok: false; error: string };
}

/** Persists an accepted delivery (the only side effect before the 202). */
export interface DeliverySink {
  accept(input: {
    source: AlertSource;
    raw: Buffer;
    delivery: ParsedDelivery;
    deliveryId: string | null;
  }): Promise<{ id: string | null; duplicate: boolean }>;
}

export interface PipelineDeps {
  sink: DeliverySink;
  log: Logger;
  now(): number;
  maxBodyBytes?: number;
}

/** Header value as one string (first of repeats), or null. */
export function header(headers: IncomingHttpHeaders, name: string): string | null {
  const v = headers[name];
  const s = Array.isArray(v) ? v[0] : v;
  return s === undefined || s === '' ? null : s;
}

/**
 * The one guard pipeline, in the fixed order of ARCHITECTURE.md §3: method 405 → (source not configured 503) → content type 415
 * → size 413 → required headers 400 → signature/token 401 → freshness 401 → JSON 400 → shape 400 →
 * persist → 202. Nothing is stored unless every guard passed; a failed persist is 503 so the
 * sender retries. Bodies are JSON `{error}`; secrets and signatures are never logged.
 */
export function createWebhookHandler(
  src: WebhookSource,
  deps: PipelineDeps,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const log = deps.log.child({ webhook: src.source });
  return async (req, res) => {
    const reply = (status: number, body: Record<string, unknown>, extra: Record<string, string> = {}) => {
      if (status >= 400) log.info({ status, reason: body.error }, 'webhook rejected');
      res.writeHead(status, {
        'content-type': 'application/json; charset=utf-8',
        'cache-control': 'no-store',
        ...extra,
      });
      res.end(JSON.stringify(body));
    };
    // Answering before reading the body: close the connection so the unread rest is not parsed as a next request.
    const early = { connection: 'close' };
    if (req.method !== 'POST')
      return reply(405, { error: `method ${req.method ?? '?'} not allowed; use POST` }, { ...early, allow: 'POST' });
    const missing = src.missingSecret();
    if (missing) return reply(503, { error: `${src.source} webhooks are not configured: set ${missing}` }, early);
    const type = (header(req.headers, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json')
      return reply(415, { error: `content type must be application/json, got "${type || 'none'}"` }, early);
    const cap = deps.maxBodyBytes ?? MAX_WEBHOOK_BODY_BYTES;
    const body = await readBody(req, cap);
    if (body.kind === 'too_large') return reply(413, { error: `body larger than ${cap} bytes` }, early);
    if (body.kind === 'aborted') return; // client went away; nothing to answer
    for (const name of src.requiredHeaders()) {
      if (!name.split('|').some((n) => header(req.headers, n) !== null))
        return reply(400, { error: `missing header ${name.split('|').join(' or ')}` });
    }
    if (!src.verify(body.body, req.headers)) return reply(401, { error: 'signature or token does not match' });
    const stale = src.stale(req.headers, deps.now());
    if (stale) return reply(401, { error: stale });
    let json: unknown;
    try {
      json = JSON.parse(body.body.toString('utf8'));
    } catch {
      return reply(400, { error: 'body is not valid JSON' });
    }
    const parsed = src.parse(json, req.headers);
    if (!parsed.ok) return reply(400, { error: parsed.error });
    try {
      const r = await deps.sink.accept({
        source: src.source,
        raw: body.body,
        delivery: parsed.delivery,
        deliveryId: parsed.deliveryId,
      });
      // Debug only: every accepted delivery is a row in alert_deliveries already, and a line per
      // request at info would cost a storm more than its JSON parse (rejections stay at info).
      log.debug(
        { status: 202, id: r.id, duplicate: r.duplicate },
        r.duplicate ? 'duplicate webhook delivery' : 'webhook accepted',
      );
      reply(202, { ok: true, id: r.id, duplicate: r.duplicate });
    } catch (err) {
      log.error({ err: err instanceof Error ? err.message : String(err) }, 'could not store webhook delivery');
      reply(503, { error: 'could not store the delivery; retry later' });
    }
  };
}
