import type { AnyCommand } from '../src/ports/command.ts';
import { alertsCommand } from './alerts.ts';
import { metricsCommand } from './metrics.ts';
import { auditCommand } from './audit.ts';
import { flagOffCommand, flagOnCommand, flagStatusCommand } from './flag.ts';
import { diffCommand } from './diff.ts';
import { verifyCommand } from './verify.ts';
import { checklistCommand } from './checklist.ts';
import { releasesCommand } from './releases.ts';
import { lockCommand } from './lock.ts';
import { unlockCommand } from './unlock.ts';
import { locksCommand } from './locks.ts';
import { whoamiCommand } from './whoami.ts';
import { guardCommand, guardStopCommand } from './guard.ts';
import { guardBacktestCommand } from './guard-backtest.ts';
import { scheduleCommand } from './schedule.ts';

/**
 * The sub-commands of /autorisen that start no workflow, in the order help lists them. Adding one =
 * its file + one line here (a command that starts a workflow is one line in src/catalog.ts).
 * src/catalog.ts adds the workflows' commands and `help`; the registry is built from that list.
 */
export const commands: AnyCommand[] = [
  flagStatusCommand,
  flagOnCommand,
  flagOffCommand,
  scheduleCommand, // issue 23 §1: scheduled flag changes
  diffCommand,
  releasesCommand,
  verifyCommand,
  checklistCommand,
  lockCommand,
  unlockCommand,
  locksCommand,
  alertsCommand,
  metricsCommand,
  guardCommand,
  guardStopCommand,
  guardBacktestCommand, // issue 21: guarded rollouts
  auditCommand,
  whoamiCommand,
];
