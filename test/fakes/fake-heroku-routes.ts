import { randomUUID } from 'node:crypto';
import type { FakeHeroku } from './fake-heroku-api.ts';
import { resolveAttachment } from './fake-heroku-data.ts';
import { HttpError, errorBody, invalid, ok, type Reply } from './fake-heroku-errors.ts';
import {
  buildBody,
  fakeTimestamp,
  patchConfigVars,
  releaseBody,
  rollbackTo,
  type FakeApp,
  type FakeBuild,
} from './fake-heroku-model.ts';
import { pageOf, parseRange } from './fake-heroku-range.ts';
import { routePipelines } from './fake-heroku-pipelines.ts';
import { routeDynos } from './fake-heroku-dynos.ts';
import { routeSlugs } from './fake-heroku-slugs.ts';

/** Platform API routes of the fake Heroku API (config vars, releases, builds, addon resolve). */

const buildPolls = new WeakMap<FakeBuild, number>();

/** Route one authenticated Platform API request. */
export function routePlatform(
  fake: FakeHeroku,
  method: string,
  path: string,
  body: unknown,
  rangeHeader: string | undefined,
): Reply {
  if (method === 'POST' && path === '/actions/addon-attachments/resolve') return resolveAttachment(fake, body);
  const pipeline = routePipelines(fake, method, path, body);
  if (pipeline) return pipeline;
  const dyno = routeDynos(fake, method, path, body);
  if (dyno) return dyno;
  const slug = routeSlugs(fake, method, path);
  if (slug) return slug;
  const m = /^\/apps\/([^/]+)\/(config-vars|releases|builds)(?:\/([^/]+))?$/.exec(path);
  if (!m) throw new HttpError(404, { id: 'not_found', message: 'The requested API endpoint was not found.' });
  const app = fake.apps.get(decodeURIComponent(m[1]!));
  if (!app) throw new HttpError(404, errorBody(404));
  const [, , resource, id] = m;
  const url = fake.url;
  if (resource === 'config-vars' && !id) {
    if (method === 'GET') return ok({ ...app.configVars });
    if (method === 'PATCH') {
      if (!body || typeof body !== 'object' || Array.isArray(body)) throw invalid('Config vars must be a JSON object.');
      for (const [k, v] of Object.entries(body)) {
        if (!/^\w+$/.test(k)) throw invalid(`Invalid config var name: ${k}.`);
        if (v !== null && typeof v !== 'string') throw invalid(`Config var ${k} must be a string or null.`);
      }
      patchConfigVars(app, body as Record<string, string | null>, fake.userEmail);
      return ok({ ...app.configVars });
    }
  }
  if (resource === 'releases') {
    if (method === 'GET' && !id) {
      const range = parseRange(rangeHeader, ['id', 'version']);
      if (!range) throw new HttpError(416, errorBody(416));
      const { page, nextRange, contentRange } = pageOf(app.releases, range, (r, f) =>
        f === 'version' ? r.version : r.id,
      );
      const headers: Record<string, string> = { 'Accept-Ranges': 'id, version', 'Content-Range': contentRange };
      if (nextRange) headers['Next-Range'] = nextRange;
      return { status: nextRange ? 206 : 200, body: page.map((r) => releaseBody(app, r)), headers };
    }
    if (method === 'GET' && id) {
      const r = app.releases.find((x) => x.id === id || String(x.version) === id);
      if (!r)
        throw new HttpError(404, { id: 'not_found', message: "Couldn't find that release.", resource: 'release' });
      return ok(releaseBody(app, r));
    }
    if (method === 'POST' && !id) {
      const target = body && typeof body === 'object' ? (body as Record<string, unknown>).release : undefined;
      if (typeof target !== 'string') throw invalid('Release is required.');
      const r = app.releases.find((x) => x.id === target);
      if (!r)
        throw new HttpError(404, { id: 'not_found', message: "Couldn't find that release.", resource: 'release' });
      if (r.status !== 'succeeded' || !r.slugId)
        throw invalid(`Cannot roll back to v${r.version}: it has no slug or did not succeed.`);
      return { status: 201, body: releaseBody(app, rollbackTo(app, r, fake.userEmail)) };
    }
  }
  if (resource === 'builds') {
    if (method === 'POST' && !id) return { status: 201, body: buildBody(app, createBuild(fake, app, body), url) };
    if (method === 'GET' && id) {
      const b = app.builds.find((x) => x.id === id);
      if (!b) throw new HttpError(404, { id: 'not_found', message: "Couldn't find that build.", resource: 'build' });
      pollBuild(fake, b);
      return ok(buildBody(app, b, url));
    }
  }
  throw new HttpError(405, { id: 'method_not_allowed', message: `${method} is not allowed on ${path}.` });
}

function createBuild(fake: FakeHeroku, app: FakeApp, body: unknown): FakeBuild {
  const blob = body && typeof body === 'object' ? (body as Record<string, unknown>).source_blob : undefined;
  const b = blob && typeof blob === 'object' ? (blob as Record<string, unknown>) : null;
  if (!b || typeof b.url !== 'string') throw invalid('source_blob.url is required.');
  const now = fakeTimestamp();
  const build: FakeBuild = {
    id: randomUUID(),
    status: 'pending',
    sourceUrl: b.url,
    sourceVersion: typeof b.version === 'string' ? b.version : '',
    versionDescription: typeof b.version_description === 'string' ? b.version_description : null,
    outputLines: ['-----> Building on the Heroku-24 stack'],
    slugId: null,
    releaseId: null,
    userEmail: fake.userEmail,
    createdAt: now,
    updatedAt: now,
  };
  app.builds.push(build);
  return build;
}

function pollBuild(fake: FakeHeroku, b: FakeBuild): void {
  const polls = (buildPolls.get(b) ?? 0) + 1;
  buildPolls.set(b, polls);
  const beh = fake.buildBehaviour;
  if (b.status === 'pending' && beh.outcome !== 'manual' && polls >= beh.afterPolls)
    fake.completeBuild(b.id, beh.outcome, beh.lines);
}
