import { randomUUID } from 'node:crypto';
import type { FakeSlug } from './fake-heroku-slugs.ts';

/**
 * In-memory state behind the fake Heroku Platform API (test/fakes/fake-heroku-api.ts): apps, their
 * config vars, releases (each with the config-var snapshot it ran with, so a rollback can restore
 * it, as Heroku does), builds and Postgres backups. Body shapes follow heroku/platform-api
 * schema.json (see test/fixtures/heroku/*.schema_example.json).
 */

/** A release as the fake keeps it; `configVars` is the snapshot Heroku would restore on rollback. */
export interface FakeRelease {
  id: string;
  version: number;
  description: string;
  status: 'succeeded' | 'failed' | 'pending' | 'expired';
  userEmail: string;
  slugId: string | null;
  createdAt: string;
  configVars: Record<string, string>;
}

export interface FakeBuild {
  id: string;
  status: 'pending' | 'succeeded' | 'failed';
  sourceUrl: string;
  sourceVersion: string;
  versionDescription: string | null;
  outputLines: string[];
  slugId: string | null;
  releaseId: string | null;
  userEmail: string;
  createdAt: string;
  updatedAt: string;
}

/** A Data API transfer; times are ISO here, served in the Data API's own format (fake-heroku-data.ts). */
export interface FakeTransfer {
  uuid: string;
  num: number;
  createdAt: string;
  finishedAt: string | null;
  succeeded: boolean;
  logs: string[];
  /** pg_dump → gof3r is a backup; pg_restore targets are restores and copies. Default a backup. */
  fromType?: 'pg_dump' | 'gof3r' | 'htcat';
  toType?: 'gof3r' | 'pg_restore';
  /** The schedule's uuid for a scheduled backup (the CLI names those "a…", others "b…"). */
  scheduleUuid?: string;
}

export interface FakeApp {
  id: string;
  name: string;
  configVars: Record<string, string>;
  releases: FakeRelease[];
  builds: FakeBuild[];
  /** Slugs made on this app (builds, seeds); a promotion's target runs the source app's slug. */
  slugs: FakeSlug[];
  /** Addon id of the heroku-postgresql DATABASE_URL attachment; null when the app has no database. */
  databaseAddonId: string | null;
  transfers: FakeTransfer[];
}

/** Seed for one app. Releases are oldest first; versions default to 1, 2, 3… */
export interface SeedApp {
  name: string;
  configVars?: Record<string, string>;
  /**
   * `commit`: what the release's slug was built from (GET /apps/{app}/slugs/{id}); by default the sha
   * of a "Deploy <sha>" description, else none. A release naming a `slugId` without a `commit` (and
   * not a "Deploy") runs a slug made by another release, maybe of another app (a promotion).
   */
  releases?: Array<Partial<Omit<FakeRelease, 'id'>> & { description: string; id?: string; commit?: string | null }>;
  /** Default true: the app has a heroku-postgresql database attached as DATABASE_URL. */
  database?: boolean;
}

const CLOCK_START_MS = Date.parse('2026-11-20T10:00:00Z');
let clockMs = CLOCK_START_MS;
/** Monotonic timestamps so release order never depends on the wall clock. */
export function fakeTimestamp(): string {
  clockMs += 1000;
  return new Date(clockMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Start the timestamps over. Test files share a worker's modules (vitest.config.ts, `isolate: false`),
 * so test/support/per-file-setup.ts calls this before each file: every file sees the same times as
 * if it ran alone.
 */
export function resetFakeTimestamps(): void {
  clockMs = CLOCK_START_MS;
}

/** Build a FakeApp from a seed; with no releases it gets "Initial release" v1 with its config vars. */
export function seedApp(seed: SeedApp): FakeApp {
  const configVars = { ...(seed.configVars ?? {}) };
  const app: FakeApp = {
    id: randomUUID(),
    name: seed.name,
    configVars,
    releases: [],
    builds: [],
    slugs: [],
    databaseAddonId: seed.database === false ? null : randomUUID(),
    transfers: [],
  };
  const seeds = seed.releases ?? [{ description: 'Initial release' }];
  seeds.forEach((r, i) => {
    const createdAt = r.createdAt ?? fakeTimestamp();
    const slugId = r.slugId === undefined ? randomUUID() : r.slugId;
    app.releases.push({
      id: r.id ?? randomUUID(),
      version: r.version ?? i + 1,
      description: r.description,
      status: r.status ?? 'succeeded',
      userEmail: r.userEmail ?? 'someone@example.com',
      slugId,
      createdAt,
      // A seeded release without a snapshot ran with the app's current vars.
      configVars: { ...(r.configVars ?? configVars) },
    });
    // A seed naming a slug without saying its commit runs a slug made elsewhere (a promotion's, another release's).
    const built = r.commit !== undefined || r.slugId === undefined || /^Deploy /.test(r.description);
    const commit = r.commit !== undefined ? r.commit : (/^Deploy ([0-9a-f]{7,40})\b/.exec(r.description)?.[1] ?? null);
    if (slugId && built && !app.slugs.some((s) => s.id === slugId))
      app.slugs.push({ id: slugId, commit, commitDescription: null, createdAt });
  });
  return app;
}

/** The current release: the newest succeeded one (Heroku marks exactly one `current`). */
export function currentRelease(app: FakeApp): FakeRelease | undefined {
  return [...app.releases].reverse().find((r) => r.status === 'succeeded');
}

/** A new slug of the app built from `commit` (a build's source_blob.version); returns its id. */
export function addSlug(app: FakeApp, commit: string | null, commitDescription: string | null): string {
  const slug: FakeSlug = { id: randomUUID(), commit, commitDescription, createdAt: fakeTimestamp() };
  app.slugs.push(slug);
  return slug.id;
}

/** Append a release (status succeeded) and make its config vars the app's. */
export function addRelease(app: FakeApp, description: string, userEmail: string, slugId?: string | null): FakeRelease {
  const version = Math.max(0, ...app.releases.map((r) => r.version)) + 1;
  const release: FakeRelease = {
    id: randomUUID(),
    version,
    description,
    status: 'succeeded',
    userEmail,
    slugId: slugId === undefined ? (currentRelease(app)?.slugId ?? null) : slugId,
    createdAt: fakeTimestamp(),
    configVars: { ...app.configVars },
  };
  app.releases.push(release);
  return release;
}

/**
 * Apply a config-vars PATCH the way Heroku does: null deletes, strings set; a change creates a
 * release "Set A, B config vars" or "Remove A config vars". Returns null when nothing changed.
 */
export function patchConfigVars(
  app: FakeApp,
  patch: Record<string, string | null>,
  userEmail: string,
): FakeRelease | null {
  const set: string[] = [];
  const removed: string[] = [];
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      if (key in app.configVars) {
        delete app.configVars[key];
        removed.push(key);
      }
    } else if (app.configVars[key] !== value) {
      app.configVars[key] = value;
      set.push(key);
    }
  }
  if (set.length === 0 && removed.length === 0) return null;
  const description = set.length > 0 ? `Set ${set.join(', ')} config vars` : `Remove ${removed.join(', ')} config vars`;
  return addRelease(app, description, userEmail);
}

/** Roll back like Heroku: a new release "Rollback to vN" with that release's slug and config vars. */
export function rollbackTo(app: FakeApp, target: FakeRelease, userEmail: string): FakeRelease {
  app.configVars = { ...target.configVars };
  return addRelease(app, `Rollback to v${target.version}`, userEmail, target.slugId);
}

/** Platform API release body (fields of api_release_info.response.schema_example.json). */
export function releaseBody(app: FakeApp, r: FakeRelease): Record<string, unknown> {
  const current = currentRelease(app)?.id === r.id;
  return {
    addon_plan_names: app.databaseAddonId ? ['heroku-postgresql:essential-0'] : [],
    artifacts: r.slugId ? [{ type: 'slug', id: r.slugId }] : [],
    app: { name: app.name, id: app.id },
    created_at: r.createdAt,
    description: r.description,
    id: r.id,
    updated_at: r.createdAt,
    slug: r.slugId ? { id: r.slugId } : null,
    status: r.status,
    user: { id: '0a1b2c3d-0000-4000-8000-000000000001', email: r.userEmail },
    version: r.version,
    current,
    output_stream_url: null,
    eligible_for_rollback: r.status === 'succeeded' && !current,
  };
}

/** Platform API build body (fields of api_build_create.response.schema_example.json). */
export function buildBody(app: FakeApp, b: FakeBuild, baseUrl: string): Record<string, unknown> {
  const release = b.releaseId ? app.releases.find((r) => r.id === b.releaseId) : undefined;
  return {
    app: { id: app.id },
    buildpacks: [{ url: 'https://github.com/heroku/heroku-buildpack-nodejs', name: 'heroku/nodejs' }],
    created_at: b.createdAt,
    generation: 'cedar',
    id: b.id,
    output_stream_url: `${baseUrl}/streams/builds/${b.id}`,
    source_blob: {
      checksum: null,
      url: b.sourceUrl,
      version: b.sourceVersion,
      version_description: b.versionDescription,
    },
    release: release ? { id: release.id, version: release.version } : null,
    slug: b.slugId ? { id: b.slugId } : null,
    stack: 'heroku-24',
    status: b.status,
    updated_at: b.updatedAt,
    user: { id: '0a1b2c3d-0000-4000-8000-000000000001', email: b.userEmail },
  };
}
