/** Exactly-once guard for retries (Slack, webhooks): the first claim of a key wins. */
export interface DedupStore {
  /** True if this is the first claim of `key` (kept for `ttlMs`), false if seen before. */
  claim(key: string, now: number, ttlMs: number): Promise<boolean>;
}
