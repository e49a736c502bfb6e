/**
 * The SpecDiffPort the bot uses: our engine, plus the result cache and (on request) the bounded
 * openapi-diff cross-check. Identical pairs are compared once; the cache and the cross-check are
 * best effort and can never fail a diff the engine itself could answer.
 */
import type { Clock } from '../ports/clock.ts';
import type { Logger } from '../ports/logger.ts';
import type { DiffOptions, DiffReport, SpecDiffPort } from '../ports/spec-diff.ts';
import type { DiffCacheStore } from '../ports/stores/diff-cache.ts';
import { diffCacheKey, documentHash } from './diff-key.ts';

/** A second opinion on a finished report (adapters/openapi/cross-check.ts). */
export interface DiffCrossCheck {
  /**
   * The report with the cross-check's extra findings and notes. `complete` is false when the
   * cross-check could not finish for a reason that may pass (timeout, out of memory, crash): such a
   * report is not cached, so the next run tries again.
   */
  run(base: unknown, revision: unknown, report: DiffReport): Promise<{ report: DiffReport; complete: boolean }>;
}

export interface DiffServiceDeps {
  engine: SpecDiffPort;
  cache: DiffCacheStore;
  crossCheck?: DiffCrossCheck;
  /** Changes whenever the engine or cross-check code does, so stale results are never served. */
  engineVersion: string;
  /** config.diff.namespace, used when the caller gives none. */
  defaultNamespace: string;
  /** config.diff's rule book (profile, overrides, deprecation days); a caller's profile wins. */
  rules?: Pick<DiffOptions, 'profile' | 'overrides' | 'deprecationDays'>;
  clock: Clock;
  log: Logger;
}

/** Build the cached, cross-checked SpecDiffPort. */
export function createDiffService(deps: DiffServiceDeps): SpecDiffPort {
  return {
    async diff(base, revision, options: DiffOptions = {}) {
      const namespace = options.namespace ?? deps.defaultNamespace;
      const crossCheck = options.crossCheck === true && deps.crossCheck !== undefined;
      const rules: DiffOptions = {
        profile: options.profile ?? deps.rules?.profile ?? 'autorisen',
        overrides: options.overrides ?? deps.rules?.overrides ?? {},
        deprecationDays: options.deprecationDays ?? deps.rules?.deprecationDays ?? { beta: 0, stable: 0 },
        today: options.today ?? new Date(deps.clock.now()).toISOString().slice(0, 10),
      };
      const key = diffCacheKey({
        rules: JSON.stringify(rules),
        baseHash: documentHash(base),
        revisionHash: documentHash(revision),
        namespace,
        engineVersion: deps.engineVersion,
        crossCheck,
      });
      const hit = await deps.cache.get(key, deps.clock.now()).catch((err: unknown) => {
        deps.log.warn({ err }, 'diff cache read failed; comparing afresh');
        return null;
      });
      if (hit) {
        deps.log.debug({ key: key.slice(0, 12) }, 'diff cache hit');
        return { ...hit.report, cachedAt: hit.createdAt };
      }
      let report = await deps.engine.diff(base, revision, { namespace, ...rules });
      let complete = true;
      if (crossCheck) {
        try {
          ({ report, complete } = await deps.crossCheck!.run(base, revision, report));
        } catch (err) {
          deps.log.warn({ err }, 'openapi-diff cross-check failed');
          report = { ...report, notes: [...(report.notes ?? []), `cross-check skipped: ${(err as Error).message}`] };
          complete = false;
        }
      }
      if (complete) {
        await deps.cache
          .put(key, report, deps.clock.now())
          .catch((err: unknown) => deps.log.warn({ err }, 'diff cache write failed'));
      }
      return report;
    },
  };
}
