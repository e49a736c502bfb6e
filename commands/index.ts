import type { AnyCommand } from '../src/core/registry.ts';
import { alertsCommand } from './alerts.ts';
import { metricsCommand } from './metrics.ts';
import { auditCommand } from './audit.ts';
import { flagOffCommand, flagOnCommand, flagStatusCommand } from './flag.ts';
import { help } from './help.ts';
import { diffCommand } from './diff.ts';
import { verifyCommand } from './verify.ts';
import { workflowCatalog } from '../src/workflows/index.ts';
import { checklistCommand } from './checklist.ts';
import { releasesCommand } from './releases.ts';
import { lockCommand } from './lock.ts';
import { unlockCommand } from './unlock.ts';
import { guardCommand, guardStopCommand } from './guard.ts';
import { guardBacktestCommand } from './guard-backtest.ts';

/**
 * Every sub-command of /autorisen, explicitly, in the order help lists them. Adding one = its file + one
 * line here (or, for a command that starts a workflow, one line in src/workflows/index.ts).
 */
export const commands: AnyCommand[] = [
  flagStatusCommand,
  flagOnCommand,
  flagOffCommand,
  diffCommand,
  releasesCommand,
  // deploy, rollback, release, run: each registered with the workflow it starts.
  ...workflowCatalog.map((w) => w.command),
  verifyCommand,
  checklistCommand,
  lockCommand,
  unlockCommand,
  alertsCommand,
  metricsCommand,
  guardCommand,
  guardStopCommand,
  guardBacktestCommand, // issue 21: guarded rollouts
  auditCommand,
  help,
];
