/** Every failure the bot reports carries one of these codes; the final handler maps them to user text. */
export const ERROR_CODES = [
  'usage',
  'unknown_command',
  'forbidden',
  'config_invalid',
  'not_found',
  'conflict',
  'locked',
  'approval_expired',
  'approval_self',
  'approval_stale',
  'heroku_unauthorized',
  'heroku_forbidden',
  'heroku_not_found',
  'heroku_invalid',
  'heroku_rate_limited',
  'heroku_unavailable',
  'heroku_timeout',
  'heroku_build_failed',
  'heroku_backup_failed',
  'github_unauthorized',
  'github_not_found',
  'github_rate_limited',
  'github_unavailable',
  'spec_invalid',
  'spec_unreachable',
  'spec_too_large',
  'spec_timeout',
  'slack_failed',
  'store_failed',
  'health_check_failed',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * An error the user can act on: `userMessage` says what happened and how to fix it,
 * `cause` keeps the vendor error for the logs (never shown to users).
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly userMessage: string;
  /** Seconds after which a retry may succeed (rate limits). */
  readonly retryAfterSec?: number;
  /**
   * The environment the failure is about, when it is not simply the command's own: a `locked`
   * refusal names the environment whose lock is held (a release takes staging's and production's),
   * so "Queue me" waits for that one.
   */
  readonly env?: string;

  constructor(
    code: ErrorCode,
    userMessage: string,
    options: { cause?: unknown; retryAfterSec?: number; env?: string } = {},
  ) {
    super(`${code}: ${userMessage}`, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.userMessage = userMessage;
    this.retryAfterSec = options.retryAfterSec;
    this.env = options.env;
  }
}

/** Narrow anything thrown into an AppError; unknown errors become `internal` with a generic message. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  return new AppError('internal', 'Something went wrong inside the bot; the error is in its logs.', { cause: err });
}

/** Raised by loadConfig with every problem found, one per line. */
export class ConfigError extends Error {
  readonly problems: readonly string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/**
 * Codes that answer a person's request as designed (a typo, an unknown branch, a lock, a missing
 * right, an expired approval): the bot did nothing wrong, so there is no stack worth logging.
 */
const REFUSALS: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'usage',
  'unknown_command',
  'forbidden',
  'not_found',
  'conflict',
  'locked',
  'approval_expired',
  'approval_self',
  'approval_stale',
  'github_not_found',
]);

/** Where a failure goes in the logs (the subset of the Logger port it needs). */
type FailureLog = Record<'info' | 'warn' | 'error', (obj: object, msg?: string) => void>;

/**
 * Log a failed request by what it is: a refusal at info with its code and reason but no error
 * object (no stack on the terminal for a typo); vendor trouble at warn and the bot's own faults
 * at error, both with the error and its stack. Returns the AppError for the reply.
 */
export function logFailure(log: FailureLog, err: unknown, msg: string, fields: Record<string, unknown> = {}): AppError {
  const e = toAppError(err);
  if (REFUSALS.has(e.code)) log.info({ ...fields, code: e.code, reason: e.userMessage }, msg);
  else log[e.code === 'internal' ? 'error' : 'warn']({ ...fields, err, code: e.code }, msg);
  return e;
}
