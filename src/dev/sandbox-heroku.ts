/**
 * An in-memory HerokuPort for the local shell when HEROKU_API_KEY is not set. It behaves like the
 * Platform API where the bot can tell: a config change creates a release ("Set X config vars") that
 * snapshots the config vars; a rollback creates "Rollback to vN" and restores that release's config
 * vars and slug (Heroku docs, "Releases: rollback"); builds go pending → succeeded after a couple of
 * polls and release "Deploy <sha7>"; backups finish on the second poll. No HTTP.
 */
import { randomUUID } from 'node:crypto';
import { type SandboxTransfer, sandboxBackups } from './sandbox-backups.ts';
import { AppError } from '../errors.ts';
import type { HerokuBuild, HerokuPort, HerokuRelease } from '../ports/heroku.ts';
import { createSandboxDynos } from './sandbox-dynos.ts';
import { PRODUCTION_COMMIT, SANDBOX_HISTORY, STAGING_COMMIT } from './sandbox-repo.ts';

/** Polls of a build before it succeeds (enough to show the "pending" state). */
export const SANDBOX_BUILD_POLLS = 2;
const DAY_MS = 86_400_000;
const BOT_EMAIL = 'autorisen-bot@sandbox.example';

interface Release extends HerokuRelease {
  configVars: Record<string, string>;
  /** The commit the release's slug was built from. */
  sha: string | null;
}

interface Build {
  id: string;
  sha: string;
  polls: number;
  createdAt: string;
  release: Release | null;
  outputStreamUrl: string;
}

interface App {
  name: string;
  configVars: Record<string, string>;
  releases: Release[];
  builds: Build[];
  transfers: Map<string, SandboxTransfer>;
  nextBackup: number;
}

/** One app to simulate; production apps start a commit behind staging ones. */
export interface SandboxAppSeed {
  name: string;
  production: boolean;
}

/** The HerokuPort plus the commit each app runs (the sandbox spec source serves that commit's openapi.json). */
export interface SandboxHeroku extends HerokuPort {
  runningSha(app: string): string | null;
}

/** Build the sandbox Heroku; `now` stamps new releases and dates the seeded ones. */
export function createSandboxHeroku(seeds: readonly SandboxAppSeed[], now: () => number): SandboxHeroku {
  const apps = new Map<string, App>();
  const stamp = (ms = now()): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const started = now();

  for (const seed of seeds) {
    const app: App = {
      name: seed.name,
      configVars: { FEATURE_AUTORISEN: 'false' },
      releases: [],
      builds: [],
      transfers: new Map(),
      nextBackup: 4,
    };
    const history = [
      { commit: 0, daysAgo: 11, email: 'ana@capecraft.example' },
      { config: true, daysAgo: 9, email: 'ben@capecraft.example' },
      ...SANDBOX_HISTORY.slice(1, (seed.production ? PRODUCTION_COMMIT : STAGING_COMMIT) + 1).map((c, i) => ({
        commit: i + 1,
        daysAgo: Math.max(c.daysAgo - 0.1, 0.05),
        email: 'ana@capecraft.example',
      })),
    ];
    for (const h of history) {
      const sha =
        'commit' in h && h.commit !== undefined ? SANDBOX_HISTORY[h.commit]!.sha : (app.releases.at(-1)?.sha ?? null);
      addRelease(
        app,
        'commit' in h ? `Deploy ${sha!.slice(0, 7)}` : 'Set FEATURE_AUTORISEN config vars',
        sha,
        h.email,
        stamp(started - h.daysAgo * DAY_MS),
      );
    }
    apps.set(seed.name, app);
  }

  function addRelease(app: App, description: string, sha: string | null, email: string, createdAt = stamp()): Release {
    for (const r of app.releases) r.current = false;
    const rel: Release = {
      id: randomUUID(),
      version: app.releases.length + 1,
      description,
      status: 'succeeded',
      current: true,
      createdAt,
      userEmail: email,
      slugId: sha ? `slug-${sha.slice(0, 12)}` : null,
      configVars: { ...app.configVars },
      sha,
    };
    app.releases.push(rel);
    return rel;
  }

  const appOf = (name: string): App => {
    const app = apps.get(name);
    if (!app)
      throw new AppError(
        'heroku_not_found',
        `The sandbox has no Heroku app "${name}" (it simulates ${[...apps.keys()].join(', ') || 'none'}). Set HEROKU_API_KEY to use the real Heroku.`,
      );
    return app;
  };
  const view = (r: Release): HerokuRelease => ({
    id: r.id,
    version: r.version,
    description: r.description,
    status: r.status,
    current: r.current,
    createdAt: r.createdAt,
    userEmail: r.userEmail,
    slugId: r.slugId,
  });
  const findRelease = (app: App, idOrVersion: string | number): Release => {
    const rel = /^\d+$/.test(String(idOrVersion))
      ? app.releases.find((r) => r.version === Number(idOrVersion))
      : app.releases.find((r) => r.id === idOrVersion);
    if (!rel) throw new AppError('heroku_not_found', `${app.name} has no release ${idOrVersion}.`);
    return rel;
  };
  const buildView = (b: Build): HerokuBuild => ({
    id: b.id,
    status: b.release ? 'succeeded' : 'pending',
    outputStreamUrl: b.outputStreamUrl,
    release: b.release ? { id: b.release.id, version: b.release.version } : null,
    sourceVersion: b.sha,
    createdAt: b.createdAt,
  });
  const current = (app: App): Release | undefined => app.releases.findLast((r) => r.current);
  // One pipeline holds every sandbox app, so `/autorisen release` promotes the exact slug staging runs.
  const appId = (name: string): string => `app-${name}`;
  const promotions = new Map<string, { appId: string; status: string; releaseId: string | null; error: null }[]>();

  return {
    ...createSandboxDynos(now),
    async pipelineCoupling(name) {
      const app = appOf(name);
      return {
        pipelineId: 'sandbox-pipeline',
        appId: appId(app.name),
        stage: name.includes('prod') ? 'production' : 'staging',
      };
    },
    async promote(input) {
      const src = [...apps.values()].find((a) => appId(a.name) === input.sourceAppId);
      const rel = src?.releases.find((r) => r.id === input.sourceReleaseId);
      if (!src || !rel) throw new AppError('heroku_not_found', 'The sandbox has no such app or release to promote.');
      const id = randomUUID();
      const targets = input.targetAppIds.map((target) => {
        const app = [...apps.values()].find((a) => appId(a.name) === target);
        if (!app) throw new AppError('heroku_invalid', 'Every target must be an app in the pipeline.');
        const made = addRelease(app, `Promote ${src.name} v${rel.version}`, rel.sha, BOT_EMAIL);
        return { appId: target, status: 'succeeded', releaseId: made.id, error: null };
      });
      promotions.set(id, targets);
      return { id, status: 'completed' };
    },
    async promotionTargets(id) {
      return promotions.get(id) ?? [];
    },
    async getConfigVars(name) {
      return { ...appOf(name).configVars };
    },
    async setConfigVars(name, vars) {
      const app = appOf(name);
      const set = Object.keys(vars).filter((k) => vars[k] !== null);
      const removed = Object.keys(vars).filter((k) => vars[k] === null);
      for (const k of set) app.configVars[k] = vars[k]!;
      for (const k of removed) delete app.configVars[k];
      const parts = [
        set.length ? `Set ${set.join(', ')}` : '',
        removed.length ? `Remove ${removed.join(', ')}` : '',
      ].filter(Boolean);
      addRelease(app, `${parts.join(', ')} config vars`, current(app)?.sha ?? null, BOT_EMAIL);
      return { ...app.configVars };
    },
    async listReleases(name, max) {
      return appOf(name).releases.slice().reverse().slice(0, max).map(view);
    },
    async getRelease(name, idOrVersion) {
      return view(findRelease(appOf(name), idOrVersion));
    },
    async getSlug(name, slugId) {
      // Slugs are shared across the pipeline: a promoted one is found through any app that runs it.
      const rel = [...apps.values()].flatMap((a) => a.releases).find((r) => r.slugId === slugId);
      if (!appOf(name).releases.some((r) => r.slugId === slugId) || !rel)
        throw new AppError('heroku_not_found', `${name} has no slug ${slugId}.`);
      return { id: slugId, commit: rel.sha };
    },
    async rollback(name, releaseId) {
      const app = appOf(name);
      const target = findRelease(app, releaseId);
      if (target.status !== 'succeeded')
        throw new AppError(
          'heroku_invalid',
          `Heroku can only roll back to a succeeded release; v${target.version} of ${name} is ${target.status}.`,
        );
      app.configVars = { ...target.configVars };
      return view(addRelease(app, `Rollback to v${target.version}`, target.sha, BOT_EMAIL));
    },
    async createBuild(name, source) {
      const app = appOf(name);
      const id = randomUUID();
      const build: Build = {
        id,
        sha: source.version,
        polls: 0,
        createdAt: stamp(),
        release: null,
        outputStreamUrl: `https://build-output.heroku.com/streams/sandbox/${name}/${id}`,
      };
      app.builds.push(build);
      return buildView(build);
    },
    async getBuild(name, buildId) {
      const app = appOf(name);
      const build = app.builds.find((b) => b.id === buildId);
      if (!build) throw new AppError('heroku_not_found', `${name} has no build ${buildId}.`);
      build.polls += 1;
      if (!build.release && build.polls >= SANDBOX_BUILD_POLLS)
        build.release = addRelease(app, `Deploy ${build.sha.slice(0, 7)}`, build.sha, BOT_EMAIL);
      return buildView(build);
    },
    async readBuildOutput(url) {
      for (const app of apps.values()) {
        const build = app.builds.find((b) => b.outputStreamUrl === url);
        if (build) return buildOutput(build);
      }
      return '';
    },
    ...sandboxBackups((name) => appOf(name), now, started),
    runningSha(name) {
      const app = apps.get(name);
      return app ? (current(app)?.sha ?? null) : null;
    },
  };
}

/** What a Python buildpack prints, shortened; the tail appears in the thread when a build fails. */
function buildOutput(b: Build): string {
  const lines = [
    '-----> Building on the Heroku-24 stack',
    '-----> Using buildpack: heroku/python',
    '-----> Python app detected',
    '-----> Using Python 3.12.7 specified in .python-version',
    '-----> Installing requirements with pip',
    '-----> Discovering process types',
    '       Procfile declares types -> release, web',
  ];
  if (b.release)
    lines.push(
      '-----> Compressing...',
      '       Done: 61.4M',
      '-----> Launching...',
      `       Released v${b.release.version}`,
      `       Deployed ${b.sha.slice(0, 7)}`,
    );
  return `${lines.join('\n')}\n`;
}
