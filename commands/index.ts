import type { AnyCommand } from '../src/core/registry.ts';
import { auditCommand } from './audit.ts';
import { help } from './help.ts';

/** Every sub-command of /autorisen, explicitly. Adding one = its file + one line here. */
export const commands: AnyCommand[] = [
  help,
  auditCommand,
];
