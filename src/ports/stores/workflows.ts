import type { Offer, RunPosition, RunState, StepData } from '../../core/workflow.ts';
import type { AuditEntry } from './audit.ts';

/** One run of a workflow (deploy, rollback, release, task): one row, its position moved by compare-and-set. */
export interface WorkflowRun extends RunPosition {
  id: string;
  workflow: string;
  /** The environment the run is about (its lock and its thread); a release names production. */
  env: string;
  /** What was asked for, as the command parsed it (JSON). */
  input: unknown;
  requesterId: string;
  /** Where the root message and its thread live, once posted. */
  statusChannel: string | null;
  statusTs: string | null;
  /** Token of the environment lock(s) the run holds; null when it holds none (stopped, finished). */
  lockToken: string | null;
  correlationId: string;
  /** Bumped on every write: the compare-and-set key. */
  version: number;
  createdAt: number;
  updatedAt: number;
  finishedAt: number | null;
}

/** Fields that change as a run advances (the position, plus where it talks and what it holds). */
export type WorkflowPatch = Partial<
  RunPosition & Pick<WorkflowRun, 'statusChannel' | 'statusTs' | 'lockToken' | 'finishedAt'>
> & { updatedAt: number };

export interface WorkflowStore {
  create(run: WorkflowRun, audit?: AuditEntry): Promise<void>;
  get(id: string): Promise<WorkflowRun | null>;
  /**
   * Compare-and-set: apply `patch` and bump the version only if the run is still at `version` (with
   * `audit` in the same transaction). False when another instance or an earlier run moved it first.
   */
  advance(id: string, version: number, patch: WorkflowPatch, audit?: AuditEntry): Promise<boolean>;
  /** Runs a restart must pick up (running or waiting), oldest first. */
  listActive(): Promise<WorkflowRun[]>;
  /** Newest first; `workflow`/`env` null = any. */
  latest(opts: { workflow: string | null; env: string | null; limit: number }): Promise<WorkflowRun[]>;
}

export type { Offer, RunState, StepData };
