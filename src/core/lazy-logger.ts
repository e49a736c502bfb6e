import type { Logger } from '../ports/logger.ts';

/**
 * A child logger made only when something is logged. Every slash command and button builds a
 * request-scoped child (correlation id, user), yet almost none of them logs anything; pino's child()
 * serialises and redacts its bindings at once, about 10 µs a time on the ack path.
 */
export function lazyChild(parent: Logger, bindings: Record<string, unknown>): Logger {
  let real: Logger | null = null;
  const get = (): Logger => {
    real ??= parent.child(bindings);
    return real;
  };
  return {
    debug: (...args: Parameters<Logger['debug']>) => get().debug(...args),
    info: (...args: Parameters<Logger['info']>) => get().info(...args),
    warn: (...args: Parameters<Logger['warn']>) => get().warn(...args),
    error: (...args: Parameters<Logger['error']>) => get().error(...args),
    // Bindings merge, so a child of a child is still one pino child when (if ever) it logs.
    child: (more) => (real ? real.child(more) : lazyChild(parent, { ...bindings, ...more })),
  };
}
