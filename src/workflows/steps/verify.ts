import { done, failed, type Offer } from '../../core/workflow.ts';
import { PROBE_TIMEOUT_MS, probeLines, runContractProbes } from '../../services/contract-probes.ts';
import { probeRunRecord, recordProbeRun } from '../../services/probe-record.ts';
import type { Step, StepContext } from '../../services/workflows/types.ts';

/** The contract probes' answers once the environment passed. */
export interface VerifyOutput {
  probes: { name: string; status: number | null; ok: boolean }[];
  flag: 'on' | 'off' | null;
}

/**
 * Verify an environment: its health URL answers 2xx within verify_seconds, then every contract probe
 * passes. Whatever the answer, it is stored in a probe run labelled with the workflow that verifies
 * (release, deploy, promote…), so the checklist shows it; storing never changes the step's answer.
 */
export function verify(envName: string, offers: Offer[]): Step<VerifyOutput> {
  return {
    name: `verify-${envName}`,
    title: `Verify ${envName} (health and contract probes)`,
    offerEnv: envName,
    async run(ctx) {
      const env = ctx.env(envName);
      const url = `${env.baseUrl.replace(/\/+$/, '')}${env.healthPath}`;
      const deadline = ctx.clock.now() + env.verifySeconds * 1000;
      let last = 'no answer';
      let status: number | null = null;
      for (;;) {
        try {
          status = await ctx.http(url, { timeoutMs: PROBE_TIMEOUT_MS });
          if (status >= 200 && status < 300) break;
          last = `HTTP ${status}`;
        } catch (err) {
          status = null;
          last = err instanceof Error ? err.message : 'no answer';
        }
        if (ctx.clock.now() >= deadline) {
          await record(ctx, {
            env: envName,
            flag: null,
            results: [],
            skipped: 0,
            ok: false,
            health: { url, status },
          });
          return failed(`${url} did not answer 2xx within ${env.verifySeconds}s (last: ${last}).`, offers);
        }
        await ctx.pause(ctx.pollMs);
      }
      const report = await runContractProbes(ctx, env, ctx.probes[envName] ?? []);
      await record(ctx, { ...report, health: { url, status } });
      const lines = probeLines(report);
      if (!report.ok)
        return failed(
          `contract probes failed on ${envName}: ${lines.filter((l) => l.startsWith(':x:')).join(' · ')}`,
          offers,
        );
      return done(
        { probes: report.results.map((r) => ({ name: r.name, status: r.status, ok: r.ok })), flag: report.flag },
        `:stethoscope: ${url} answers; ${report.results.length} contract probe(s) pass${report.flag ? ` (flag ${report.flag})` : ''}.`,
      );
    },
  };
}

function record(ctx: StepContext, run: Parameters<typeof probeRunRecord>[0]): Promise<void> {
  return recordProbeRun(
    ctx,
    probeRunRecord(run, {
      trigger: ctx.workflow,
      at: ctx.clock.now(),
      actor: ctx.requesterId,
      runId: ctx.runId,
      correlationId: null,
    }),
  );
}
