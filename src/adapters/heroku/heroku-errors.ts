import { AppError } from '../../errors.ts';
import type { SeenHeaders } from './heroku-request.ts';

/**
 * Failed Heroku calls → coded AppErrors whose messages say how to fix it. heroku-request.ts rejects a
 * non-2xx with a HerokuHttpError carrying `statusCode` and the parsed `{id, message}` body
 * (PROTOCOLS.md §C1); a timeout with `timedOut`; socket errors keep their `code` (ECONNREFUSED…).
 */

/** What the call was doing, for the message. */
export interface CallSite {
  app: string | null;
  /** e.g. "reading config vars" */
  doing: string;
  /** "environments[1].heroku_app (production)" when known, for 404s. */
  configEntry: string | null;
  timeoutMs: number;
  /** The base URL the call went to (never a secret). */
  baseUrl: string;
}

interface VendorError {
  statusCode?: number;
  body?: unknown;
  code?: string;
  message?: string;
  timedOut?: boolean;
}

/** Map anything a Heroku call threw to an AppError (the original kept as `cause`). */
export function mapHerokuError(err: unknown, site: CallSite, seen: SeenHeaders): AppError {
  if (err instanceof AppError) return err;
  const e = (err ?? {}) as VendorError;
  const appText = site.app ? ` on app "${site.app}"` : '';
  const body =
    e.body && typeof e.body === 'object' ? (e.body as { id?: unknown; message?: unknown; resource?: unknown }) : {};
  const vendorMessage = typeof body.message === 'string' ? body.message.replace(/\s*\n\s*/g, ' ').trim() : null;
  const status = typeof e.statusCode === 'number' ? e.statusCode : null;

  if (status === null) {
    if (e.timedOut === true) {
      return new AppError(
        'heroku_timeout',
        `Heroku did not answer within ${Math.round(site.timeoutMs / 1000)} s while ${site.doing}${appText}. It may still have happened: check the current state before trying again.`,
        { cause: err },
      );
    }
    const code = typeof e.code === 'string' ? ` (${e.code})` : '';
    return new AppError(
      'heroku_unavailable',
      `Could not reach the Heroku API at ${site.baseUrl}${code} while ${site.doing}${appText}. Check HEROKU_API_URL and the network, then try again.`,
      { cause: err },
    );
  }
  switch (status) {
    case 401:
      return new AppError(
        'heroku_unauthorized',
        `Heroku rejected the API key (401) while ${site.doing}${appText}. Set HEROKU_API_KEY to a valid key (\`heroku authorizations:create\`) and restart the bot.`,
        { cause: err },
      );
    case 403:
      return new AppError(
        'heroku_forbidden',
        `Heroku refused access${appText} (403${body.id ? ` ${String(body.id)}` : ''}) while ${site.doing}. The account behind HEROKU_API_KEY needs access to that app (\`heroku access:add\`), or use a key of an account that has it.`,
        { cause: err },
      );
    case 404: {
      const resource = typeof body.resource === 'string' ? body.resource : 'app';
      if (resource !== 'app' || !site.app) {
        return new AppError(
          'heroku_not_found',
          `Heroku found no such ${resource.replace(/_/g, ' ')}${appText} (404) while ${site.doing}${vendorMessage ? `: ${vendorMessage}` : ''}.`,
          { cause: err },
        );
      }
      const entry = site.configEntry ?? 'heroku_app of that environment';
      return new AppError(
        'heroku_not_found',
        `Heroku has no app "${site.app}" that HEROKU_API_KEY can see (404). Check ${entry} in the bot's config file, and that the key's account has access to the app.`,
        { cause: err },
      );
    }
    case 429: {
      const retryAfter =
        seen.retryAfter !== null && /^\d+$/.test(seen.retryAfter) ? Number(seen.retryAfter) : undefined;
      const remaining = seen.rateLimitRemaining ?? '0';
      const when =
        retryAfter !== undefined
          ? `in ${retryAfter} s`
          : 'in a few minutes (the limit refills about 75 calls a minute)';
      return new AppError(
        'heroku_rate_limited',
        `Heroku's API rate limit is used up (RateLimit-Remaining: ${remaining}) while ${site.doing}${appText}. Nothing was changed; try again ${when}.`,
        { cause: err, retryAfterSec: retryAfter },
      );
    }
    default:
      if (status >= 500) {
        return new AppError(
          'heroku_unavailable',
          `Heroku's API failed (${status}) while ${site.doing}${appText}. Try again in a few minutes; see https://status.heroku.com.`,
          { cause: err },
        );
      }
      // 422 invalid_params / verification_needed, and any other 4xx: Heroku's own words say what is wrong.
      return new AppError(
        'heroku_invalid',
        `Heroku refused ${site.doing}${appText} (${status}${body.id ? ` ${String(body.id)}` : ''}): ${vendorMessage ?? 'no reason given'}`,
        { cause: err },
      );
  }
}
