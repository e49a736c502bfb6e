import { AppError } from '../../errors.ts';
import type { HerokuBuild, HerokuRelease, HerokuSlug, HerokuTransfer } from '../../ports/heroku.ts';

/** Platform/Data API bodies → port types (fields per heroku/platform-api schema.json). */

/** The body as an object; `{}` for anything else. */
export function asObject(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** The body as an array, or a clear error (a proxy answering HTML, a wrong HEROKU_API_URL). */
export function asArray(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  throw new AppError(
    'heroku_unavailable',
    'The Heroku API answered with something that is not a list; check HEROKU_API_URL points at the Platform API.',
  );
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** A release body → HerokuRelease. */
export function toRelease(body: unknown): HerokuRelease {
  const r = asObject(body);
  if (typeof r.id !== 'string' || typeof r.version !== 'number') {
    throw new AppError(
      'heroku_unavailable',
      'The Heroku API answered with a release missing its id or version; check HEROKU_API_URL.',
    );
  }
  return {
    id: r.id,
    version: r.version,
    description: str(r.description) ?? '',
    status: str(r.status) ?? 'succeeded',
    current: r.current === true,
    createdAt: str(r.created_at) ?? '',
    userEmail: str(asObject(r.user).email),
    slugId: str(asObject(r.slug).id),
  };
}

/** A slug body → HerokuSlug. */
export function toSlug(body: unknown): HerokuSlug {
  const s = asObject(body);
  if (typeof s.id !== 'string')
    throw new AppError(
      'heroku_unavailable',
      'The Heroku API answered with a slug missing its id; check HEROKU_API_URL.',
    );
  return { id: s.id, commit: str(s.commit) };
}

/** A build body → HerokuBuild. */
export function toBuild(body: unknown): HerokuBuild {
  const b = asObject(body);
  if (typeof b.id !== 'string')
    throw new AppError(
      'heroku_unavailable',
      'The Heroku API answered with a build missing its id; check HEROKU_API_URL.',
    );
  const rel = asObject(b.release);
  return {
    id: b.id,
    status: str(b.status) ?? 'pending',
    outputStreamUrl: str(b.output_stream_url),
    release:
      typeof rel.id === 'string' && typeof rel.version === 'number' ? { id: rel.id, version: rel.version } : null,
    sourceVersion: str(asObject(b.source_blob).version),
    createdAt: str(b.created_at) ?? '',
  };
}

/** A Data API transfer → HerokuTransfer (`logs` only with ?verbose=true). */
export function toTransfer(body: unknown): HerokuTransfer {
  const t = asObject(body);
  const logs = Array.isArray(t.logs)
    ? t.logs.map((l) => (typeof l === 'string' ? l : (str(asObject(l).message) ?? ''))).filter((l) => l !== '')
    : [];
  return { finished: t.finished_at !== null && t.finished_at !== undefined, succeeded: t.succeeded === true, logs };
}
