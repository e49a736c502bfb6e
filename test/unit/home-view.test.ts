import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HOME_MAX_BLOCKS, renderHome } from '../../src/adapters/slack/blocks/home.ts';
import type { HomeApproval, HomeEnv, HomeSnapshot } from '../../src/core/home.ts';
import type { Role } from '../../src/core/roles.ts';
import { APPROVE_ACTION, REJECT_ACTION } from '../../src/services/approvals/message.ts';
import { RUN_ACTION } from '../../src/services/dispatch/dispatcher.ts';
import { ago, buildHomeView, HOME_MAX_APPROVALS } from '../../src/services/home/home-view.ts';

const NOW = Date.UTC(2026, 10, 29, 12, 0, 0);
const MIN = 60_000;

function env(name: string, over: Partial<HomeEnv> = {}): HomeEnv {
  return {
    name,
    app: name === 'production' ? 'capecraft' : 'autorisen',
    production: name === 'production',
    flag: {
      label: '"true" (on)',
      on: true,
      changedById: 'UANA0001',
      changedByEmail: null,
      changedAt: NOW - 90 * MIN,
      byRollback: false,
    },
    release: { version: 42, description: 'Deploy 69eec51', commit: '69eec51', at: NOW - 3 * MIN, verified: 'yes' },
    lock: { holderId: 'UBEN0002', kind: 'manual', reason: 'db migration', since: NOW - 5 * MIN, expiresAt: null },
    workflow: { kind: 'deploy', step: 'building on Heroku', ref: 'main', requesterId: 'UCY00003', since: NOW - MIN },
    alerts: [{ title: 'HTTP 5xx > 2%', severity: 'critical', count: 7, lastSeen: NOW - 2 * MIN }],
    openAlerts: 4,
    health: { values: [0, 1, 3], label: 'Alert activity `▁▃█`' },
    error: null,
    ...over,
  };
}

function approval(id: string, requesterId = 'UANA0001', approverRole = 'operator'): HomeApproval {
  return {
    id,
    command: 'flag on',
    env: 'production',
    title: 'Turn the rollout flag on in production',
    requesterId,
    approverRole,
    createdAt: NOW - MIN,
    expiresAt: NOW + 29 * MIN,
  };
}

const snapshot = (approvals: HomeApproval[] = [approval('ap-1')]): HomeSnapshot => ({
  at: NOW,
  envs: [env('staging'), env('production')],
  approvals,
  recent: [{ at: NOW - MIN, actorId: 'UANA0001', command: 'flag on', action: 'execute', result: 'ok', env: 'staging' }],
});

/** Every button of a view as "action_id value". */
function buttonsOf(role: Role, userId: string, s = snapshot()): string[] {
  return buildHomeView(s, { userId, role }).blocks.flatMap((b) =>
    b.type === 'actions' ? b.buttons.map((x) => `${x.actionId} ${x.value}`) : [],
  );
}
const textOf = (role: Role, userId: string, s = snapshot()) => JSON.stringify(buildHomeView(s, { userId, role }));

describe('Home view by role', () => {
  it('viewer: every environment state, nothing to press, no admin part', () => {
    expect(buttonsOf('viewer', 'UVIC0004')).toEqual([]);
    const t = textOf('viewer', 'UVIC0004');
    for (const part of ['db migration', '`69eec51`', 'verified', 'building on Heroku', 'HTTP 5xx > 2%', 'and 3 more'])
      expect(t).toContain(part);
    expect(t).toContain('you are a viewer (read-only');
    expect(t).toContain('Approving needs the operator role; you are a viewer');
    expect(t).not.toContain('Recent activity');
  });

  it("keeps a typed lock reason escaped and the bot's mentions live (issue 19)", () => {
    const hostile = env('staging', {
      lock: { holderId: 'UBEN0002', kind: 'manual', reason: '<!here> <b>&', since: NOW - MIN, expiresAt: null },
      flag: {
        label: '"true" (on)',
        on: true,
        changedById: null,
        changedByEmail: '<!channel>@x',
        changedAt: null,
        byRollback: false,
      },
    });
    const t = buildHomeView(
      { ...snapshot(), envs: [hostile, env('production')] },
      { userId: 'UVIC0004', role: 'viewer' },
    )
      .blocks.map((b) => JSON.stringify(b))
      .join('\n');
    expect(t).toContain(':lock: <@UBEN0002> (manual): &lt;!here&gt; &lt;b&gt;&amp;');
    expect(t).toContain('by &lt;!channel&gt;@x');
    expect(t).toContain('(on) by <@UANA0001>');
    expect(t).not.toMatch(/<!here>|<!channel>/);
  });

  it('operator: Approve/Reject with the approval id (same action ids as the message), kill switch per env', () => {
    expect(buttonsOf('operator', 'UBEN0002')).toEqual([
      `${RUN_ACTION} flag off staging --reason "kill switch from the Home tab"`,
      `${RUN_ACTION} flag off production --reason "kill switch from the Home tab"`,
      `${APPROVE_ACTION} ap-1`,
      `${REJECT_ACTION} ap-1`,
    ]);
    expect(textOf('operator', 'UBEN0002')).not.toContain('Recent activity');
  });

  it('the requester gets no Approve on their own request; an admin-only approval needs an admin', () => {
    expect(buttonsOf('operator', 'UANA0001').filter((b) => b.startsWith(APPROVE_ACTION))).toEqual([]);
    const adminOnly = snapshot([approval('ap-2', 'UANA0001', 'admin')]);
    expect(buttonsOf('operator', 'UBEN0002', adminOnly).filter((b) => b.startsWith(APPROVE_ACTION))).toEqual([]);
    expect(buttonsOf('admin', 'UADA0005', adminOnly)).toContain(`${APPROVE_ACTION} ap-2`);
  });

  it('admin: also the recent activity', () => {
    expect(textOf('admin', 'UADA0005')).toContain('Recent activity');
  });

  it('says when Heroku could not be read instead of showing nothing', () => {
    const s = {
      ...snapshot(),
      envs: [env('staging', { flag: null, release: null, error: 'Could not read Heroku: 503' })],
    };
    expect(textOf('viewer', 'UVIC0004', s)).toContain(':x: Could not read Heroku: 503');
  });

  it('ago() reads naturally', () => {
    expect([
      ago(NOW - 5_000, NOW),
      ago(NOW - 3 * MIN, NOW),
      ago(NOW - 5 * 60 * MIN, NOW),
      ago(NOW - 3 * 1440 * MIN, NOW),
    ]).toEqual(['5 s ago', '3 min ago', '5 h ago', '3 d ago']);
  });
});

describe('Home rendered as Block Kit', () => {
  it('renders buttons as actions blocks and gives every block a unique block_id', () => {
    const view = renderHome(buildHomeView(snapshot(), { userId: 'UBEN0002', role: 'operator' }), { iteration: 't' });
    expect(view.type).toBe('home');
    const actions = view.blocks.filter((b) => b.type === 'actions');
    expect(actions.length).toBe(3);
    const ids = view.blocks.map((b) => b.block_id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('property: any number of environments and approvals fits in 100 blocks, and Approve stays with its request', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 80 }), (envs, approvals) => {
        const s: HomeSnapshot = {
          ...snapshot(Array.from({ length: approvals }, (_, i) => approval(`ap-${i}`))),
          envs: Array.from({ length: envs }, (_, i) => env(`env-${i}`)),
        };
        const view = renderHome(buildHomeView(s, { userId: 'UBEN0002', role: 'operator' }));
        expect(view.blocks.length).toBeLessThanOrEqual(HOME_MAX_BLOCKS);
        for (const b of view.blocks)
          if (b.type === 'section' && b.text) expect(b.text.text.length).toBeLessThanOrEqual(3000);
        const approveValues = view.blocks.flatMap((b) =>
          b.type === 'actions'
            ? b.elements.flatMap((e) => (e.type === 'button' && e.action_id === APPROVE_ACTION ? [e.value] : []))
            : [],
        );
        expect(approveValues.length).toBeLessThanOrEqual(HOME_MAX_APPROVALS);
        // The first approvals are offered in order (the oldest waits longest).
        expect(approveValues).toEqual(approveValues.map((_, i) => `ap-${i}`));
      }),
      { numRuns: 80 },
    );
  });
});
