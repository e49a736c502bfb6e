import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createLogger, maskUrlPassword } from '../../src/log.ts';
import { captureLines } from '../support/captured-lines.ts';

describe('logger', () => {
  const config = loadConfig(
    {
      SLACK_BOT_TOKEN: 'xoxb-secret-token-123',
      SLACK_SIGNING_SECRET: 'signing-secret-456',
      HEROKU_API_KEY: 'heroku-key-789',
      DATABASE_URL: 'postgres://bot:dbpassword99@db.example:5432/x',
    },
    () => null,
  );

  it('never writes tokens, signing secrets, auth headers or database passwords', () => {
    const { lines, stream } = captureLines();
    const log = createLogger(config, stream as never);
    log.info(
      { headers: { authorization: 'Bearer heroku-key-789' }, url: config.database.url },
      'calling with xoxb-secret-token-123',
    );
    log.error({ err: new Error('signature signing-secret-456 mismatch') }, 'failed');
    log.child({ correlationId: 'c1' }).warn({ config }, 'config dump');
    const out = lines.join('');
    for (const secret of ['xoxb-secret-token-123', 'signing-secret-456', 'heroku-key-789', 'dbpassword99'])
      expect(out).not.toContain(secret);
    expect(out).toContain('"correlationId":"c1"');
  });

  it('masks passwords in connection URLs', () => {
    expect(maskUrlPassword('postgres://u:p%40ss@h/db')).toBe('postgres://u:***@h/db');
  });
});
