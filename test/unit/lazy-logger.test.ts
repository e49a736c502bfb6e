import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { lazyChild } from '../../src/lazy-logger.ts';
import { createLogger } from '../../src/log.ts';
import { captureLines } from '../support/captured-lines.ts';
import type { Logger } from '../../src/ports/logger.ts';

describe('a lazy child logger', () => {
  const config = loadConfig(
    { SLACK_BOT_TOKEN: 'xoxb-secret-token-123', SLACK_SIGNING_SECRET: 'signing-secret-456' },
    () => null,
  );

  it('writes the same lines as a pino child, bindings and redaction included', () => {
    const { lines, stream } = captureLines();
    const log = lazyChild(createLogger({ ...config, logLevel: 'debug' }, stream as never), {
      correlationId: 'c1',
      userId: 'U1',
    });
    log.child({ command: 'flag status' }).warn({ token: 'xoxb-secret-token-123' }, 'slow');
    log.info('plain message');
    const [first, second] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(first).toMatchObject({ correlationId: 'c1', userId: 'U1', command: 'flag status', msg: 'slow' });
    expect(JSON.stringify(first)).not.toContain('xoxb-secret-token-123');
    expect(second).toMatchObject({ correlationId: 'c1', userId: 'U1', msg: 'plain message' });
  });

  it('makes no child at all when nothing is logged', () => {
    let children = 0;
    const parent: Logger = {
      debug: () => undefined,
      info: () => undefined,
      warn: () => undefined,
      error: () => undefined,
      child: () => {
        children++;
        return parent;
      },
    };
    lazyChild(parent, { correlationId: 'c2' }).child({ command: 'help' });
    expect(children).toBe(0);
    lazyChild(parent, { correlationId: 'c3' }).info('once');
    expect(children).toBe(1);
  });

  it('makes no child for a line its level leaves out, and one for a line it keeps', () => {
    const { lines, stream } = captureLines();
    const pinoParent = createLogger({ ...config, logLevel: 'info' }, stream as never);
    let children = 0;
    const parent: Logger = {
      ...pinoParent,
      debug: (o, m) => pinoParent.debug(o, m),
      info: (o, m) => pinoParent.info(o, m),
      warn: (o, m) => pinoParent.warn(o, m),
      error: (o, m) => pinoParent.error(o, m),
      isLevelEnabled: (level) => pinoParent.isLevelEnabled!(level),
      child: (b) => {
        children++;
        return pinoParent.child(b);
      },
    };
    const log = lazyChild(parent, { correlationId: 'c4' });
    log.debug('left out');
    expect(children).toBe(0);
    log.warn('kept');
    expect(children).toBe(1);
    expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>)).toEqual([
      expect.objectContaining({ correlationId: 'c4', msg: 'kept' }),
    ]);
  });
});
