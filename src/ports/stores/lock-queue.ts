/** Someone waiting for an environment's lock (issue 23 §3), with the command line to re-run for them. */
export interface QueueEntry {
  id: string;
  env: string;
  userId: string;
  /** Where they queued: told there (besides a DM) when their turn comes. */
  channelId: string;
  /** The command line as typed, without `--queue`: "Run now" runs it as if typed again. */
  commandText: string;
  queuedAt: number;
  /** waiting → notified (their turn) → done; or left. */
  state: 'waiting' | 'notified' | 'done' | 'left';
  notifiedAt: number | null;
}

export type NewQueueEntry = Omit<QueueEntry, 'state' | 'notifiedAt'>;

/** First in, first out per environment, shared by every instance. */
export interface LockQueueStore {
  /**
   * Join `env`'s queue. The same person queuing the same command line again (a double click, a
   * retried command) keeps their place: `added` is false and the existing entry is returned.
   */
  enqueue(entry: NewQueueEntry): Promise<{ entry: QueueEntry; position: number; added: boolean }>;
  /** Who waits for `env`, first first. */
  waiting(env: string): Promise<QueueEntry[]>;
  /** Environments with at least one waiting entry. */
  envsWithWaiting(): Promise<string[]>;
  /**
   * Compare-and-set: give the first waiting entry its turn (`notified` at `now`), unless a turn that
   * started after `turnSince` is still open. One statement, so racing instances give one turn.
   */
  claimTurn(env: string, now: number, turnSince: number): Promise<QueueEntry | null>;
  /** Close the open turns of `env` that started before `before` (the lock was taken and released since). */
  endTurns(env: string, before: number): Promise<number>;
  /** The newest turn given on `env`, if any (for `/autorisen locks`). */
  currentTurn(env: string): Promise<QueueEntry | null>;
}
