/**
 * When each kind of Slack call may next be made: chat.postMessage per channel (~1/s, PROTOCOLS.md
 * §A5) and chat.update per workspace (Tier 3, 50+/min). A 429's Retry-After pushes the key out.
 * In memory on purpose: after a restart Slack's own 429s re-teach us, and nothing is lost.
 */
export class SlackPacer {
  private readonly readyAt = new Map<string, number>();

  /** True when `key` may be used at `now`. */
  ready(key: string, now: number): boolean {
    return (this.readyAt.get(key) ?? 0) <= now;
  }

  /** Record a call on `key`: the next one waits `intervalMs`. */
  used(key: string, now: number, intervalMs: number): void {
    this.readyAt.set(key, Math.max(this.readyAt.get(key) ?? 0, now + intervalMs));
  }

  /** Slack said wait (Retry-After) or we back off after a failure. */
  pauseUntil(key: string, until: number): void {
    this.readyAt.set(key, Math.max(this.readyAt.get(key) ?? 0, until));
  }

  /** Earliest time after `now` at which any of `keys` becomes ready (for the worker's sleep). */
  nextReady(keys: readonly string[], now: number): number | null {
    let best: number | null = null;
    for (const k of keys) {
      const t = this.readyAt.get(k) ?? 0;
      if (t > now && (best === null || t < best)) best = t;
    }
    return best;
  }
}
