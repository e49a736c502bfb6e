import type { Config, EnvironmentConfig } from '../../config.ts';
import type { CallOptions } from './heroku-call.ts';
import { AppError } from '../../errors.ts';
import type { HerokuBackup, HerokuBuild, HerokuPort, HerokuRelease, HerokuTransfer } from '../../ports/heroku.ts';
import { mapHerokuError, type CallSite } from './heroku-errors.ts';
import { sendHerokuRequest, type HerokuCall, type SeenHeaders } from './heroku-request.ts';
import { pipelineMethods } from './heroku-pipelines.ts';
import { dynoMethods } from './heroku-dynos.ts';
import { backupMethods } from './heroku-backups.ts';
import { toBuild, toRelease, toSlug, toTransfer, asArray, asObject } from './heroku-shapes.ts';
import type { HerokuPriority } from '../../core/heroku-budget.ts';
import { budgetRefusal, HerokuReadCache, type CachedRead } from './heroku-read-cache.ts';

/** Per-request socket timeout. Heroku answers API calls in well under a second; 20 s means trouble. */
export const HEROKU_TIMEOUT_MS = 20_000;
/** An idempotent GET answered 429 with a Retry-After at most this long is retried once. */
export const MAX_RETRY_WAIT_SEC = 5;
/** Heroku's cap on a Range page (Platform API reference: default 200, max 1000). */
export const MAX_RANGE = 1000;

export interface HerokuAdapterOptions {
  timeoutMs?: number;
  /** Used to name the config entry in 404 messages. */
  environments?: readonly EnvironmentConfig[];
  sleep?: (ms: number) => Promise<void>;
  maxRetryWaitSec?: number;
  /**
   * Budget and read cache shared by this process's views of Heroku (one per priority); a private one
   * when absent. See heroku-read-cache.ts.
   */
  readCache?: HerokuReadCache;
  /** `low`: reads served from the cache while fresh and refused when the budget runs low. Default essential. */
  priority?: HerokuPriority;
}

export type { CallOptions } from './heroku-call.ts';

/** HerokuPort over HTTP (heroku-request.ts): Platform API at config.apiUrl, Data API at config.dataApiUrl. */
export function createHerokuAdapter(config: Config['heroku'], options: HerokuAdapterOptions = {}): HerokuPort {
  const timeoutMs = options.timeoutMs ?? HEROKU_TIMEOUT_MS;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const maxWait = options.maxRetryWaitSec ?? MAX_RETRY_WAIT_SEC;
  const enc = encodeURIComponent;
  const cache = options.readCache ?? new HerokuReadCache();
  const priority = options.priority ?? 'essential';

  const configEntry = (app: string | null): string | null => {
    const envs = options.environments ?? [];
    const i = envs.findIndex((e) => e.herokuApp === app);
    return i < 0 ? null : `environments[${i}].heroku_app (${envs[i]!.name})`;
  };

  async function call(method: HerokuCall['method'], path: string, o: CallOptions): Promise<unknown> {
    if (!config.apiKey)
      throw new AppError(
        'heroku_unauthorized',
        'HEROKU_API_KEY is not set, so I cannot talk to Heroku. Set it and restart the bot.',
      );
    const host = o.data ? config.dataApiUrl : config.apiUrl;
    const key = method === 'GET' && o.cache ? `${host} ${path} ${o.headers?.Range ?? ''}` : null;
    const cached = key === null ? undefined : cache.get(key);
    // Low-priority reads (status, Home) take a fresh cached copy; the others always ask (with If-None-Match).
    if (cached && priority === 'low' && cache.isFresh(cached)) return cached.body;
    // Once the copy expires, concurrent low-priority reads of it share one request (heroku-read-cache.ts).
    if (key !== null && priority === 'low') return cache.shareRead(key, o.app, () => ask(method, path, o, key, cached));
    return ask(method, path, o, key, cached);
  }

  /** Ask Heroku (budget permitting), conditionally when a copy is cached; remember what it says. */
  async function ask(
    method: HerokuCall['method'],
    path: string,
    o: CallOptions,
    key: string | null,
    cached: CachedRead | undefined,
  ): Promise<unknown> {
    const host = o.data ? config.dataApiUrl : config.apiUrl;
    const site: CallSite = { app: o.app, doing: o.doing, configEntry: configEntry(o.app), timeoutMs, baseUrl: host };
    if (!cache.mayCall(priority)) {
      if (cached) return cached.body; // older than the TTL, but the budget is kept for deploys and the kill switch
      throw budgetRefusal(o.doing, cache.remaining());
    }
    const conditional: Record<string, string> = cached?.etag ? { 'If-None-Match': cached.etag } : {};
    const once = async () => {
      const seen: SeenHeaders = { status: null, rateLimitRemaining: null, retryAfter: null, etag: null };
      cache.sent++;
      try {
        const value = await sendHerokuRequest(
          {
            host,
            token: config.apiKey!,
            method,
            path,
            body: o.body,
            headers: { ...o.headers, ...conditional },
            partial: o.partial,
            timeoutMs,
            cachedBody: cached?.etag ? cached.body : undefined,
          },
          seen,
        );
        return { ok: true as const, value, etag: seen.etag ?? null };
      } catch (err) {
        return { ok: false as const, error: mapHerokuError(err, site, seen) };
      } finally {
        cache.observe(seen.rateLimitRemaining);
        // Any write may have changed what reads of this app return, even one that failed or timed out.
        if (method !== 'GET' && o.app) cache.invalidate(o.app);
      }
    };
    const generation = cache.generation(o.app);
    const remember = (r: { value: unknown; etag: string | null }): unknown => {
      // Not when a write to the app finished while this read was in flight: its answer may predate the write.
      if (key !== null && cache.generation(o.app) === generation) cache.put(key, o.app, r.etag, r.value);
      return r.value;
    };
    const first = await once();
    if (first.ok) return remember(first);
    // A low-priority read that Heroku refused for its limit makes do with what it had.
    if (priority === 'low' && cached && first.error.code === 'heroku_rate_limited') return cached.body;
    // Writes are never retried: the first attempt may have been applied (nothing resends them).
    const wait = first.error.retryAfterSec;
    if (method === 'GET' && first.error.code === 'heroku_rate_limited' && wait !== undefined && wait <= maxWait) {
      await sleep(wait * 1000);
      const second = await once();
      if (second.ok) return remember(second);
      throw second.error;
    }
    throw first.error;
  }

  const release = async (app: string, idOrVersion: string | number): Promise<HerokuRelease> =>
    toRelease(
      await call('GET', `/apps/${enc(app)}/releases/${enc(String(idOrVersion))}`, {
        app,
        doing: `reading release ${idOrVersion}`,
      }),
    );

  return {
    // Pipelines and promotions (issue 11) live in their own file; they share this call path.
    ...pipelineMethods(call),
    ...dynoMethods(call),
    ...backupMethods(call),
    async getConfigVars(app) {
      return stringMap(
        await call('GET', `/apps/${enc(app)}/config-vars`, { app, doing: 'reading config vars', cache: true }),
      );
    },

    async setConfigVars(app, vars) {
      return stringMap(
        await call('PATCH', `/apps/${enc(app)}/config-vars`, {
          app,
          doing: `setting ${Object.keys(vars).join(', ')}`,
          body: vars,
        }),
      );
    },

    async listReleases(app, max) {
      const n = Math.max(1, Math.min(MAX_RANGE, Math.floor(max)));
      // partial: Next-Range would otherwise be followed through the whole history.
      const body = await call('GET', `/apps/${enc(app)}/releases`, {
        app,
        doing: 'listing releases',
        partial: true,
        cache: true,
        headers: { Range: `version ..; order=desc, max=${n}` },
      });
      return asArray(body)
        .map(toRelease)
        .sort((a, b) => b.version - a.version)
        .slice(0, n);
    },

    getRelease: release,

    async getSlug(app, slugId) {
      // A slug never changes once built: cached with its ETag like the other reads.
      const path = `/apps/${enc(app)}/slugs/${enc(slugId)}`;
      return toSlug(await call('GET', path, { app, doing: `reading slug ${slugId}`, cache: true }));
    },

    async rollback(app, releaseId) {
      // The API takes a release uuid only (schema: release/definitions/id); resolve a bare version first.
      const id = /^v?\d+$/.test(releaseId) ? (await release(app, releaseId.replace(/^v/, ''))).id : releaseId;
      return toRelease(
        await call('POST', `/apps/${enc(app)}/releases`, { app, doing: 'rolling back', body: { release: id } }),
      );
    },

    async createBuild(app, source) {
      const blob: Record<string, string> = { url: source.url, version: source.version };
      if (source.description) blob.version_description = source.description;
      return toBuild(
        await call('POST', `/apps/${enc(app)}/builds`, { app, doing: 'starting a build', body: { source_blob: blob } }),
      );
    },

    async getBuild(app, buildId): Promise<HerokuBuild> {
      return toBuild(
        // cache: polled with If-None-Match, so an unchanged build comes back as a bodiless 304.
        await call('GET', `/apps/${enc(app)}/builds/${enc(buildId)}`, { app, doing: 'reading the build', cache: true }),
      );
    },

    async readBuildOutput(outputStreamUrl) {
      // A pre-signed URL on another host (build-output.heroku.com): no API key goes there.
      try {
        const res = await fetch(outputStreamUrl, { signal: AbortSignal.timeout(timeoutMs) });
        if (res.status === 404) return '';
        if (!res.ok)
          throw new AppError(
            'heroku_unavailable',
            `Heroku's build output could not be read (${res.status}). The build itself is unaffected.`,
          );
        return await res.text();
      } catch (err) {
        if (err instanceof AppError) throw err;
        const timeout = err instanceof Error && err.name === 'TimeoutError';
        throw new AppError(
          timeout ? 'heroku_timeout' : 'heroku_unavailable',
          `Heroku's build output could not be read${timeout ? ' in time' : ''}. The build itself is unaffected.`,
          { cause: err },
        );
      }
    },

    async captureBackup(app): Promise<HerokuBackup> {
      // PROTOCOLS.md §C4: resolve DATABASE_URL's addon, then POST a backup on the Data API.
      const attachments = asArray(
        await call('POST', '/actions/addon-attachments/resolve', {
          app,
          doing: 'finding the Postgres database',
          body: { app, addon_attachment: 'DATABASE_URL', addon_service: 'heroku-postgresql' },
        }),
      );
      const addon = asObject(asObject(attachments[0]).addon);
      if (addon.id === undefined || addon.id === null)
        throw new AppError(
          'heroku_not_found',
          `App "${app}" has no Heroku Postgres database attached as DATABASE_URL, so there is nothing to back up.`,
        );
      const b = asObject(
        await call('POST', `/client/v11/databases/${enc(String(addon.id))}/backups`, {
          app,
          doing: 'starting a Postgres backup',
          data: true,
        }),
      );
      if (typeof b.uuid !== 'string' || typeof b.num !== 'number')
        throw new AppError(
          'heroku_backup_failed',
          `Heroku did not start a backup for "${app}" (unexpected answer from the Data API).`,
        );
      return { name: `b${String(b.num).padStart(3, '0')}`, transferId: b.uuid };
    },

    async getTransfer(app, transferId): Promise<HerokuTransfer> {
      return toTransfer(
        await call('GET', `/client/v11/apps/${enc(app)}/transfers/${enc(transferId)}?verbose=true`, {
          app,
          doing: 'checking the Postgres backup',
          data: true,
        }),
      );
    },
  };
}

function stringMap(body: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(asObject(body))) if (typeof v === 'string') out[k] = v;
  return out;
}
