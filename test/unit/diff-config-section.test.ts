import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { ConfigError } from '../../src/errors.ts';

/** `diff:` in the bot's config: the rule book for /autorisen diff and deploy plans, strictly checked. */
const yaml = (diff: string) => `
environments:
  - name: production
    heroku_app: capecraft
    github_repo: capecraft/capecraft
    base_url: https://capecraft.herokuapp.com
diff:
${diff}`;

function load(text: string): { rules?: unknown; problems: readonly string[] } {
  try {
    return { rules: loadConfig({}, () => text).diff.rules, problems: [] };
  } catch (err) {
    if (err instanceof ConfigError) return { problems: err.problems };
    throw err;
  }
}

describe('config diff: profile, deprecation_days, rules', () => {
  it('reads the rule book, with defaults', () => {
    expect(load(yaml('  namespace: /api/\n')).rules).toEqual({
      profile: 'autorisen',
      overrides: {},
      deprecationDays: { beta: 0, stable: 0 },
    });
    const r = load(
      yaml('  profile: oasdiff\n  deprecation_days: { stable: 180 }\n  rules: { security-added: warning }\n'),
    );
    expect(r.rules).toEqual({
      profile: 'oasdiff',
      overrides: { 'security-added': 'warning' },
      deprecationDays: { beta: 0, stable: 180 },
    });
  });

  it('refuses an unknown profile, rule id, level or deprecation key', () => {
    const { problems } = load(
      yaml(
        '  profile: strict\n  deprecation_days: { gamma: 3 }\n  rules: { security-add: warning, security-added: fatal }\n',
      ),
    );
    expect(problems.join('\n')).toMatch(/diff\.profile: expected autorisen or oasdiff/);
    expect(problems.join('\n')).toMatch(/diff\.deprecation_days\.gamma: unknown key/);
    expect(problems.join('\n')).toMatch(/diff\.rules\.security-add: not a rule this engine has/);
    expect(problems.join('\n')).toMatch(/diff\.rules\.security-added: expected breaking, warning or non-breaking/);
  });
});
