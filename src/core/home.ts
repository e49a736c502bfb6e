import type { Button, MessageBlock } from './message.ts';

/**
 * The App Home dashboard (issue 13), transport-neutral: what the bot knows about each environment
 * at one moment (a snapshot, the same for everyone) and the view one person sees of it (filtered by
 * their role). services/home builds both; adapters/slack/blocks/home.ts renders the view as Block Kit.
 */

/** What last set the rollout flag, and its value now. */
export interface HomeFlag {
  /** `"true" (on)` etc. (core/flag.ts describeFlag). */
  label: string;
  on: boolean;
  /** The Slack user who changed it (shown as a mention), else Heroku's user email (escaped); null when unknown. */
  changedById: string | null;
  changedByEmail: string | null;
  /** Epoch ms of the release that changed it; null when not in the recent releases. */
  changedAt: number | null;
  /** The change came with a rollback (Heroku restored an older release's config vars). */
  byRollback: boolean;
}

/** The release Heroku runs now. */
export interface HomeRelease {
  version: number;
  description: string;
  /** Commit sha (short) when known from the deploy record or the release description. */
  commit: string | null;
  /** Epoch ms the release was created. */
  at: number | null;
  /** yes: the bot deployed it and its health check passed; no: the check failed; unknown: not deployed by the bot. */
  verified: 'yes' | 'no' | 'unknown';
}

export interface HomeLock {
  holderId: string;
  kind: string;
  reason: string;
  since: number;
  expiresAt: number | null;
}

/** Work in flight on an environment (a deploy or rollback today; a workflow run later). */
export interface HomeWorkflow {
  kind: string;
  /** Human words for the step it is on ("building on Heroku"). */
  step: string;
  ref: string | null;
  requesterId: string;
  since: number;
}

export interface HomeAlert {
  title: string;
  severity: string;
  count: number;
  lastSeen: number;
}

export interface HomeEnv {
  name: string;
  app: string;
  production: boolean;
  /** Null when Heroku could not be read (see `error`). */
  flag: HomeFlag | null;
  release: HomeRelease | null;
  lock: HomeLock | null;
  workflow: HomeWorkflow | null;
  /** Open (firing, unacknowledged) alerts, newest first, at most a few; `openAlerts` counts all. */
  alerts: HomeAlert[];
  openAlerts: number;
  /** Health over the last hour, oldest first (one value per bucket); null when there is no data source. */
  health: { values: number[]; label: string } | null;
  /** Why Heroku's part is missing, in words a user can act on. */
  error: string | null;
  /** The guard watching this environment's latest change (issue 21), when one is. */
  guard?: { label: string; endsAt: number; action: string; note: string | null } | null;
  /** Flag changes scheduled on this environment (issue 23 §1), soonest first. */
  scheduled?: HomeScheduled[];
}

/** A scheduled flag change: what, when, who, and its approval state. */
export interface HomeScheduled {
  id: string;
  target: 'on' | 'off';
  runAt: number;
  requesterId: string;
  /** Who approved it ahead (empty: none was needed). */
  approvedBy: string[];
  /** A flag off since asks whether it should still run, unanswered. */
  asked: boolean;
  running: boolean;
}

export interface HomeApproval {
  id: string;
  command: string;
  env: string | null;
  /** The plan's title ("Turn FEATURE_AUTORISEN on in production"). */
  title: string;
  requesterId: string;
  approverRole: string;
  createdAt: number;
  expiresAt: number;
}

/** A break-glass change whose review is still open. */
export interface HomeBreakGlassReview {
  id: string;
  actorId: string;
  env: string;
  commandText: string;
  reason: string;
  at: number;
}

/** Everything Home shows, read once and shared by every viewer's render. */
export interface HomeSnapshot {
  at: number;
  envs: HomeEnv[];
  approvals: HomeApproval[];
  /** Break-glass changes waiting for someone else's review (issue 23 §2); absent in older snapshots. */
  breakGlassReviews?: HomeBreakGlassReview[];
  /** Admin-only: the last few audit rows ("who did what"). */
  recent: { at: number; actorId: string; command: string; action: string; result: string; env: string | null }[];
}

/** A block of the Home view: the message blocks plus a row of buttons anywhere in it. */
export type HomeBlock = MessageBlock | { type: 'actions'; buttons: Button[] };

/** One person's Home tab. */
export interface HomeView {
  /** Plain summary (logs, the shell). */
  text: string;
  blocks: HomeBlock[];
}
