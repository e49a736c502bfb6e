import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { ConfigError } from '../../src/errors.ts';

const ENVS = `environments:
  - { name: production, heroku_app: capecraft, github_repo: a/b, base_url: "https://x.example", production: true }
  - { name: staging, heroku_app: autorisen, github_repo: a/b, base_url: "https://y.example" }
`;
const load = (yaml: string) => loadConfig({ AUTORISEN_CONFIG: 'c.yml' }, () => ENVS + yaml);

function problems(yaml: string): string[] {
  try {
    load(yaml);
  } catch (err) {
    if (err instanceof ConfigError) return [...err.problems];
    throw err;
  }
  return [];
}

describe('guard config (issue 21)', () => {
  it('production is guarded by default with the kill switch; staging is not', () => {
    const c = load('');
    const [prod, staging] = c.guard.environments;
    expect(prod).toMatchObject({
      env: 'production',
      enabled: true,
      windowMinutes: 30,
      baselineMinutes: 60,
      lookSeconds: 10,
    });
    expect(prod!.actions).toEqual({ flagOn: 'flag_off', deploy: 'notify', release: 'notify' });
    expect(prod!.thresholds.falseAlarm).toBe(0.01);
    expect(prod!.thresholds.metrics).toHaveLength(7);
    expect(staging!.enabled).toBe(false);
  });

  it('every threshold and the actions can be set per environment', () => {
    const c = load(
      'guard:\n  environments:\n    staging:\n      enabled: true\n      window_minutes: 15\n      false_alarm: 0.001\n      actions: { deploy: rollback }\n      metrics: [error_ratio_autorisen, p95_latency]\n',
    );
    const s = c.guard.environments[1]!;
    expect(s).toMatchObject({ enabled: true, windowMinutes: 15 });
    expect(s.actions.deploy).toBe('rollback');
    expect(s.thresholds).toMatchObject({ falseAlarm: 0.001, metrics: ['error_ratio_autorisen', 'p95_latency'] });
  });

  it('unknown keys, unknown environments, unknown metrics and unsafe values are errors', () => {
    const p = problems(
      'guard:\n  environments:\n    production:\n      window_minute: 10\n      false_alarm: 0.5\n      metrics: [errors]\n    prod-eu: {}\n',
    );
    expect(p.some((x) => x.startsWith('guard.environments.production.window_minute'))).toBe(true);
    expect(p.some((x) => x.startsWith('guard.environments.production.false_alarm'))).toBe(true);
    expect(p.some((x) => x.startsWith('guard.environments.production.metrics'))).toBe(true);
    expect(p).toContain('guard.environments.prod-eu: no environment named "prod-eu"');
  });
});
