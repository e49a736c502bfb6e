import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { ConfigError } from '../../src/errors.ts';

/** Issue 9 §3: the config file cannot silently weaken a safety gate. */
const example = readFileSync(new URL('../../autorisen.config.example.yml', import.meta.url), 'utf8');

function problems(yaml: string, env: Record<string, string> = {}): readonly string[] {
  try {
    loadConfig(env, () => yaml);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

const env = (extra: string) => `
environments:
  - name: production
    heroku_app: capecraft
    github_repo: capecraft/capecraft
    base_url: https://capecraft.herokuapp.com
${extra}`;

describe('config file schema', () => {
  it('refuses the typos of issue 9 that loaded as non-production without approval, with a "did you mean"', () => {
    const p = problems(env('    requires_aproval: true\n    produciton: true\n'));
    expect(p).toEqual([
      'environments[0].requires_aproval: unknown key; did you mean "requires_approval"?',
      'environments[0].produciton: unknown key; did you mean "production"?',
    ]);
  });

  it('refuses unknown keys at every level, and names the section', () => {
    const p = problems(
      `${env('    production: true\n')}rolse:\n  users: {}\napprovals: { ttl_minute: 5 }\nalerts:\n  routes:\n    - { chanel: C0ALERTS01 }\n`,
    );
    expect(p).toContain('rolse: unknown key; did you mean "roles"?');
    expect(p).toContain('approvals.ttl_minute: unknown key; did you mean "ttl_minutes"?');
    expect(p).toContain('alerts.routes[0].chanel: unknown key; did you mean "channel"?');
    expect(p).toContain('alerts.routes[0].channel: required, expected a Slack channel id such as "C0123ABCD"');
  });

  it('production implies approval and a backup unless written out', () => {
    const c = loadConfig({}, () => env('    production: true\n'));
    expect(c.environments[0]).toMatchObject({ production: true, requiresApproval: true, backupBeforeDeploy: true });
    const waived = loadConfig({}, () => env('    production: true\n    requires_approval: false\n'));
    expect(waived.environments[0]).toMatchObject({ requiresApproval: false, backupBeforeDeploy: true });
  });

  it('refuses values YAML makes look like booleans', () => {
    for (const v of ['"true"', 'yes', '1', 'null', '[true]'])
      expect(problems(env(`    requires_approval: ${v}\n`)), v).toEqual([
        'environments[0].requires_approval: expected true or false',
      ]);
  });

  it('checks Slack ids by shape: channels C/G, users U/W, groups S', () => {
    const p = problems(`${env('    deploy_channel: "#deploys"\n')}announce_channel: U0ROLLOUT
roles:
  users: { C0NOTAUSER: admin, W0GRIDUSER: operator }
  groups: { ops: operator }
alerts: { default_channel: G0PRIVATE1 }
`);
    expect(p).toEqual([
      'environments[0].deploy_channel: expected a Slack channel id such as "C0123ABCD" (starts with C or G), got "#deploys"',
      'roles.users.C0NOTAUSER: expected a Slack user id such as "U0123ABCD" (starts with U or W), got "C0NOTAUSER"',
      'roles.groups.ops: expected a Slack user-group id such as "S0123ABCD" (starts with S), got "ops"',
      'announce_channel: expected a Slack channel id such as "C0123ABCD" (starts with C or G), got "U0ROLLOUT"',
    ]);
  });

  it('lists every problem of the file and the environment together, in one ConfigError', () => {
    let err: unknown;
    try {
      loadConfig({ PORT: 'x' }, () => env('    produciton: true\n'));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).problems).toEqual([
      'PORT: expected a port number 0-65535, got "x"',
      'environments[0].produciton: unknown key; did you mean "production"?',
    ]);
  });

  it('the shipped example still loads, with the gates it writes out', () => {
    const c = loadConfig({}, () => example);
    expect(c.environments.map((e) => [e.name, e.requiresApproval, e.backupBeforeDeploy])).toEqual([
      ['staging', false, false],
      ['production', true, true],
    ]);
    expect(c.roles.groups).toEqual({ S0ONCALL1: 'operator' });
  });
});
