import type { Plan } from '../core/command.ts';
import type { Message, MessageBlock } from '../core/message.ts';

/** The plan as message blocks: title, what will change, and loud warnings. */
export function planBlocks(plan: Plan): MessageBlock[] {
  const blocks: MessageBlock[] = [{ type: 'section', text: `*${plan.title}*` }];
  if (plan.lines.length > 0) blocks.push({ type: 'section', text: plan.lines.map((l) => `• ${l}`).join('\n') });
  for (const w of plan.warnings) blocks.push({ type: 'section', text: `:warning: *${w}*` });
  return blocks;
}

/** Plain-text form of a plan (fallback text and the shell). */
export function planText(plan: Plan): string {
  return [plan.title, ...plan.lines.map((l) => `  - ${l}`), ...plan.warnings.map((w) => `  ! ${w}`)].join('\n');
}

/** Reply to `--dry-run`: the plan, and that nothing changed. */
export function dryRunMessage(plan: Plan): Message {
  return {
    text: `Dry run, nothing changed.\n${planText(plan)}`,
    blocks: [{ type: 'context', text: ':mag: Dry run: nothing was changed.' }, ...planBlocks(plan)],
  };
}
