import type { CommandContext } from '../../ports/command.ts';
import type { EnvironmentConfig } from '../../core/environment.ts';
import { FLAG_VAR, type KnownValue } from '../../core/flag.ts';
import { flagAtRelease, flagText, type RollbackFlag, rollbackFlips } from '../../core/flag-at-release.ts';
import { escapeMrkdwn } from '../../core/mrkdwn.ts';
import type { HerokuRelease } from '../../ports/heroku.ts';

/** Flag history rows read beside the release list (enough to cover the 20 releases a rollback plan reads). */
const HISTORY_ROWS = 50;

/**
 * What a rollback does to the rollout flag (issue 23 §6): the value now (config vars), the value in
 * the target release (core/flag-at-release.ts: the flag history, else the release list), the plan's
 * line and, when it changes or may change, a warning the approval message shows in bold.
 */
export async function rollbackFlagFindings(
  ctx: CommandContext,
  env: EnvironmentConfig,
  releases: readonly HerokuRelease[],
  targetVersion: number,
  accepted: boolean,
): Promise<{ flag: RollbackFlag; lines: string[]; warnings: string[] }> {
  const app = env.herokuApp;
  const [vars, history] = await Promise.all([
    ctx.heroku.getConfigVars(app).catch(() => null),
    ctx.store.releases.list(app, HISTORY_ROWS).catch(() => []),
  ]);
  const known = new Map<number, KnownValue>(
    history.filter((h) => h.flagKnown).map((h) => [h.version, { raw: h.flagValue, source: h.source, actor: h.actor }]),
  );
  const now = vars ? (vars[FLAG_VAR] ?? null) : null;
  const target = vars
    ? flagAtRelease(
        [...releases].sort((a, b) => b.version - a.version),
        known,
        now,
        targetVersion,
      )
    : flagAtRelease([], known, null, targetVersion);
  const flag: RollbackFlag = {
    now,
    nowKnown: vars !== null,
    after: target.known ? target.raw : null,
    afterKnown: target.known,
  };
  const how = target.known ? target.how : escapeMrkdwn(target.why);
  const lines = [
    `${FLAG_VAR} after the rollback: ${flagText(flag.after, flag.afterKnown)}, ${how}; now ${flagText(flag.now, flag.nowKnown)}`,
  ];
  if (!rollbackFlips(flag)) return { flag, lines, warnings: [] };
  const warnings = [
    flag.afterKnown && flag.nowKnown
      ? `:triangular_flag_on_post: THIS ROLLBACK FLIPS THE ROLLOUT FLAG: it restores v${targetVersion}'s config vars, so ${FLAG_VAR} changes from ${flagText(flag.now, true)} to ${flagText(flag.after, true)} in ${env.name}.`
      : `:triangular_flag_on_post: THIS ROLLBACK MAY FLIP THE ROLLOUT FLAG: it restores v${targetVersion}'s config vars, and ${FLAG_VAR} in v${targetVersion} is unknown (now ${flagText(flag.now, flag.nowKnown)}).`,
  ];
  if (env.production)
    lines.push(
      accepted
        ? `Flag change accepted by <@${ctx.caller.userId}> with --accept-flag-change`
        : env.requiresApproval
          ? 'Flag change: approving this rollback accepts it'
          : `Flag change: in ${env.name} it needs --accept-flag-change`,
    );
  return { flag, lines, warnings };
}
