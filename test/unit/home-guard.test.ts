import { describe, expect, it } from 'vitest';
import type { HomeEnv, HomeSnapshot } from '../../src/core/home.ts';
import { buildHomeView } from '../../src/services/home/home-view.ts';

/** Issue 21 §6: Home shows the guard watching an environment's latest change. */
const NOW = Date.UTC(2026, 10, 29, 12, 0, 0);

const env = (guard: HomeEnv['guard']): HomeEnv => ({
  name: 'production',
  app: 'capecraft',
  production: true,
  flag: null,
  release: null,
  lock: null,
  workflow: null,
  alerts: [],
  openAlerts: 0,
  health: null,
  error: null,
  guard,
});
const view = (guard: HomeEnv['guard']) =>
  JSON.stringify(
    buildHomeView({ at: NOW, envs: [env(guard)], approvals: [], recent: [] } satisfies HomeSnapshot, {
      userId: 'UVIC0004',
      role: 'viewer',
    }),
  );

describe('Home and the guard', () => {
  it('shows an active guard with its time left and action, and its note', () => {
    const text = view({
      label: 'FEATURE_AUTORISEN went on (v42)',
      endsAt: NOW + 24 * 60_000,
      action: 'flag_off',
      note: 'blind: no drain lines for 5 min',
    });
    expect(text).toContain(
      ':shield: Guarding FEATURE_AUTORISEN went on (v42): 24 min left; on a regression: flag off (blind: no drain lines for 5 min)',
    );
  });

  it('says nothing about guards when none is active', () => {
    expect(view(null)).not.toContain('Guarding');
  });
});
