import type { Outcome } from '../../core/command.ts';
import type { Message } from '../../core/message.ts';
import { RUN_STATE_WORDS, type StepResult } from '../../core/workflow.ts';
import { AppError } from '../../errors.ts';
import type { Logger } from '../../ports/logger.ts';
import type { WorkflowRun } from '../../ports/stores/workflows.ts';
import { offerButtons } from './messages.ts';
import type { Step, StepContext, StepState } from './types.ts';

/** Thrown out of a step's pause when the process stops; the run stays as persisted for the next one. */
export class WorkflowStopped extends Error {
  constructor() {
    super('workflow engine stopped');
  }
}

/** One line of thread text as a message. */
export const line = (text: string): Message => ({ text, blocks: [{ type: 'section', text }] });

export const interrupted: Outcome = {
  ok: false,
  interrupted: true,
  summary: 'interrupted by shutdown',
  message: { text: 'The bot is restarting; it will pick this up again in the same thread.' },
};

/** What the command's caller hears; a stopped run's offers ride along (an approval message keeps Roll back). */
export function outcomeOf(run: WorkflowRun, title: string, offerEnv: string = run.env): Outcome {
  const ok = run.state === 'done' || run.state === 'waiting' || run.state === 'running';
  const text =
    run.state === 'waiting'
      ? `${title}: waiting (${run.waitingFor ?? 'timer'}); follow the thread.`
      : `${title}: ${RUN_STATE_WORDS[run.state]}${run.error ? ` (${run.error})` : ''}.`;
  const buttons = run.offers.length > 0 ? offerButtons(run, run.offers, offerEnv) : [];
  return {
    ok,
    message: { text, visibility: 'in_channel', ...(buttons.length > 0 ? { buttons } : {}) },
    summary: text,
  };
}

export const takenOver = (run: WorkflowRun): Outcome => ({
  ok: false,
  summary: 'taken over elsewhere',
  message: { text: `Another instance of the bot is driving this ${run.workflow}; follow its thread.` },
});

/** Run one step; a throw becomes a failed result offering retry/abandon; null when the engine stopped. */
export async function runStep(step: Step, ctx: StepContext, state: StepState, log: Logger): Promise<StepResult | null> {
  try {
    return await step.run(ctx, state);
  } catch (err) {
    if (err instanceof WorkflowStopped) return null;
    log.warn({ err, step: step.name }, 'workflow step failed');
    const why = err instanceof AppError ? err.userMessage : 'an unexpected error; the details are in the bot logs.';
    const external = !(err instanceof AppError) || EXTERNAL.test(err.code);
    return { kind: 'failed', reason: why, offers: ['retry', 'abandon'], faulty: false, external };
  }
}

/** Codes of an API on the way failing (a GitHub deployment ends as `error`, not `failure`). */
const EXTERNAL = /^(heroku|github)_(?!backup_failed$|build_failed$)/;
