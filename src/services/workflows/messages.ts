import type { Button, Message } from '../../core/message.ts';
import { RUN_STATE_WORDS, type Offer } from '../../core/workflow.ts';
import type { WorkflowRun } from '../../ports/stores/workflows.ts';
import { flagOffButton, rollbackButton } from '../../core/command-buttons.ts';
import type { Step, WorkflowDef } from './types.ts';

export const RETRY_ACTION = 'autorisen:wf-retry';
export const ABANDON_ACTION = 'autorisen:wf-abandon';

function mark(run: WorkflowRun, i: number): string {
  if (i < run.stepIndex) return ':white_check_mark:';
  if (i > run.stepIndex) return ':white_small_square:';
  if (run.state === 'failed' || run.state === 'faulty') return ':x:';
  if (run.state === 'abandoned') return ':no_entry_sign:';
  return run.state === 'waiting' ? ':hourglass:' : ':arrow_forward:';
}

/** The root message: the title, every step with its mark, and the run's state; rewritten at each move. */
/** The root message of a run of `def`: its facts and outcome line, and on a stop the offers as buttons. */
export function rootOf(def: WorkflowDef, run: WorkflowRun, steps: readonly Step[]): Message {
  const env = steps[run.stepIndex]?.offerEnv ?? run.env;
  const stopped = run.state === 'failed' || run.state === 'faulty';
  return rootMessage(def.title(run.input), run, steps, {
    facts: def.facts?.(run.input, run) ?? [],
    outcome: def.outcome?.(run.input, run) ?? null,
    buttons: stopped ? offerButtons(run, run.offers, env) : [],
  });
}

export function rootMessage(
  title: string,
  run: WorkflowRun,
  steps: readonly Step[],
  extra: { facts?: string[]; outcome?: string | null; buttons?: Button[] } = {},
): Message {
  const facts = extra.facts ?? [];
  const state = RUN_STATE_WORDS[run.state];
  const head =
    run.state === 'done'
      ? `:white_check_mark: *${title}*: done.`
      : run.state === 'faulty'
        ? `:rotating_light: *${title}*: faulty. ${run.error ?? ''}`
        : run.state === 'failed'
          ? `:x: *${title}*: stopped at "${steps[run.stepIndex]?.title ?? '?'}": ${run.error ?? ''}`
          : run.state === 'abandoned'
            ? `:no_entry_sign: *${title}*: abandoned.`
            : `:hourglass_flowing_sand: *${title}*: ${state} (step ${run.stepIndex + 1} of ${steps.length}).`;
  const list = steps.map((s, i) => `${mark(run, i)} ${s.title}`).join('\n');
  const headline = extra.outcome ? `${head}\n${extra.outcome}` : head;
  return {
    text: headline.replace(/\*/g, '').replace(/\n/g, ' '),
    visibility: 'in_channel',
    ...(extra.buttons && extra.buttons.length > 0 ? { buttons: extra.buttons } : {}),
    blocks: [
      { type: 'section', text: headline },
      { type: 'section', text: list },
      ...(facts.length > 0 ? [{ type: 'fields' as const, fields: facts }] : []),
      {
        type: 'context',
        text: `Requested by <@${run.requesterId}> · ${run.workflow} ${run.id} · details in the thread`,
      },
    ],
  };
}

/** The buttons for what a person can do about a stopped run. */
export function offerButtons(run: WorkflowRun, offers: readonly Offer[], env: string): Button[] {
  return offers.map((o): Button => {
    switch (o) {
      case 'retry':
        return { actionId: RETRY_ACTION, label: 'Retry the step', value: run.id, style: 'primary' };
      case 'abandon':
        return { actionId: ABANDON_ACTION, label: 'Abandon', value: run.id, confirm: 'Abandon this run?' };
      case 'rollback':
        return rollbackButton(env);
      case 'flag_off':
        return flagOffButton(env, `${run.workflow} ${run.id} went wrong`);
    }
  });
}

/** The thread line for a stopped run: what failed, and the offers. */
export function failureMessage(
  run: WorkflowRun,
  step: Step | undefined,
  offers: readonly Offer[],
  env: string,
): Message {
  const text = `${run.state === 'faulty' ? ':rotating_light:' : ':x:'} ${step?.title ?? 'The run'} failed: ${run.error ?? 'unknown error'}`;
  return {
    text,
    visibility: 'in_channel',
    blocks: [{ type: 'section', text }],
    buttons: offerButtons(run, offers, env),
  };
}
