import type { Button } from './message.ts';
import { looksLikeDryRun } from './options.ts';

/** Built-in: a button that runs its value as a command line as the clicker (roles, approval and audit apply). */
export const RUN_ACTION = 'autorisen:run';

/** Words safe inside a double-quoted command-line argument. */
export function quoteSafe(text: string, max = 80): string {
  // The button's command line goes through the strict parser (issue 9 §2): a quote of any kind would
  // end the reason early, and a word that reads as --dry-run is refused, so the kill switch would not
  // run. Reasons may come from outside (exception messages), so they are neutralised here.
  const words = text
    .replace(/["\\\n\r\u201C\u201D\u201E\u201F\u2033\u2036]/gu, ' ')
    .split(/(\s+)/u)
    .map((w) => (looksLikeDryRun(w) ? w.replace(/dry[-_\u2010\u2011]?run/giu, 'dry run') : w));
  return Array.from(words.join('')).slice(0, max).join('').trim();
}

/**
 * The kill switch as a button: `flag off <env> --reason "…"`, the reason made safe for the strict
 * parser. Every Flag off offer (alerts, failed probes, stopped workflows) is this one button.
 */
export function flagOffButton(env: string, reason: string, label = 'Flag off'): Button {
  return {
    actionId: RUN_ACTION,
    label,
    value: `flag off ${env} --reason "${quoteSafe(reason)}"`,
    style: 'danger',
    confirm: `Turn FEATURE_AUTORISEN off in ${env}? This restarts the app's dynos.`,
  };
}

/** `rollback <env>` as a button (to the release before the current one; production still needs approval). */
export function rollbackButton(env: string): Button {
  return {
    actionId: RUN_ACTION,
    label: 'Roll back',
    value: `rollback ${env}`,
    style: 'danger',
    confirm: `Roll ${env} back to the release before the current one?`,
  };
}
