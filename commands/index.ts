import type { AnyCommand } from '../src/core/registry.ts';
import { alertsCommand } from './alerts.ts';
import { metricsCommand } from './metrics.ts';
import { auditCommand } from './audit.ts';
import { flagOffCommand, flagOnCommand, flagStatusCommand } from './flag.ts';
import { help } from './help.ts';
import { deployCommand } from './deploy.ts';
import { diffCommand } from './diff.ts';
import { rollbackCommand } from './rollback.ts';
import { releaseCommand } from './release.ts';
import { verifyCommand } from './verify.ts';
import { runCommand } from './run.ts';
import { checklistCommand } from './checklist.ts';
import { releasesCommand } from './releases.ts';
import { lockCommand } from './lock.ts';
import { unlockCommand } from './unlock.ts';

/** Every sub-command of /autorisen, explicitly, in the order help lists them. Adding one = its file + one line here. */
export const commands: AnyCommand[] = [
  flagStatusCommand,
  flagOnCommand,
  flagOffCommand,
  diffCommand,
  releasesCommand,
  deployCommand,
  rollbackCommand,
  releaseCommand,
  verifyCommand,
  runCommand,
  checklistCommand,
  lockCommand,
  unlockCommand,
  alertsCommand,
  metricsCommand,
  auditCommand,
  help,
];
