/**
 * Deploys and rollbacks as a port. The contract lives in core/command.ts, next to the context its
 * methods take, so core does not import this file back (it was an import cycle); this file keeps
 * the names where ports are looked up.
 */
export type { DeployInput, DeployPort, RollbackInput } from '../core/command.ts';
