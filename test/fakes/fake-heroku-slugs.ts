import type { FakeHeroku } from './fake-heroku-api.ts';
import { HttpError, errorBody, ok, type Reply } from './fake-heroku-errors.ts';
import type { FakeApp } from './fake-heroku-model.ts';

/**
 * Slugs in the fake Heroku API: GET /apps/{app}/slugs/{id} answers the `slug` of
 * platform_api.schema.json. Its `commit` is what a build was made from (source_blob.version), so
 * a release that carries no sha in its description (a pipeline promotion "Promote <app> vN")
 * still says which commit runs. A promoted slug is readable through every app that runs it.
 */
export interface FakeSlug {
  id: string;
  commit: string | null;
  commitDescription: string | null;
  createdAt: string;
}

/** The slug of `id` as `app` sees it: one of its own, or one a release of the app runs (a promotion). */
function findSlug(fake: FakeHeroku, app: FakeApp, id: string): FakeSlug | undefined {
  const own = app.slugs.find((s) => s.id === id);
  if (own) return own;
  if (!app.releases.some((r) => r.slugId === id)) return undefined;
  for (const other of fake.apps.values()) {
    const s = other.slugs.find((x) => x.id === id);
    if (s) return s;
  }
  return undefined;
}

/** Route a slug request, or null when the path is not one. */
export function routeSlugs(fake: FakeHeroku, method: string, path: string): Reply | null {
  const m = /^\/apps\/([^/]+)\/slugs\/([^/]+)$/.exec(path);
  if (!m || method !== 'GET') return null;
  const app = fake.apps.get(decodeURIComponent(m[1]!));
  if (!app) throw new HttpError(404, errorBody(404));
  const slug = findSlug(fake, app, decodeURIComponent(m[2]!));
  if (!slug) throw new HttpError(404, { id: 'not_found', message: "Couldn't find that slug.", resource: 'slug' });
  return ok({
    blob: { method: 'GET', url: `https://s3.example/slugs/${slug.id}.tgz` },
    buildpack_provided_description: 'Python',
    checksum: null,
    commit: slug.commit,
    commit_description: slug.commitDescription,
    created_at: slug.createdAt,
    id: slug.id,
    process_types: { web: 'gunicorn capecraft.wsgi' },
    size: 2048,
    stack: { id: '8a0a3c4e-0000-4000-8000-000000000024', name: 'heroku-24' },
    updated_at: slug.createdAt,
    deleted_at: null,
  });
}
