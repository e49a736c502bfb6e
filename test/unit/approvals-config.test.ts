import { describe, expect, it } from 'vitest';
import { loadYaml as load, TWO_ENVIRONMENTS as base } from '../support/config-yaml.ts';

/** `approvals.rules` (issue 23 §5): strict, at least one approver, only configured environments. */
describe('approvals config', () => {
  it('has no rules by default (one approver, as before)', () => {
    expect(load(base).config?.approvals).toEqual({ ttlMinutes: 30, rules: {} });
  });

  it('reads counts per kind of change and the approver groups', () => {
    const c = load(
      `${base}approvals: { rules: { production: { deploy: 2, release: 2, flag_on: 1, approver_groups: [S0ONCALL1] } } }\n`,
    ).config;
    expect(c?.approvals.rules).toEqual({
      production: { counts: { deploy: 2, release: 2, flag_on: 1 }, approverGroups: ['S0ONCALL1'] },
    });
  });

  it('names each problem: unknown kind, zero approvers, a fraction, a bad group id, an unknown environment', () => {
    const p = load(
      `${base}approvals: { rules: { production: { deploys: 2, release: 0, flag_on: 1.5, approver_groups: [oncall] }, prod: { deploy: 2 } } }\n`,
    ).problems;
    expect(p).toEqual(
      expect.arrayContaining([
        'approvals.rules.production.deploys: unknown key; did you mean "deploy"?',
        'approvals.rules.production.release: expected at least 1 approver (0 would let a change run without a second person)',
        'approvals.rules.production.flag_on: expected a whole number of approvers, at least 1',
        'approvals.rules.production.approver_groups[0]: expected a Slack user-group id such as "S0123ABCD" (starts with S), got "oncall"',
      ]),
    );
    // The unknown environment is reported once the rule itself is valid.
    expect(load(`${base}approvals: { rules: { prod: { deploy: 2 } } }\n`).problems).toEqual([
      'approvals.rules.prod: no environment named "prod"',
    ]);
  });
});
