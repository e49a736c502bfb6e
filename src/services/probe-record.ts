import type { Logger } from '../ports/logger.ts';
import type { ProbeRun } from '../ports/probes.ts';
import type { Store } from '../ports/store.ts';
import type { ProbeRunRecord, ProbeTrigger } from '../ports/stores/probe-runs.ts';

/** Who or what a probe run answered for, besides the answer itself. */
export interface ProbeRunBy {
  trigger: ProbeTrigger;
  at: number;
  actor: string | null;
  runId: string | null;
  correlationId: string | null;
}

/** A run's answer (`runContractProbes` plus the health check) as the row the checklist reads. */
export function probeRunRecord(
  run: ProbeRun & { health: { url: string; status: number | null } | null },
  by: ProbeRunBy,
): ProbeRunRecord {
  return {
    env: run.env,
    at: by.at,
    trigger: by.trigger,
    ok: run.ok,
    health: run.health,
    results: run.results,
    skipped: run.skipped,
    flag: run.flag,
    actor: by.actor,
    runId: by.runId,
    correlationId: by.correlationId,
  };
}

/**
 * Keep a probe run's answer for `/autorisen checklist`. Never throws: the probes answered whatever
 * the database does, so a storage failure is logged and the verify, flag change or workflow step
 * goes on with its answer.
 */
export async function recordProbeRun(deps: { store: Store; log: Logger }, record: ProbeRunRecord): Promise<void> {
  try {
    await deps.store.probeRuns.record(record);
  } catch (err) {
    deps.log.warn(
      { err, env: record.env, trigger: record.trigger, ok: record.ok },
      'contract probe result not stored; the checklist will show an older one',
    );
  }
}
