import type { EnvironmentConfig } from '../../config.ts';
import type { RepoRef } from '../../ports/github.ts';
import type { StepContext, StepState } from '../../services/workflow-types.ts';

/** The commit a release carries, as the CI gate resolved it (every later step reads it from there). */
export function shaOf(state: StepState): string {
  const fromInput = (state.input as { sha?: unknown } | null)?.sha;
  if (typeof fromInput === 'string') return fromInput;
  const ci = state.data.ci as { sha?: unknown } | undefined;
  if (typeof ci?.sha === 'string') return ci.sha;
  throw new Error('no commit resolved for this run');
}

export const repoOf = (env: EnvironmentConfig): RepoRef => ({ owner: env.github.owner, repo: env.github.repo });

/** A step's data from an earlier step, narrowed to a record. */
export function dataOf(state: StepState, step: string): Record<string, unknown> {
  const d = state.data[step];
  return d && typeof d === 'object' ? (d as Record<string, unknown>) : {};
}

/** Poll `read` until it answers non-null or `deadline` passes (then null), pausing between polls. */
export async function pollUntil<T>(
  ctx: StepContext,
  deadline: number,
  read: () => Promise<T | null>,
): Promise<T | null> {
  for (;;) {
    const v = await read();
    if (v !== null) return v;
    if (ctx.clock.now() >= deadline) return null;
    await ctx.pause(ctx.pollMs);
  }
}
