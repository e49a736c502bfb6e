/** How the adapter calls one Heroku endpoint (shared by the adapter and its pipeline methods). */
export interface CallOptions {
  app: string | null;
  doing: string;
  body?: unknown;
  headers?: Record<string, string>;
  partial?: boolean;
  /** The Data API host (api.data.heroku.com) instead of the Platform API. */
  data?: boolean;
  /** A read that may be cached and revalidated with `If-None-Match` (config vars, releases). */
  cache?: boolean;
}
