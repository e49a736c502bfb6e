import { pino, type DestinationStream } from 'pino';
import type { Config } from './config.ts';
import type { Logger } from './ports/logger.ts';

/** Paths pino blanks out wherever they appear in a log object (tokens, secrets, auth headers). */
export const REDACT_PATHS = [
  'token',
  '*.token',
  'botToken',
  '*.botToken',
  'appToken',
  '*.appToken',
  'signingSecret',
  '*.signingSecret',
  'apiKey',
  '*.apiKey',
  'secret',
  '*.secret',
  'password',
  '*.password',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'headers["x-slack-signature"]',
  'headers["sentry-hook-signature"]',
  'headers["heroku-webhook-hmac-sha256"]',
  'headers["x-grafana-alerting-signature"]',
  'config.slack',
  'config.heroku.apiKey',
  'config.github.token',
  'config.webhooks',
];

/** Remove the password from a connection URL (postgres://user:secret@host → postgres://user:***@host). */
export function maskUrlPassword(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]+:)[^@]*@/i, '$1***@');
}

/**
 * Build the process logger: JSON lines, secrets redacted, and every known secret value scrubbed
 * from strings (error messages can echo request URLs or headers).
 */
export function createLogger(
  config: Pick<Config, 'logLevel' | 'slack' | 'heroku' | 'github' | 'database' | 'webhooks'> &
    Partial<Pick<Config, 'charts'>>,
  destination?: DestinationStream,
): Logger {
  const secrets = knownSecrets(config);
  const scrub = (s: string): string => {
    let out = maskUrlPassword(s);
    for (const secret of secrets) out = out.split(secret).join('[REDACTED]');
    return out;
  };
  const logger = pino(
    {
      level: config.logLevel,
      base: { app: 'autorisen-bot' },
      redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
      formatters: {
        log(obj) {
          return scrubDeep(obj, scrub) as Record<string, unknown>;
        },
      },
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((a) => (typeof a === 'string' ? scrub(a) : a));
          return method.apply(this, scrubbed as Parameters<typeof method>);
        },
      },
      serializers: { err: (e: unknown) => serializeError(e, scrub) },
    },
    destination,
  );
  return logger as unknown as Logger;
}

function knownSecrets(
  config: Pick<Config, 'slack' | 'heroku' | 'github' | 'database' | 'webhooks'> & Partial<Pick<Config, 'charts'>>,
): string[] {
  const values = [
    config.slack.botToken,
    config.slack.signingSecret,
    config.slack.appToken,
    config.heroku.apiKey,
    config.github.token,
    ...Object.values(config.webhooks).flat(),
    config.charts?.secret,
  ];
  const pw = config.database.url?.match(/^[a-z][a-z0-9+.-]*:\/\/[^:/@]+:([^@]+)@/i)?.[1];
  if (pw) values.push(pw);
  // Very short values would scrub ordinary words; real secrets are long.
  return values.filter((v): v is string => typeof v === 'string' && v.length >= 6);
}

function scrubDeep(value: unknown, scrub: (s: string) => string, depth = 0): unknown {
  if (depth > 6) return value;
  if (typeof value === 'string') return scrub(value);
  if (Array.isArray(value)) return value.map((v) => scrubDeep(v, scrub, depth + 1));
  if (value && typeof value === 'object' && !(value instanceof Error)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = scrubDeep(v, scrub, depth + 1);
    return out;
  }
  return value;
}

function serializeError(e: unknown, scrub: (s: string) => string): unknown {
  if (!(e instanceof Error)) return e;
  const out: Record<string, unknown> = {
    type: e.name,
    message: scrub(e.message),
    stack: e.stack ? scrub(e.stack) : undefined,
  };
  const code = (e as { code?: unknown }).code;
  if (code !== undefined) out.code = code;
  if (e.cause !== undefined) out.cause = serializeError(e.cause, scrub);
  return out;
}
