import type { EnvironmentConfig } from '../../config.ts';
import type { Caller } from '../../core/command.ts';
import type { HomeSnapshot } from '../../core/home.ts';
import type { Clock } from '../../ports/clock.ts';
import type { HerokuPort } from '../../ports/heroku.ts';
import type { HomePort } from '../../ports/home.ts';
import type { Logger } from '../../ports/logger.ts';
import type { Store } from '../../ports/store.ts';
import { HomeRefresher, type HomePacing } from './home-refresher.ts';
import { buildSnapshot, readHerokuParts, type HerokuPart } from './home-snapshot.ts';
import { defaultHomeSources, type HomeSources } from './home-sources.ts';
import { buildHomeView } from './home-view.ts';

/** Who counts as a recent Home viewer: opened it within a day (a change is republished to them). */
export const HOME_VIEWER_WINDOW_MS = 24 * 60 * 60_000;
/** At most this many recent viewers are refreshed per change (the team is small; this bounds a mistake). */
export const HOME_MAX_VIEWERS = 200;
/**
 * Heroku's part of Home is reused this long unless something the bot saw changed it (a flag flip, a
 * deploy, an api:release webhook); it bounds how stale a change made outside the bot can look.
 */
export const HOME_HEROKU_MAX_AGE_MS = 5 * 60_000;
/** A snapshot serves every publish within this long of it (a burst of opens reads once). */
export const HOME_SNAPSHOT_MAX_AGE_MS = 2_000;
/** A notice ("Approved", "You can't approve your own request") stays on the user's Home this long. */
export const HOME_NOTICE_MS = 10 * 60_000;

/** What changed: the bot's own state only, or also what Heroku runs. */
export type HomeChange = 'store' | 'heroku';

export interface HomeServiceDeps {
  environments: readonly EnvironmentConfig[];
  heroku: HerokuPort;
  store: Store;
  clock: Clock;
  log: Logger;
  home: HomePort;
  /** The viewer's identity and role (the dispatcher's resolution: user entry, groups, default). */
  caller: (userId: string) => Promise<Caller>;
  sources?: Partial<HomeSources>;
  pacing?: HomePacing;
}

/**
 * The Home tab (issue 13): published when someone opens it and republished to recent viewers when
 * something it shows changes, paced within Slack's limits for views.publish.
 */
export class HomeService {
  private readonly refresher: HomeRefresher;
  private readonly sources: HomeSources;
  private heroku: { parts: Map<string, HerokuPart>; at: number } | null = null;
  private snapshot: HomeSnapshot | null = null;
  private readonly notices = new Map<string, { text: string; at: number }>();
  /** A viewer lookup is under way: further changes ride on it (an alert storm is thousands of writes). */
  private lookingUp = false;
  /** Bumped by every change: a snapshot read while a change landed is used once, never kept. */
  private generation = 0;
  private herokuGeneration = 0;

  constructor(private readonly deps: HomeServiceDeps) {
    this.sources = { ...defaultHomeSources(deps.store), ...deps.sources };
    this.refresher = new HomeRefresher((u) => this.publishTo(u), deps.clock, deps.log, deps.pacing);
  }

  /** `userId` opened the Home tab: remember them, and publish theirs. */
  async opened(userId: string): Promise<void> {
    await this.deps.store.homeViewers.touch(userId, this.deps.clock.now());
    this.refresher.request([userId]);
  }

  /**
   * Another instance changed something (services/home/peer-changes.ts): forget what this one
   * cached, so its next publish reads afresh. It publishes nothing: the writing instance already
   * refreshed every recent viewer, who are listed in the shared store.
   */
  invalidate(kind: HomeChange): void {
    this.generation += 1;
    if (kind === 'heroku') {
      this.heroku = null;
      this.herokuGeneration += 1;
    }
    this.snapshot = null;
  }

  /** Something Home shows changed: republish every recent viewer's tab (coalesced and paced). */
  changed(kind: HomeChange): void {
    this.invalidate(kind);
    // The publishes come after the refresher's coalescing pause and read the snapshot then, so a
    // change landing while the lookup runs is shown without a lookup of its own.
    if (this.lookingUp) return;
    this.lookingUp = true;
    const since = this.deps.clock.now() - HOME_VIEWER_WINDOW_MS;
    void this.deps.store.homeViewers
      .recent(since, HOME_MAX_VIEWERS)
      .then(
        (users) => this.refresher.request(users),
        (err: unknown) => this.deps.log.warn({ err }, 'could not read who to refresh Home for'),
      )
      .finally(() => {
        this.lookingUp = false;
      });
  }

  /** Show `text` at the top of `userId`'s Home (the reply to a click made there, which has no channel). */
  async notice(userId: string, text: string): Promise<void> {
    this.notices.set(userId, { text, at: this.deps.clock.now() });
    this.refresher.request([userId]);
  }

  /** Resolves when no publish is waiting. */
  idle(): Promise<void> {
    return this.refresher.idle();
  }

  /** Forget viewers who have not opened Home for a while. */
  prune(): Promise<number> {
    return this.deps.store.homeViewers.prune(this.deps.clock.now() - HOME_VIEWER_WINDOW_MS);
  }

  stop(): void {
    this.refresher.stop();
  }

  private async publishTo(userId: string): Promise<void> {
    const [snapshot, viewer] = await Promise.all([this.currentSnapshot(), this.deps.caller(userId)]);
    const notice = this.notices.get(userId);
    const fresh = notice && this.deps.clock.now() - notice.at < HOME_NOTICE_MS ? notice.text : undefined;
    if (notice && !fresh) this.notices.delete(userId);
    await this.deps.home.publish(userId, buildHomeView(snapshot, viewer, fresh));
  }

  private async currentSnapshot(): Promise<HomeSnapshot> {
    const now = this.deps.clock.now();
    if (this.snapshot && now - this.snapshot.at < HOME_SNAPSHOT_MAX_AGE_MS) return this.snapshot;
    const generation = this.generation;
    let heroku = this.heroku;
    if (!heroku || now - heroku.at >= HOME_HEROKU_MAX_AGE_MS) {
      const herokuGeneration = this.herokuGeneration;
      heroku = { parts: await readHerokuParts({ ...this.deps, sources: this.sources }), at: now };
      // Kept only if no change landed during the reads; otherwise the next publish reads again.
      if (herokuGeneration === this.herokuGeneration) this.heroku = heroku;
    }
    const snapshot = await buildSnapshot({ ...this.deps, sources: this.sources }, heroku.parts, now);
    if (generation === this.generation) this.snapshot = snapshot;
    return snapshot;
  }
}
