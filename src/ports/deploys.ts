/** What `/autorisen deploy` and `/autorisen rollback` parse to; they run as workflows (src/workflows/). */
export type { DeployInput, RollbackInput } from '../core/command.ts';
