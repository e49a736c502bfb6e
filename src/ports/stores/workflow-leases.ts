/**
 * Who drives a workflow run (issue 19 §7). With several instances on one database, exactly one
 * drives each run; it renews its lease while it lives, and a live instance takes over a run whose
 * lease expired (its instance was killed: no graceful stop released it).
 */
export interface WorkflowLeaseStore {
  /**
   * Take `runId` for `owner` until `until`: true when it was free, expired at `now`, or already
   * `owner`'s; false when another owner's lease is still good. Atomic under races.
   */
  claim(runId: string, owner: string, now: number, until: number): Promise<boolean>;
  /** Extend every lease `owner` holds to `until` (one statement, the instance's heartbeat). */
  renew(owner: string, until: number): Promise<number>;
  /** Give `runId` up, if `owner` still holds it: nobody is to drive it until it moves again. */
  release(runId: string, owner: string): Promise<void>;
  /** A graceful stop: expire everything `owner` holds, so a live peer takes those runs over at once. */
  handOver(owner: string): Promise<number>;
  /** Runs whose lease expired at `now`: their owner stopped renewing (killed) or handed them over. */
  expired(now: number): Promise<string[]>;
}
