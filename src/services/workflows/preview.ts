import type { Logger } from '../../ports/logger.ts';
import { runStep } from './outcomes.ts';
import { stepStateOf } from './step-context.ts';
import type { StepContext, WorkflowDef } from './types.ts';

/** Dry run: every step in order; read-only gates run now and show their answer. Changes nothing. */
export async function previewSteps(def: WorkflowDef, input: unknown, ctx: StepContext, log: Logger): Promise<string[]> {
  const lines: string[] = [];
  const data: Record<string, unknown> = {};
  for (const [i, step] of def.steps(input).entries()) {
    const state = stepStateOf({ ...data }, {}, false);
    if (step.readOnly) {
      const r = await runStep(step, ctx, state, log);
      if (r?.kind === 'done') data[step.name] = r.data;
      lines.push(
        r?.kind === 'done'
          ? `${i + 1}. :white_check_mark: ${step.title}${r.note ? ` — ${r.note}` : ''}`
          : `${i + 1}. :x: ${step.title} — ${r?.kind === 'failed' ? `blocks: ${r.reason}` : 'would wait'}`,
      );
    } else {
      const extra = step.preview ? await step.preview(ctx, state).catch(() => null) : null;
      lines.push(`${i + 1}. ${step.title}${extra ? ` — ${extra}` : ''}`);
    }
  }
  return lines;
}
