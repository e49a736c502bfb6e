import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { ConfigError } from '../../src/errors.ts';

const example = readFileSync(new URL('../../autorisen.config.example.yml', import.meta.url), 'utf8');
const files = (text: string | null) => () => text;

describe('loadConfig', () => {
  it('starts in shell mode with no environment at all', () => {
    const c = loadConfig({}, files(null));
    expect(c.mode).toBe('shell');
    expect(c.port).toBe(3000);
    expect(c.heroku.apiUrl).toBe('https://api.heroku.com');
    expect(c.database.sqlitePath).toBe('./data/autorisen.db');
  });

  it('reads the shipped example: two environments, production needs approval', () => {
    const c = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }, files(example));
    expect(c.mode).toBe('http');
    expect(c.environments.map((e) => [e.name, e.herokuApp, e.requiresApproval])).toEqual([
      ['staging', 'autorisen', false],
      ['production', 'capecraft', true],
    ]);
    expect(Object.isFrozen(c.environments[0])).toBe(true);
  });

  it('lists every problem at once, naming the variable or key', () => {
    const bad =
      'environments:\n  - name: prod\n    heroku_app: capecraft\n    github_repo: nope\nroles:\n  users:\n    U1: superuser\n';
    let err: unknown;
    try {
      loadConfig(
        { PORT: 'abc', SLACK_BOT_TOKEN: 'xoxb-1', HEROKU_API_URL: 'ftp://x', DATABASE_URL: 'mysql://x' },
        files(bad),
      );
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const problems = (err as ConfigError).problems.join('\n');
    for (const needle of [
      'PORT',
      'SLACK_SIGNING_SECRET',
      'HEROKU_API_URL',
      'DATABASE_URL',
      'environments[0].github_repo',
      'environments[0].base_url',
      'roles.users.U1',
    ]) {
      expect(problems).toContain(needle);
    }
  });

  it('names AUTORISEN_CONFIG when the file it points at is missing', () => {
    expect(() => loadConfig({ AUTORISEN_CONFIG: '/nope.yml' }, files(null))).toThrow(/AUTORISEN_CONFIG/);
  });
});

describe('PostgreSQL TLS', () => {
  it('uses TLS without verification for a remote server (Heroku Postgres) and plain TCP locally', async () => {
    const { sslOption } = await import('../../src/adapters/store/postgres.ts');
    expect(sslOption('postgres://u:p@ec2-1-2-3-4.compute-1.amazonaws.com:5432/d1')).toEqual({
      rejectUnauthorized: false,
    });
    expect(sslOption('postgres://postgres@127.0.0.1:5432/test')).toBe(false);
    expect(sslOption('postgres://u@localhost/x', 'verify')).toEqual({ rejectUnauthorized: true });
    expect(sslOption('postgres://u@db.example/x', 'off')).toBe(false);
  });

  it('names DATABASE_SSL when it is not one of the modes', () => {
    expect(() => loadConfig({ DATABASE_SSL: 'maybe' }, () => null)).toThrow(
      /DATABASE_SSL: expected auto, off, no-verify or verify/,
    );
  });
});
