/** A break-glass change (issue 23 §2): what the admin asked for, its confirmation, and its review. */
export interface BreakGlassRecord {
  /** Random and unguessable: it travels in the modal's private_metadata. */
  id: string;
  actorId: string;
  /** Where it was asked: the reply and the outcome go there. */
  channelId: string;
  /** The command's name (`flag on`, `deploy`). */
  command: string;
  /** The command line as typed; parsed again when confirmed, so what runs is what was asked. */
  commandText: string;
  env: string;
  reason: string;
  /**
   * pending (waiting for the typed name) → confirmed (claimed once) → done. A pending row past
   * `expiresAt` confirms nothing; `expired` is what an unknown state reads as.
   */
  state: 'pending' | 'confirmed' | 'done' | 'expired';
  createdAt: number;
  /** A confirmation after this runs nothing. */
  expiresAt: number;
  confirmedAt: number | null;
  /** One line: what happened when it ran. */
  outcome: string | null;
  /** none (not run yet) → open (asks for a review) → acknowledged. */
  reviewState: 'none' | 'open' | 'acknowledged';
  reviewChannel: string | null;
  reviewTs: string | null;
  /** When the next reminder is due while the review is open. */
  remindAt: number | null;
  reminders: number;
  reviewedBy: string | null;
  reviewedAt: number | null;
}

export type NewBreakGlass = Pick<
  BreakGlassRecord,
  'id' | 'actorId' | 'channelId' | 'command' | 'commandText' | 'env' | 'reason' | 'createdAt' | 'expiresAt'
>;

/** Break-glass changes, shared by every instance; every move is a compare-and-set. */
export interface BreakGlassStore {
  create(r: NewBreakGlass): Promise<BreakGlassRecord>;
  get(id: string): Promise<BreakGlassRecord | null>;
  /** pending → confirmed, by its actor, before it expires; null when another submit (or instance) won, or too late. */
  confirm(id: string, actorId: string, now: number): Promise<BreakGlassRecord | null>;
  /** confirmed → done with its outcome; the review opens, its first reminder due at `remindAt` (null: nothing ran, no review). */
  finish(id: string, outcome: string, remindAt: number | null): Promise<void>;
  /** Where the review message is, so reminders thread under it and the acknowledgement rewrites it. */
  setReviewMessage(id: string, channel: string, ts: string): Promise<void>;
  /** open → acknowledged by `userId`, never by the actor; null when not open (acknowledged already) or the actor. */
  acknowledge(id: string, userId: string, now: number): Promise<BreakGlassRecord | null>;
  /** Open reviews whose reminder is due at `now`. */
  dueReviews(now: number): Promise<BreakGlassRecord[]>;
  /** Claim one due reminder (moves `remindAt` to `next`); false when another instance claimed it. */
  claimReminder(id: string, now: number, next: number): Promise<boolean>;
  /** Reviews still open, oldest first (Home). */
  openReviews(): Promise<BreakGlassRecord[]>;
}
