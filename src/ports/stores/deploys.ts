import type { DeployKind, DeployState } from '../../core/deploys.ts';
import type { AuditEntry } from './audit.ts';

/** One deploy or rollback, persisted from the moment it starts so a restart can finish it. */
export interface DeployRecord {
  id: string;
  env: string;
  /** Heroku app name. */
  app: string;
  kind: DeployKind;
  /** What was asked for ("main", "v12", a sha); null for rollbacks. */
  ref: string | null;
  /** The commit deployed (deploy) or returned to (rollback, when known). */
  sha: string | null;
  /** Rollback target: Heroku release id (uuid) and version. */
  targetReleaseId: string | null;
  targetVersion: number | null;
  /** The release that was current when the work started. */
  previousVersion: number | null;
  requesterId: string;
  approverId: string | null;
  /** The approval this run executes, settled when the run ends (also after a restart). */
  approvalId: string | null;
  state: DeployState;
  /** Take a database backup first. */
  backup: boolean;
  backupTransferId: string | null;
  backupName: string | null;
  buildId: string | null;
  /** The release the work produced. */
  releaseVersion: number | null;
  githubDeploymentId: number | null;
  /** The status message (and thread parent) in Slack. */
  statusChannel: string | null;
  statusTs: string | null;
  /** Token of the environment lock this work holds. */
  lockToken: string | null;
  /** Last lines of the build output, on failure. */
  outputTail: string | null;
  error: string | null;
  correlationId: string;
  createdAt: number;
  updatedAt: number;
  finishedAt: number | null;
}

/** Fields that may change along with a state transition. */
export type DeployTransitionPatch = Partial<
  Pick<DeployRecord, 'releaseVersion' | 'backupName' | 'error' | 'finishedAt' | 'outputTail' | 'buildId'>
> & { updatedAt: number };

/** Fields recorded as work progresses, without changing state. */
export type DeployUpdate = Partial<
  Pick<
    DeployRecord,
    | 'buildId'
    | 'backupTransferId'
    | 'backupName'
    | 'githubDeploymentId'
    | 'statusChannel'
    | 'statusTs'
    | 'lockToken'
    | 'outputTail'
    | 'sha'
    | 'approverId'
  >
>;

export interface DeployStore {
  create(record: DeployRecord): Promise<void>;
  get(id: string): Promise<DeployRecord | null>;
  /**
   * Compare-and-set: move `id` from `from` to `to` with `patch`, only if it is still in `from`
   * (with `audit` in the same transaction). False when another instance or an earlier run got there first.
   */
  transition(
    id: string,
    from: DeployState,
    to: DeployState,
    patch: DeployTransitionPatch,
    audit?: AuditEntry,
  ): Promise<boolean>;
  update(id: string, patch: DeployUpdate): Promise<void>;
  /** Work not yet finished (queued, backing up, building, rolling back, verifying), oldest first. */
  listActive(): Promise<DeployRecord[]>;
  /** Newest first. */
  latest(env: string, limit: number): Promise<DeployRecord[]>;
}
