import { done, failed, type Offer } from '../../core/workflow.ts';
import { PROBE_TIMEOUT_MS, probeLines, runContractProbes } from '../../services/contract-probes.ts';
import type { Step } from '../../services/workflow-types.ts';

/** Verify an environment: its health URL answers 2xx within verify_seconds, then every contract probe passes. */
export function verify(envName: string, offers: Offer[], _trigger = 'release'): Step {
  return {
    name: `verify-${envName}`,
    title: `Verify ${envName} (health and contract probes)`,
    offerEnv: envName,
    async run(ctx) {
      const env = ctx.env(envName);
      const url = `${env.baseUrl.replace(/\/+$/, '')}${env.healthPath}`;
      const deadline = ctx.clock.now() + env.verifySeconds * 1000;
      let last = 'no answer';
      for (;;) {
        try {
          const status = await ctx.http(url, { timeoutMs: PROBE_TIMEOUT_MS });
          if (status >= 200 && status < 300) break;
          last = `HTTP ${status}`;
        } catch (err) {
          last = err instanceof Error ? err.message : 'no answer';
        }
        if (ctx.clock.now() >= deadline)
          return failed(`${url} did not answer 2xx within ${env.verifySeconds}s (last: ${last}).`, offers);
        await ctx.pause(ctx.pollMs);
      }
      const report = await runContractProbes(ctx, env, ctx.probes[envName] ?? []);
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
