/**
 * One shutdown deadline for the whole process. Heroku sends SIGTERM and SIGKILL 30 s later
 * (devcenter.heroku.com/articles/dynos#graceful-shutdown-with-sigterm). Within that:
 *   0 s ............ stop taking work (the Slack receiver closes)
 *   ≤ grace ........ in-flight Slack work finishes, or is given up (the transport's wait)
 *   ≤ grace + 3 s .. the alert delivery worker stops and the store closes
 *   grace + 3 s .... the watchdog exits(1) if stop() is still running
 * The watchdog used to fire at the same 25 s as the transport's grace and could win the race,
 * exiting before the store was closed; now both derive from one number and the watchdog comes last.
 */

/** How long stop() waits for in-flight work; 25 s leaves room for closing before Heroku's SIGKILL at 30 s. */
export const SHUTDOWN_GRACE_MS = 25_000;

/** What stop() still needs after the grace: stopping the delivery worker and closing the store. */
export const SHUTDOWN_CLOSE_RESERVE_MS = 3_000;

/** The watchdog's deadline for a given grace: always after the grace and the close that follows it. */
export function shutdownWatchdogMs(graceMs: number): number {
  return graceMs + SHUTDOWN_CLOSE_RESERVE_MS;
}

export interface ShutdownDeps {
  /** The app's graceful stop (transport grace, then workers, then the store). */
  stop: () => Promise<void>;
  exit: (code: number) => void;
  log: {
    info(obj: object, msg: string): void;
    error(obj: object, msg: string): void;
  };
  /** The grace the app's transport was given (default SHUTDOWN_GRACE_MS). */
  graceMs?: number;
}

/** The signal handler: runs stop() once, exits 0 when it finished, 1 if the watchdog fired first. */
export function createShutdown(deps: ShutdownDeps): (reason: string) => Promise<void> {
  let stopping = false;
  return async (reason) => {
    if (stopping) return;
    stopping = true;
    deps.log.info({ reason }, 'shutting down');
    const timer = setTimeout(
      () => {
        deps.log.error({}, 'graceful shutdown took too long; exiting');
        deps.exit(1);
      },
      shutdownWatchdogMs(deps.graceMs ?? SHUTDOWN_GRACE_MS),
    ).unref();
    await deps.stop().catch((err: unknown) => deps.log.error({ err }, 'error during shutdown'));
    clearTimeout(timer);
    deps.exit(0);
  };
}
