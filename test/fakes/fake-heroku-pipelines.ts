import { randomUUID } from 'node:crypto';
import type { FakeHeroku } from './fake-heroku-api.ts';
import { HttpError, errorBody, invalid, ok, type Reply } from './fake-heroku-errors.ts';
import { addRelease, fakeTimestamp, type FakeApp } from './fake-heroku-model.ts';

/**
 * Pipelines in the fake Heroku API, in the shapes of platform_api.schema.json: pipeline-coupling
 * (GET /apps/{app}/pipeline-couplings: 404 when the app is in no pipeline), pipeline-promotion
 * (POST /pipeline-promotions {pipeline:{id}, source:{app:{id}, release:{id}}, targets:[{app:{id}}]},
 * GET /pipeline-promotions/{id}) and pipeline-promotion-target (GET …/promotion-targets). A
 * promotion copies the source release's slug to each target as a new release "Promote <app> vN".
 */
export interface FakeCoupling {
  id: string;
  pipelineId: string;
  stage: 'development' | 'staging' | 'production';
  createdAt: string;
}

export interface FakePromotion {
  id: string;
  pipelineId: string;
  sourceAppId: string;
  sourceReleaseId: string;
  targets: {
    id: string;
    appId: string;
    status: 'pending' | 'succeeded' | 'failed';
    releaseId: string | null;
    error: string | null;
  }[];
  createdAt: string;
}

export interface PipelineState {
  couplings: Map<string, FakeCoupling>;
  promotions: FakePromotion[];
  /** What the next promotions' targets end as. */
  promotionOutcome: 'succeeded' | 'failed';
  /** GETs of a promotion's targets that still answer `pending` before it ends (real promotions take a moment). */
  pendingPolls: number;
}

const states = new WeakMap<FakeHeroku, PipelineState>();
/** Promotions still pending: how many more target GETs answer `pending`, and how they end. */
const pendingOf = new WeakMap<FakePromotion, { polls: number; finish: () => void }>();

/** The fake's pipeline state (created on first use). */
export function pipelines(fake: FakeHeroku): PipelineState {
  let s = states.get(fake);
  if (!s) {
    s = { couplings: new Map(), promotions: [], promotionOutcome: 'succeeded', pendingPolls: 0 };
    states.set(fake, s);
  }
  return s;
}

const appById = (fake: FakeHeroku, id: string): FakeApp | undefined => [...fake.apps.values()].find((a) => a.id === id);

function promotionBody(p: FakePromotion): Record<string, unknown> {
  return {
    created_at: p.createdAt,
    id: p.id,
    pipeline: { id: p.pipelineId },
    source: { app: { id: p.sourceAppId }, release: { id: p.sourceReleaseId } },
    status: p.targets.some((t) => t.status === 'pending') ? 'pending' : 'completed',
    updated_at: p.createdAt,
  };
}

/** Route a pipeline request, or null when the path is not one of them. */
export function routePipelines(fake: FakeHeroku, method: string, path: string, body: unknown): Reply | null {
  const state = pipelines(fake);
  const coupling = /^\/apps\/([^/]+)\/pipeline-couplings$/.exec(path);
  if (coupling && method === 'GET') {
    const app = fake.apps.get(decodeURIComponent(coupling[1]!));
    if (!app) throw new HttpError(404, errorBody(404));
    const c = state.couplings.get(app.name);
    if (!c)
      throw new HttpError(404, {
        id: 'not_found',
        message: "Couldn't find that pipeline coupling.",
        resource: 'pipeline_coupling',
      });
    return ok({
      app: { id: app.id },
      created_at: c.createdAt,
      id: c.id,
      pipeline: { id: c.pipelineId },
      stage: c.stage,
      updated_at: c.createdAt,
    });
  }
  if (path === '/pipeline-promotions' && method === 'POST')
    return { status: 201, body: promotionBody(promote(fake, body)) };
  const promo = /^\/pipeline-promotions\/([^/]+)(\/promotion-targets)?$/.exec(path);
  if (promo && method === 'GET') {
    const p = state.promotions.find((x) => x.id === promo[1]);
    if (!p)
      throw new HttpError(404, {
        id: 'not_found',
        message: "Couldn't find that pipeline promotion.",
        resource: 'pipeline_promotion',
      });
    if (!promo[2]) return ok(promotionBody(p));
    const pending = pendingOf.get(p);
    if (pending && --pending.polls <= 0) {
      pendingOf.delete(p);
      pending.finish();
    }
    return ok(
      p.targets.map((t) => ({
        app: { id: t.appId },
        error_message: t.error,
        id: t.id,
        pipeline_promotion: { id: p.id },
        release: t.releaseId ? { id: t.releaseId } : null,
        status: t.status,
      })),
    );
  }
  return null;
}

function promote(fake: FakeHeroku, body: unknown): FakePromotion {
  const state = pipelines(fake);
  const b = body && typeof body === 'object' ? (body as Record<string, Record<string, unknown>>) : {};
  const pipelineId = b.pipeline?.id;
  const source = b.source as { app?: { id?: unknown }; release?: { id?: unknown } } | undefined;
  const targets = (b as Record<string, unknown>).targets;
  if (typeof pipelineId !== 'string' || typeof source?.app?.id !== 'string' || !Array.isArray(targets))
    throw invalid('pipeline, source and targets are required.');
  const src = appById(fake, source.app.id);
  if (!src) throw new HttpError(404, errorBody(404));
  const srcCoupling = state.couplings.get(src.name);
  if (srcCoupling?.pipelineId !== pipelineId) throw invalid('The source app is not in this pipeline.');
  const release =
    typeof source.release?.id === 'string'
      ? src.releases.find((r) => r.id === source.release!.id)
      : [...src.releases].reverse().find((r) => r.status === 'succeeded');
  if (!release?.slugId) throw invalid('The source release has no slug to promote.');
  const p: FakePromotion = {
    id: randomUUID(),
    pipelineId,
    sourceAppId: src.id,
    sourceReleaseId: release.id,
    targets: [],
    createdAt: fakeTimestamp(),
  };
  const finish: (() => void)[] = [];
  for (const t of targets as { app?: { id?: unknown } }[]) {
    const target = typeof t.app?.id === 'string' ? appById(fake, t.app.id) : undefined;
    if (!target || state.couplings.get(target.name)?.pipelineId !== pipelineId)
      throw invalid('Every target must be an app in the pipeline.');
    const succeeded = state.promotionOutcome === 'succeeded';
    const entry: FakePromotion['targets'][number] = {
      id: randomUUID(),
      appId: target.id,
      status: 'pending',
      releaseId: null,
      error: null,
    };
    p.targets.push(entry);
    finish.push(() => {
      const rel = succeeded
        ? addRelease(target, `Promote ${src.name} v${release.version}`, fake.userEmail, release.slugId)
        : null;
      entry.status = succeeded ? 'succeeded' : 'failed';
      entry.releaseId = rel?.id ?? null;
      entry.error = succeeded ? null : 'Release failed';
    });
  }
  const done = () => {
    for (const f of finish) f();
  };
  if (state.pendingPolls > 0) pendingOf.set(p, { polls: state.pendingPolls, finish: done });
  else done();
  state.promotions.push(p);
  return p;
}
