/**
 * Heroku in domain words. The adapter (adapters/heroku) maps vendor errors to AppError codes
 * heroku_unauthorized / heroku_forbidden / heroku_not_found / heroku_invalid / heroku_rate_limited /
 * heroku_unavailable / heroku_timeout, keeping the vendor error as `cause`.
 */
export interface HerokuRelease {
  id: string;
  version: number;
  description: string;
  status: 'failed' | 'pending' | 'succeeded' | 'expired' | string;
  current: boolean;
  createdAt: string;
  userEmail: string | null;
  slugId: string | null;
}

/** A slug (Platform API `slug`): what a build made; promotions and rollbacks reuse it. */
export interface HerokuSlug {
  id: string;
  /** The commit it was built from (the build's source_blob.version); null when Heroku was not told. */
  commit: string | null;
}

export interface HerokuBuild {
  id: string;
  status: 'pending' | 'succeeded' | 'failed' | string;
  outputStreamUrl: string | null;
  release: { id: string; version: number } | null;
  sourceVersion: string | null;
  createdAt: string;
}

export interface HerokuBackup {
  /** Backup name as the CLI shows it, e.g. "b005". */
  name: string;
  transferId: string;
}

export interface HerokuTransfer {
  finished: boolean;
  succeeded: boolean;
  logs: string[];
}

/** An app's place in a Heroku pipeline (pipeline-coupling). */
export interface HerokuCoupling {
  pipelineId: string;
  appId: string;
  stage: string;
}

/** One target of a pipeline promotion (pipeline-promotion-target). */
export interface HerokuPromotionTarget {
  appId: string;
  status: 'pending' | 'succeeded' | 'failed' | string;
  releaseId: string | null;
  error: string | null;
}

/** A one-off dyno (Platform API `dyno`): `name` is what its log lines carry, e.g. "run.1234". */
export interface HerokuDyno {
  id: string;
  name: string;
  state: string;
}

/** An open log session: its lines as they arrive (plain text, one log line each); close() ends it. */
export interface HerokuLogSession {
  lines: AsyncIterable<string>;
  close(): void;
}

/** A finished or running backup as `heroku pg:backups` lists it. */
export interface HerokuBackupInfo {
  /** "b005", "a012" for a scheduled one, as the CLI names them. */
  name: string;
  /** ISO 8601 (the Data API's own "2024-05-28 11:19:37 +0000" converted). */
  createdAt: string | null;
  /** ISO 8601; null while it runs. */
  finishedAt: string | null;
  succeeded: boolean;
}

export interface HerokuPort {
  /** The app's Postgres backups, newest first (Data API GET /client/v11/apps/{app}/transfers). */
  listBackups?(app: string): Promise<HerokuBackupInfo[]>;
  /** Start a detached one-off dyno running `command` (POST /apps/{app}/dynos, attach: false). */
  runDetached?(app: string, input: { command: string; size: string; timeToLiveSeconds: number }): Promise<HerokuDyno>;
  /** Follow one dyno's log (POST /apps/{app}/log-sessions with tail, then a streamed GET of its logplex_url). */
  openLogSession?(app: string, dynoName: string): Promise<HerokuLogSession>;
  /** Stop a dyno (POST /apps/{app}/dynos/{dyno}/actions/stop). */
  stopDyno?(app: string, dyno: string): Promise<void>;
  /** The app's pipeline coupling, or null when the app is in no pipeline (GET /apps/{app}/pipeline-couplings). */
  pipelineCoupling?(app: string): Promise<HerokuCoupling | null>;
  /** Promote the source app's release (its slug) to the targets (POST /pipeline-promotions). */
  promote?(input: {
    pipelineId: string;
    sourceAppId: string;
    sourceReleaseId: string;
    targetAppIds: string[];
  }): Promise<{ id: string; status: string }>;
  /** How each target of a promotion went (GET /pipeline-promotions/{id}/promotion-targets). */
  promotionTargets?(promotionId: string): Promise<HerokuPromotionTarget[]>;
  getConfigVars(app: string): Promise<Record<string, string>>;
  /** PATCH config vars; Heroku creates a release and restarts dynos. Returns the updated map. */
  setConfigVars(app: string, vars: Record<string, string | null>): Promise<Record<string, string>>;
  /** Newest first, at most `max` (uses `Range: version ..; order=desc, max=N`). */
  listReleases(app: string, max: number): Promise<HerokuRelease[]>;
  getRelease(app: string, idOrVersion: string | number): Promise<HerokuRelease>;
  /** A slug the app runs or ran (GET /apps/{app}/slugs/{id}); promoted slugs are readable from the target. */
  getSlug?(app: string, slugId: string): Promise<HerokuSlug>;
  /** Roll back to the given release id (uuid); returns the new release. */
  rollback(app: string, releaseId: string): Promise<HerokuRelease>;
  createBuild(app: string, source: { url: string; version: string; description?: string }): Promise<HerokuBuild>;
  getBuild(app: string, buildId: string): Promise<HerokuBuild>;
  /** The build output text (from its output_stream_url); empty when none. */
  readBuildOutput(outputStreamUrl: string): Promise<string>;
  /** Start a Heroku Postgres backup of the app's DATABASE_URL (Data API, as `pg:backups:capture`). */
  captureBackup(app: string): Promise<HerokuBackup>;
  getTransfer(app: string, transferId: string): Promise<HerokuTransfer>;
}
