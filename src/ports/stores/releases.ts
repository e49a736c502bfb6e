/** Where a release record came from: made by the bot (flag, deploy, rollback) or observed. */
export const RELEASE_SOURCES = ['flag', 'deploy', 'rollback', 'seen', 'webhook'] as const;
export type ReleaseSource = (typeof RELEASE_SOURCES)[number];

/**
 * One Heroku release the bot made or saw, with the rollout flag's value in it. Heroku's release list
 * carries no config vars, and a rollback silently restores the old release's vars (issue 3 §7), so
 * this history is how `flag status` tells what changed the flag and who did it.
 */
export interface ReleaseRecord {
  env: string;
  app: string;
  version: number;
  releaseId: string;
  /** FEATURE_AUTORISEN's raw value in this release; null when unset. Meaningless when !flagKnown. */
  flagValue: string | null;
  /** False when the value in this release is not known (e.g. a webhook without config vars). */
  flagKnown: boolean;
  source: ReleaseSource;
  /** Slack user id when the bot made it, else the Heroku user's email, else null. */
  actor: string | null;
  description: string;
  /** Milliseconds since the epoch. */
  at: number;
}

export interface ReleaseStore {
  /**
   * Insert, or merge into the existing row for (app, version): a known flag value fills an unknown
   * one, and a bot source (flag/deploy/rollback) replaces an observed one (seen/webhook), never the
   * other way round, so replays and late webhooks lose nothing.
   */
  record(r: ReleaseRecord): Promise<void>;
  get(app: string, version: number): Promise<ReleaseRecord | null>;
  /** Newest version first, at most `limit`. */
  list(app: string, limit: number): Promise<ReleaseRecord[]>;
}
