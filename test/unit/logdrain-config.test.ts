import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { ConfigError } from '../../src/errors.ts';

const ENVS = `environments:
  - { name: production, heroku_app: capecraft, github_repo: a/b, base_url: "https://x.example" }
  - { name: staging-eu, heroku_app: autorisen, github_repo: a/b, base_url: "https://y.example" }
`;
const load = (yaml: string, env: Record<string, string> = {}) =>
  loadConfig({ ...env, AUTORISEN_CONFIG: 'c.yml' }, () => ENVS + yaml);

describe('logdrain config', () => {
  it('defaults: rules of the rollout plan, drain off without a password, 14 days retention', () => {
    const c = load('');
    expect(c.logdrain.retentionDays).toBe(14);
    expect(c.logdrain.environments.map((e) => [e.env, e.passwords.length])).toEqual([
      ['production', 0],
      ['staging-eu', 0],
    ]);
    expect(c.logdrain.environments[0]!.rules).toMatchObject({
      error_ratio: { max_percent: 2, window_minutes: 5, min_requests: 50 },
      error_codes: { codes: ['H12'], max: 0 },
    });
  });

  it('passwords come from LOGDRAIN_PASSWORD_<ENV> (+ _PREVIOUS), rules can be switched off', () => {
    const c = load('logdrain:\n  environments:\n    staging-eu:\n      rules: { memory_quota: false }\n', {
      LOGDRAIN_PASSWORD_STAGING_EU: 'a-long-enough-secret-1',
      LOGDRAIN_PASSWORD_STAGING_EU_PREVIOUS: 'a-long-enough-secret-0',
    });
    const s = c.logdrain.environments[1]!;
    expect(s.passwords).toEqual(['a-long-enough-secret-1', 'a-long-enough-secret-0']);
    expect(s.rules.memory_quota).toBe(false);
    expect(s.rules.p95_latency).toMatchObject({ max_ms: 1500 });
  });

  it('lists every problem with its path: unknown key, unknown environment, bad token, short password', () => {
    let err: unknown;
    try {
      load(
        'logdrain:\n  retension_days: 3\n  environments:\n    prod:\n      drain_tokens: [nope]\n    production:\n      rules: { error_ratio: { max_percent: 2 } }\n',
        { LOGDRAIN_PASSWORD_PRODUCTION: 'short' },
      );
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const text = (err as Error).message;
    expect(text).toMatch(/logdrain: Unrecognized key: "retension_days"/);
    expect(text).toMatch(/logdrain\.environments\.prod\.drain_tokens\[0\]: expected a drain token/);
    expect(text).toMatch(/logdrain\.environments\.production\.rules\.error_ratio/);
    expect(text).toMatch(/logdrain\.environments\.prod: no environment named "prod"/);
    expect(text).toMatch(/LOGDRAIN_PASSWORD_PRODUCTION: use at least 16 random characters/);
  });
});
