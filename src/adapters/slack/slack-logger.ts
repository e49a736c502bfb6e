// Bolt re-exports @slack/logger's types; importing it directly would rely on npm hoisting.
import { LogLevel, type Logger as SlackLogger } from '@slack/bolt';
import type { Logger } from '../../ports/logger.ts';

/**
 * Bridges Slack SDK logging (Bolt, web-api) into our logger, so SDK warnings land in the same
 * JSON lines with the same redaction instead of on the console.
 */
export function toSlackLogger(log: Logger, name = 'slack'): SlackLogger {
  let level: LogLevel = LogLevel.INFO;
  const child = log.child({ component: name });
  const join = (msg: unknown[]): string =>
    msg.map((m) => (typeof m === 'string' ? m : m instanceof Error ? m.message : JSON.stringify(m))).join(' ');
  return {
    debug: (...msg: unknown[]) => child.debug(join(msg)),
    info: (...msg: unknown[]) => child.info(join(msg)),
    warn: (...msg: unknown[]) => child.warn(join(msg)),
    error: (...msg: unknown[]) => child.error(join(msg)),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
