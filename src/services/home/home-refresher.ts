import type { Clock } from '../../ports/clock.ts';
import type { Logger } from '../../ports/logger.ts';

/**
 * Slack's pace for views.publish: Tier 4, "100+ per minute" per workspace (PROTOCOLS.md §A5); we
 * stay at 90 so other views.* calls keep room. One person's tab is republished at most every
 * `perUserMs`: nobody reads a Home tab faster, and a burst of changes then costs one publish.
 */
export interface HomePacing {
  /** Publishes per minute over all users. */
  perMinute: number;
  /** Least gap between two publishes to the same user. */
  perUserMs: number;
  /**
   * How long a burst may gather before the first publish: one approval is several writes (approved,
   * executing, the release, succeeded) a few milliseconds apart, and should cost one publish.
   */
  coalesceMs: number;
}

export const HOME_PACING: HomePacing = { perMinute: 90, perUserMs: 3_000, coalesceMs: 250 };

/**
 * Publishes users' Home tabs one at a time, paced, coalescing bursts: a user asked for again while
 * still waiting is published once, with the state as of that publish. Pending users are a set in
 * memory on purpose: losing it in a crash loses only a refresh, and the next open or change
 * republishes anyway.
 */
export class HomeRefresher {
  private readonly pending = new Set<string>();
  private readonly nextFor = new Map<string, number>();
  private lastPublish = -Infinity;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly publish: (userId: string) => Promise<void>,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly pacing: HomePacing = HOME_PACING,
  ) {}

  /** Ask for these users' tabs to be republished; returns at once. */
  request(userIds: Iterable<string>): void {
    if (this.stopped) return;
    for (const u of userIds) this.pending.add(u);
    if (!this.running && this.pending.size > 0) this.running = this.drain().finally(() => (this.running = null));
  }

  /** Resolves when nothing is waiting (tests, and a graceful stop). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Stop publishing; what is waiting is dropped. */
  stop(): void {
    this.stopped = true;
    this.pending.clear();
  }

  private async drain(): Promise<void> {
    const gap = 60_000 / this.pacing.perMinute;
    await this.clock.sleep(this.pacing.coalesceMs);
    while (this.pending.size > 0 && !this.stopped) {
      const now = this.clock.now();
      // The user who may be published soonest, in request order among equals.
      let pick: string | null = null;
      let pickAt = Infinity;
      for (const u of this.pending) {
        const at = this.nextFor.get(u) ?? -Infinity;
        if (at < pickAt) {
          pick = u;
          pickAt = at;
        }
        if (at <= now) break;
      }
      const wait = Math.max(pickAt, this.lastPublish + gap) - now;
      if (wait > 0) {
        await this.clock.sleep(wait);
        continue;
      }
      const user = pick!;
      this.pending.delete(user);
      this.lastPublish = this.clock.now();
      this.nextFor.set(user, this.lastPublish + this.pacing.perUserMs);
      try {
        await this.publish(user);
      } catch (err) {
        this.log.warn({ err, userId: user }, 'could not publish the Home tab');
      }
      this.forgetIdle();
    }
  }

  /** Keep the per-user map to users still inside their gap. */
  private forgetIdle(): void {
    const now = this.clock.now();
    for (const [u, at] of this.nextFor) if (at <= now && !this.pending.has(u)) this.nextFor.delete(u);
  }
}
