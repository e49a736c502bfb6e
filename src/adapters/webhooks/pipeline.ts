import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AlertSource } from '../../core/alerts/alerts.ts';
import type { ParsedDelivery } from '../../core/alerts/normalise.ts';
import type { Logger } from '../../ports/logger.ts';
import { type Decoded, decodeJson } from './json-body.ts';
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
  /** Media types accepted (lower-case, no parameters) → 415 otherwise. Default: application/json. */
  contentTypes?: readonly string[];
  /**
   * Raw bytes → value, or a 400 reason. Default: `decodeJson` (UTF-8 JSON, nesting bounded by
   * MAX_JSON_DEPTH before anything recursive sees it). A non-JSON endpoint brings its own.
   */
  decode?(raw: Buffer): Decoded;
  /**
   * Shape guard (a zod schema, see core/alerts/payloads.ts) → 400 reason naming the field, or the
   * typed delivery and the sender's stable delivery id if any. Must not throw on any decoded value.
   */
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
 * → size 413 → required headers 400 → signature/token 401 → freshness 401 → decode 400 (JSON,
 * depth-bounded) → shape 400 → persist → 202. Nothing is stored unless every guard passed; only a
 * failed persist is 503 (so the sender retries): everything the body decides is a 4xx. Bodies are JSON `{error}`; secrets and signatures are never logged.
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
    const types = src.contentTypes ?? ['application/json'];
    if (!types.includes(type))
      return reply(415, { error: `content type must be ${types.join(' or ')}, got "${type || 'none'}"` }, early);
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
    const decoded = (src.decode ?? decodeJson)(body.body);
    if (!decoded.ok) return reply(400, { error: decoded.error });
    let parsed: ReturnType<WebhookSource['parse']>;
    try {
      parsed = src.parse(decoded.value, req.headers);
    } catch (err) {
      // A guard that throws is our bug, but the body caused it: a 503 would be retried for ever
      // (Alertmanager), so it is refused and logged loudly instead.
      log.error({ err: err instanceof Error ? err.message : String(err) }, 'webhook shape guard threw');
      return reply(400, { error: 'body could not be read' });
    }
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
