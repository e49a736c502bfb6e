import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { APPROVE_ACTION } from '../../src/services/approvals/message.ts';
import { testDatabases } from '../support/test-databases.ts';
import { startFlagHarness, type FlagHarness } from './flag-harness.ts';

describe.each(testDatabases())('flag command on $name', (engine) => {
  let h: FlagHarness;
  beforeEach(async () => {
    h = await startFlagHarness(engine);
  });
  afterEach(async () => h.cleanup());

  const flagOf = (app: string) => h.fake.app(app).configVars.FEATURE_AUTORISEN;
  const patches = (app: string) => h.fake.requestsTo('PATCH', `/apps/${app}/config-vars`);
  const auditRows = () => h.opened.store.audit.latest({ limit: 50 });

  describe('flag status', () => {
    it('shows every environment with its value and current release', async () => {
      const { text } = await h.run('UVIC', 'flag status');
      expect(text).toMatch(/staging\* \(autorisen\): FEATURE_AUTORISEN "false" \(off\) · current release v1/);
      expect(text).toMatch(/production\* \(capecraft\): FEATURE_AUTORISEN "false" \(off\) · current release v1/);
      const rows = await auditRows();
      expect(rows[0]).toMatchObject({ actorId: 'UVIC', command: 'flag status', result: 'ok' });
    });

    it('says who last changed it, and when a rollback flipped it', async () => {
      await h.run('UANA', 'flag on stg --reason "try it"');
      let { text } = await h.run('UVIC', 'flag status staging');
      expect(text).toMatch(/"true" \(on\) · current release v2/);
      expect(text).toMatch(/last changed in v2 .*by <@UANA>: "Set FEATURE_AUTORISEN config vars"/);

      h.fake.rollbackOutside('autorisen', 1, 'ops@example.com');
      ({ text } = await h.run('UVIC', 'flag status staging'));
      expect(text).toMatch(/"false" \(off\) · current release v3/);
      expect(text).toMatch(/last changed in v3 .*by ops@example.com: :warning: by a ROLLBACK \("Rollback to v1"\)/);
    });

    it('reports an unknown environment with the configured names', async () => {
      expect((await h.run('UVIC', 'flag status qa')).text).toMatch(/no environment "qa". Known: staging, production/);
    });
  });

  describe('flag on / off', () => {
    it('turns it on in staging directly, records the release, and announces it', async () => {
      const { replies } = await h.run('UANA', 'flag on staging --reason "try the new routes"');
      expect(flagOf('autorisen')).toBe('true');
      expect(replies[0]!.text).toMatch(
        /<@UANA> turned the rollout flag \*on\* in staging \(autorisen\): FEATURE_AUTORISEN "false" \(off\) → "true", release v2.*Reason: "try the new routes"/,
      );
      expect(replies[0]!.visibility).toBe('in_channel');
      expect(await h.opened.store.releases.get('autorisen', 2)).toMatchObject({
        source: 'flag',
        actor: 'UANA',
        flagValue: 'true',
      });
      expect((await auditRows()).find((r) => r.action === 'execute')).toMatchObject({ result: 'ok', env: 'staging' });
    });

    it('needs a second operator in production; self-approval and viewers are refused', async () => {
      const { text } = await h.run('UANA', 'flag on production --reason "launch"');
      expect(text).toMatch(/Asked the channel for approval/);
      const approval = h.chat.posts.at(-1)!.message;
      expect(approval.text).toMatch(/FEATURE_AUTORISEN: "false" \(off\) → "true"/);
      expect(approval.text).toMatch(/STAGING FIRST: the flag is NOT on in staging/);
      expect(approval.text).toMatch(/restarts every dyno of capecraft/);
      const id = h.pendingApprovalId();
      expect((await h.click('UANA', APPROVE_ACTION, id))[0]!.text).toMatch(/someone else has to approve/);
      expect((await h.click('UVIC', APPROVE_ACTION, id))[0]!.text).toMatch(/you are a viewer/);
      expect(patches('capecraft')).toHaveLength(0);
      await h.click('UBEN', APPROVE_ACTION, id);
      expect(flagOf('capecraft')).toBe('true');
      expect(h.chat.updates.at(-1)!.message.text).toMatch(/done by <@UBEN>/);
      expect((await auditRows()).map((r) => r.action)).toEqual(
        expect.arrayContaining(['approval_requested', 'deny', 'approve', 'execute']),
      );
    });

    it('does not run an approved request when the app changed since (fails safe)', async () => {
      await h.run('UANA', 'flag on production');
      const id = h.pendingApprovalId();
      h.fake.changeConfigVars('capecraft', { OTHER: 'changed' });
      await h.click('UBEN', APPROVE_ACTION, id);
      expect(flagOf('capecraft')).toBe('false');
      expect(h.chat.updates.at(-1)!.message.text).toMatch(/Not run: the plan changed since it was approved/);
    });

    it('off is immediate in production, needs no approval, and is announced', async () => {
      h.fake.changeConfigVars('capecraft', { FEATURE_AUTORISEN: 'true' });
      const { replies } = await h.run('UCY', 'flag off prod --reason "5xx spike"');
      expect(flagOf('capecraft')).toBe('false');
      expect(h.chat.posts.filter((p) => p.message.buttons?.length)).toHaveLength(0);
      expect(replies[0]!.visibility).toBe('in_channel');
      expect(replies[0]!.text).toMatch(/turned the rollout flag \*off\* in production .*release v3.*5xx spike/);
    });

    it('refuses a viewer, with an audit row and nothing changed', async () => {
      const { text } = await h.run('UVIC', 'flag off production');
      expect(text).toMatch(/needs the operator role; you are a viewer/);
      expect(patches('capecraft')).toHaveLength(0);
      expect((await auditRows())[0]).toMatchObject({
        actorId: 'UVIC',
        command: 'flag off',
        action: 'deny',
        result: 'denied',
      });
    });

    it('setting the current value is a no-op that says so', async () => {
      const { text } = await h.run('UANA', 'flag off staging');
      expect(text).toMatch(/already "false" in staging .*nothing to change/);
      expect(patches('autorisen')).toHaveLength(0);
      expect((await auditRows())[0]).toMatchObject({ result: 'noop' });
    });

    it('--dry-run shows the plan and changes nothing', async () => {
      const { text } = await h.run('UANA', 'flag on production --dry-run --reason "check"');
      expect(text).toMatch(/Dry run, nothing changed/);
      expect(text).toMatch(/"false" \(off\) → "true"/);
      expect(patches('capecraft')).toHaveLength(0);
      expect(h.chat.posts).toHaveLength(0);
    });

    it('shows an unexpected value and only overwrites it with --force', async () => {
      h.fake.changeConfigVars('autorisen', { FEATURE_AUTORISEN: 'yes' });
      expect((await h.run('UANA', 'flag on staging')).text).toMatch(
        /is "yes", which is neither "true" nor "false".*--force/,
      );
      expect(flagOf('autorisen')).toBe('yes');
      await h.run('UANA', 'flag on staging --force');
      expect(flagOf('autorisen')).toBe('true');
    });

    it('two people flipping at once: one wins, the other is told who holds the lock', async () => {
      // Ana's PATCH is held in flight (a gate, not a delay: a busy machine cannot let it finish first)
      // while Ben flips too.
      let open!: () => void;
      h.fake.fail({ until: new Promise<void>((r) => (open = r)), method: 'PATCH' });
      const first = h.run('UANA', 'flag on staging');
      for (let i = 0; i < 500 && patches('autorisen').length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      const b = await h.run('UBEN', 'flag on staging');
      open();
      const a = await first;
      expect(patches('autorisen')).toHaveLength(1);
      const texts = [a.text, b.text];
      expect(texts.filter((t) => /turned the rollout flag \*on\*/.test(t))).toHaveLength(1);
      expect(texts.find((t) => !/turned the rollout flag/.test(t))).toMatch(
        /<@U(ANA|BEN)> holds the staging lock \(flag: flag on/,
      );
      expect(h.fake.app('autorisen').releases).toHaveLength(2);
      // The lock is released afterwards: a later flip works.
      expect((await h.run('UCY', 'flag off staging')).text).toMatch(/turned the rollout flag \*off\*/);
    });

    it('a deploy lock holds back "on" but not the kill switch', async () => {
      const lock = {
        holderId: 'UDEV',
        kind: 'deploy',
        reason: 'deploy abc1234',
        acquiredAt: Date.UTC(2026, 10, 28, 8, 59),
        expiresAt: Date.UTC(2026, 10, 28, 10),
      };
      await h.opened.store.locks.acquire({ ...lock, env: 'staging', token: 't1' });
      expect((await h.run('UANA', 'flag on staging')).text).toMatch(
        /<@UDEV> holds the staging lock \(deploy: deploy abc1234/,
      );
      expect(flagOf('autorisen')).toBe('false');
      h.fake.changeConfigVars('capecraft', { FEATURE_AUTORISEN: 'true' });
      await h.opened.store.locks.acquire({ ...lock, env: 'production', token: 't2' });
      const { text } = await h.run('UANA', 'flag off production');
      expect(flagOf('capecraft')).toBe('false');
      expect(text).toMatch(/did not wait for the production lock held by <@UDEV> \(deploy: deploy abc1234/);
      expect((await h.opened.store.locks.get('production', Date.UTC(2026, 10, 28, 9, 1)))?.holderId).toBe('UDEV');
    });
  });

  describe('a locked production', () => {
    it('refuses to ask for an approval that its lock would refuse later, and posts nothing', async () => {
      await h.opened.store.locks.acquire({
        env: 'production',
        holderId: 'UADA',
        kind: 'manual',
        reason: 'launch freeze',
        token: 't3',
        acquiredAt: Date.UTC(2026, 10, 28, 8, 59),
        expiresAt: null,
      });
      const { text } = await h.run('UANA', 'flag on production');
      expect(text).toMatch(/Not asking for approval: production is locked by <@UADA> .*launch freeze/);
      expect(await h.opened.store.approvals.listExpired(Number.MAX_SAFE_INTEGER)).toEqual([]);
      expect(flagOf('capecraft')).toBe('false');
    });
  });

  describe('Heroku errors while flipping', () => {
    const cases = [
      { fault: { status: 401 as const }, code: 'heroku_unauthorized', text: /HEROKU_API_KEY/ },
      { fault: { status: 403 as const }, code: 'heroku_forbidden', text: /refused access on app "autorisen"/ },
      { fault: { status: 404 as const }, code: 'heroku_not_found', text: /environments\[0\]\.heroku_app \(staging\)/ },
      {
        fault: { status: 422 as const, message: 'Config vars are locked by a pipeline.' },
        code: 'heroku_invalid',
        text: /Config vars are locked by a pipeline/,
      },
      {
        fault: { status: 429 as const, retryAfter: 30 },
        code: 'heroku_rate_limited',
        text: /RateLimit-Remaining: \d+.*in 30 s/,
      },
      { fault: { status: 500 as const }, code: 'heroku_unavailable', text: /failed \(500\)/ },
      { fault: { status: 503 as const }, code: 'heroku_unavailable', text: /failed \(503\)/ },
      { fault: { hang: true }, code: 'heroku_timeout', text: /did not answer within/ },
    ];
    for (const c of cases) {
      it(`${c.code} (${c.fault.status ?? 'hang'}): clear message, audit row, nothing changed`, async () => {
        h.fake.fail({ ...c.fault, method: 'PATCH' });
        const { text } = await h.run('UANA', 'flag on staging');
        expect(text).toMatch(c.text);
        expect(text).toMatch(/still "false" \(off\)/);
        expect(flagOf('autorisen')).toBe('false');
        expect(h.fake.app('autorisen').releases).toHaveLength(1);
        expect((await auditRows())[0]).toMatchObject({ result: 'error', detail: expect.stringContaining(c.code) });
        h.fake.clearFaults();
        // No lock or other state left behind: the next attempt goes through.
        expect((await h.run('UANA', 'flag on staging')).text).toMatch(/turned the rollout flag \*on\*/);
      });
    }

    it('status names the failing environment and still shows the other', async () => {
      h.fake.fail({ status: 403, path: '/apps/capecraft/config-vars' });
      const { text } = await h.run('UVIC', 'flag status');
      expect(text).toMatch(/staging\* \(autorisen\): FEATURE_AUTORISEN "false"/);
      expect(text).toMatch(/\*production\*: :x: Heroku refused access on app "capecraft"/);
    });
  });
});
