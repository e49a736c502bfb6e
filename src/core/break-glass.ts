import type { EnvironmentConfig } from './environment.ts';
import type { OptionSpec } from './options.ts';
import type { Role } from './roles.ts';

/**
 * Break-glass (issue 23 §2), the pure part: the option a command accepts when it declares
 * `breakGlass: true`, who may use it and where, and the ids of its modal and review button.
 * Break-glass skips the second person only: the backup, the lock, the gates and the guard stay.
 */
export const BREAK_GLASS_OPTION: OptionSpec = { name: 'break-glass', kind: 'flag' };
/** `--reason "…"`: required with `--break-glass` (commands such as `flag` declare it themselves). */
export const REASON_OPTION: OptionSpec = { name: 'reason', kind: 'value' };

/** The modal's callback_id, and the input block and action it reads the typed name from. */
export const CONFIRM_CALLBACK = 'autorisen:break-glass';
export const CONFIRM_BLOCK = 'break_glass_confirm';
export const CONFIRM_INPUT = 'env_name';
/** The "Acknowledge review" button on the review message. */
export const REVIEW_ACTION = 'autorisen:break-glass-review';

/** How long a confirmation stays open (the modal, the shell's prompt): a stale one runs nothing. */
export const CONFIRM_TTL_MS = 10 * 60_000;
/** Longest reason kept (it is shown in the emergency notice and the audit log). */
export const MAX_BREAK_GLASS_REASON = 300;

/** The prompt the shell prints (and the modal's label says the same). */
export const CONFIRM_PROMPT = "Type the environment's name to confirm:";

/** A command that accepts `--break-glass`: it says so itself (`breakGlass: true`). */
export function breakGlassable(command: { kind: string; breakGlass?: boolean }): boolean {
  return command.kind === 'action' && command.breakGlass === true;
}

/** What a break-glass request asks for, as the strict parser read it. */
export interface BreakGlassAsk {
  reason: string | null;
}

/**
 * Why a break-glass request must not go on, or null. Checked in this order so the most useful
 * answer comes first: the role (admins only), the reason, then whether a second person is needed
 * at all in that environment.
 */
export function refuseBreakGlass(a: {
  command: string;
  role: Role;
  reason: string | null;
  env: EnvironmentConfig | undefined;
  needsSecondPerson: boolean;
  /** A change scheduled for later (`flag on … at …`): there is time to ask a second person. */
  scheduled?: boolean;
}): string | null {
  if (a.role !== 'admin')
    return `\`--break-glass\` is for admins only; you are ${a.role === 'operator' ? 'an operator' : 'a viewer'}. Ask an admin, or run \`${a.command}\` without it and ask another operator to approve. Nothing was run.`;
  if (!a.reason)
    return '`--break-glass` needs a reason, e.g. `--break-glass --reason "checkout is down, nobody else is awake"`. Nothing was run.';
  if (a.reason.length > MAX_BREAK_GLASS_REASON)
    return `--reason is limited to ${MAX_BREAK_GLASS_REASON} characters. Nothing was run.`;
  if (a.scheduled)
    return `\`--break-glass\` is for a change now; a scheduled change has time for a second person. Drop \`--break-glass\`, or drop \`at …\`/\`in …\` to run it now. Nothing was run.`;
  if (!a.env) return null;
  if (!a.needsSecondPerson)
    return `${a.env.name} needs no second person; drop \`--break-glass\` and run \`${a.command}\` as it is. Nothing was run.`;
  return null;
}

/** The name typed into the modal (or at the shell's prompt) confirms `env` only when it is its name exactly. */
export function confirmsEnvironment(typed: string, env: string): boolean {
  return typed.trim() === env;
}

/** The error under the modal's input when the typed name is wrong. */
export function wrongNameText(env: string): string {
  return `That is not the environment's name; nothing was run. Type ${env} exactly to confirm.`;
}

/** Whether a parsed input is a scheduled change (it carries `when`, as `flag on … at …` does). */
export function isScheduledInput(input: unknown): boolean {
  return typeof input === 'object' && input !== null && 'when' in input && input.when !== undefined;
}
