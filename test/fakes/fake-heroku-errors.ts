import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Error answers of the fake Heroku API: Heroku's `{id, message}` bodies (PROTOCOLS.md §C1). */

const RATE_LIMIT_BODY = JSON.parse(
  readFileSync(
    fileURLToPath(new URL('../fixtures/heroku/api_error_rate_limit.devcenter.json', import.meta.url)),
    'utf8',
  ),
) as Record<string, string>;

/** Error bodies by status. 429 is the documented one verbatim; the others follow Heroku's `{id, message}`. */
export function errorBody(status: number, app?: string): Record<string, string> {
  switch (status) {
    case 401:
      return { id: 'unauthorized', message: 'Invalid credentials provided.' };
    case 403:
      return { id: 'forbidden', message: `You do not have access to the app ${app ?? ''}.`.replace(' .', '.') };
    case 404:
      return { id: 'not_found', message: "Couldn't find that app.", resource: 'app' };
    case 406:
      return { id: 'not_acceptable', message: 'Accept header must include application/vnd.heroku+json; version=3.' };
    case 416:
      return { id: 'requested_range_not_satisfiable', message: 'Range header is not satisfiable.' };
    case 422:
      return { id: 'invalid_params', message: 'Invalid params.' };
    case 429:
      return { ...RATE_LIMIT_BODY };
    case 503:
      return { id: 'service_unavailable', message: 'API is temporarily unavailable.' };
    default:
      return { id: 'internal_server_error', message: 'Internal server error.' };
  }
}

/** A non-2xx answer; the server turns it into the JSON body. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, string>,
  ) {
    super(body.message);
  }
}

/** A routed answer. */
export interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** A 200 answer. */
export const ok = (body: unknown): Reply => ({ status: 200, body });

/** A 422 with Heroku's `invalid_params` id. */
export function invalid(message: string): HttpError {
  return new HttpError(422, { id: 'invalid_params', message });
}

/** A 404 with Heroku's `not_found` id. */
export function notFound(message: string, resource: string): HttpError {
  return new HttpError(404, { id: 'not_found', message, resource });
}
