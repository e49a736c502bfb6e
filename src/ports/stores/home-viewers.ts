/**
 * Who opened the bot's Home tab lately (issue 13). A change to what Home shows is republished to
 * them, so the tab they look at stays true; persisted so a restart keeps refreshing the same people.
 */
export interface HomeViewerStore {
  /** Remember that `userId` opened Home at `at` (the latest open wins). */
  touch(userId: string, at: number): Promise<void>;
  /** Users who opened Home at or after `since`, most recent first, at most `limit`. */
  recent(since: number, limit: number): Promise<string[]>;
  /** Forget opens before `before`; returns how many were removed. */
  prune(before: number): Promise<number>;
}
