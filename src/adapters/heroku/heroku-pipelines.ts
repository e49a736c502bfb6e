import { AppError } from '../../errors.ts';
import type { HerokuCoupling, HerokuPort, HerokuPromotionTarget } from '../../ports/heroku.ts';
import type { CallOptions } from './heroku-call.ts';
import type { HerokuCall } from './heroku-request.ts';
import { asArray, asObject } from './heroku-shapes.ts';

type Call = (method: HerokuCall['method'], path: string, o: CallOptions) => Promise<unknown>;

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const idOf = (v: unknown): string | null => str(asObject(v).id);

/**
 * Pipeline couplings and promotions (Platform API: pipeline-coupling, pipeline-promotion,
 * pipeline-promotion-target). A promotion copies the source app's slug to the targets without
 * building, so production runs the exact build staging verified.
 */
export function pipelineMethods(call: Call): Pick<HerokuPort, 'pipelineCoupling' | 'promote' | 'promotionTargets'> {
  const enc = encodeURIComponent;
  return {
    async pipelineCoupling(app): Promise<HerokuCoupling | null> {
      try {
        const c = asObject(
          await call('GET', `/apps/${enc(app)}/pipeline-couplings`, { app, doing: 'reading its pipeline' }),
        );
        const pipelineId = idOf(c.pipeline);
        const appId = idOf(c.app);
        if (!pipelineId || !appId) return null;
        return { pipelineId, appId, stage: str(c.stage) ?? 'unknown' };
      } catch (err) {
        // Heroku answers 404 for an app that is in no pipeline.
        if (err instanceof AppError && err.code === 'heroku_not_found') return null;
        throw err;
      }
    },

    async promote(input) {
      const body = {
        pipeline: { id: input.pipelineId },
        source: { app: { id: input.sourceAppId }, release: { id: input.sourceReleaseId } },
        targets: input.targetAppIds.map((id) => ({ app: { id } })),
      };
      const p = asObject(
        await call('POST', '/pipeline-promotions', { app: null, doing: 'promoting the release', body }),
      );
      const id = str(p.id);
      if (!id)
        throw new AppError('heroku_unavailable', 'Heroku answered the promotion without an id; check HEROKU_API_URL.');
      return { id, status: str(p.status) ?? 'pending' };
    },

    async promotionTargets(promotionId): Promise<HerokuPromotionTarget[]> {
      const list = asArray(
        await call('GET', `/pipeline-promotions/${enc(promotionId)}/promotion-targets`, {
          app: null,
          doing: 'following the promotion',
        }),
      );
      return list.map((t) => {
        const o = asObject(t);
        return {
          appId: idOf(o.app) ?? '',
          status: str(o.status) ?? 'pending',
          releaseId: idOf(o.release),
          error: str(o.error_message),
        };
      });
    },
  };
}
