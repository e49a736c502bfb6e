import { AppError } from '../errors.ts';
import type { FlagOnReadiness } from './command.ts';

/**
 * `flag on` checks the code is there (issue 23 §7): before turning the flag on, the bot reads the
 * environment's live /openapi.json for the routes behind the flag and compares the namespace with
 * staging's. What it found is shown in the plan; production refuses when the check fails, unless an
 * admin adds --force. The kill switch (`flag off`) never runs any of this: it never waits.
 */
// The check's types live with ChangePlanPort in command.ts (which reaches it); re-exported here.
export type { FlagOnReadiness } from './command.ts';

/**
 * Apply the policy: outside production the findings are warnings; in production a failed check
 * refuses, and `--force` overrides it only for an admin (shown in the plan as such).
 */
export function admitFlagOn(
  r: FlagOnReadiness,
  o: { env: string; production: boolean; force: boolean; admin: boolean },
): { lines: string[]; warnings: string[] } {
  if (r.blockers.length === 0) return { lines: r.lines, warnings: r.warnings };
  if (!o.production) return { lines: r.lines, warnings: [...r.blockers.map((b) => `Code check: ${b}`), ...r.warnings] };
  const list = r.blockers.map((b) => `• ${b}`).join('\n');
  if (!o.force)
    throw new AppError(
      'conflict',
      `Not turning the flag on in ${o.env}: the code behind it does not check out.\n${list}\nDeploy the code first (\`/autorisen release\`), or an admin can override with \`/autorisen flag on ${o.env} --force\`.`,
    );
  if (!o.admin)
    throw new AppError(
      'forbidden',
      `Only an admin can use --force to turn the flag on in ${o.env} when the code behind it does not check out.\n${list}`,
    );
  return {
    lines: r.lines,
    warnings: [...r.blockers.map((b) => `--force by an admin, despite: ${b}`), ...r.warnings],
  };
}
