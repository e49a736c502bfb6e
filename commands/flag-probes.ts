import { flagOffButton } from '../src/core/command-buttons.ts';
import type { CommandContext, Outcome, Plan } from '../src/core/command.ts';
import type { FlagPlanData } from '../src/core/flag.ts';
import { recordCommandProbeRun } from '../src/services/probe-record.ts';

/**
 * After a flag change, the environment's contract probes (issue 11 §3): Heroku restarts the dynos,
 * so they are retried within the environment's verify window. The change itself has already been
 * made (the kill switch is never held up); this only adds the probes' answer to the reply and,
 * when the flag went on and a probe still fails, a Flag off button.
 */
export async function withProbes(outcome: Outcome, plan: Plan, ctx: CommandContext): Promise<Outcome> {
  const d = plan.data as FlagPlanData;
  const env = ctx.env(d.env);
  if (!outcome.ok || !env || !ctx.probes || ctx.probes.count(env.name) === 0) return outcome;
  const deadline = ctx.clock.now() + env.verifySeconds * 1000;
  let r = await ctx.probes.run(env.name);
  while (!r.ok && ctx.clock.now() < deadline) {
    await ctx.clock.sleep(5_000);
    r = await ctx.probes.run(env.name);
  }
  // The settled answer (not each retry while the dynos restart) is what the checklist shows.
  await recordCommandProbeRun(ctx, 'flag', r);
  const failedNames = r.results
    .filter((p) => !p.ok)
    .map((p) => `${p.name}: ${p.status ?? p.error} (expected ${p.expect})`);
  const line = r.ok
    ? `:stethoscope: ${r.results.length} contract probe(s) pass with the flag ${r.flag ?? d.target}.`
    : `:x: Contract probes fail with the flag ${r.flag ?? d.target}: ${failedNames.join(' · ') || `health ${r.health.status ?? 'no answer'}`}.`;
  return {
    ...outcome,
    ok: outcome.ok,
    message: {
      ...outcome.message,
      text: `${outcome.message.text}\n${line}`,
      ...(r.ok || d.target !== 'on'
        ? {}
        : {
            buttons: [flagOffButton(env.name, 'contract probes failed after flag on')],
          }),
    },
  };
}

// Re-exported: the Flag off offer is the one kill-switch button of src/core/command-buttons.ts.
export { flagOffButton };
