import { describe, expect, it } from 'vitest';
import {
  addedMigrations,
  authorsOf,
  deployFingerprint,
  destructiveReasons,
  renderCommits,
  shaFromReleaseDescription,
  transition,
  versionFromRollbackDescription,
  type DeployMachineInput,
} from '../../src/core/deploys.ts';

const T = 1_000;

describe('deploy state machine', () => {
  it('runs a production deploy: backup, build, verify, success, lock released', () => {
    let rec: DeployMachineInput = { state: 'queued', kind: 'deploy', backup: true };
    const t1 = transition(rec, { type: 'start' }, T)!;
    expect(t1.state).toBe('backing_up');
    expect(t1.effects).toEqual([{ type: 'capture_backup' }]);
    rec = { ...rec, state: t1.state };
    const t2 = transition(rec, { type: 'backup_done', backupName: 'b005' }, T)!;
    expect(t2).toMatchObject({ state: 'building', effects: [{ type: 'create_build' }], patch: { backupName: 'b005' } });
    rec = { ...rec, state: t2.state };
    const t3 = transition(rec, { type: 'build_done', releaseVersion: 42 }, T)!;
    expect(t3).toMatchObject({
      state: 'verifying',
      effects: [{ type: 'verify_health' }],
      patch: { releaseVersion: 42 },
    });
    rec = { ...rec, state: t3.state };
    const t4 = transition(rec, { type: 'verified' }, T + 5)!;
    expect(t4.state).toBe('succeeded');
    expect(t4.effects).toEqual([
      { type: 'finish', ok: true, offerRollback: false, keepLocked: false, githubState: 'success' },
    ]);
    expect(t4.patch.finishedAt).toBe(T + 5);
  });

  it('skips the backup when none is configured', () => {
    expect(transition({ state: 'queued', kind: 'deploy', backup: false }, { type: 'start' }, T)!.state).toBe(
      'building',
    );
  });

  it('a failed build offers a rollback; a failed backup does not (nothing changed)', () => {
    const build = transition(
      { state: 'building', kind: 'deploy', backup: true },
      { type: 'failed', step: 'build', reason: 'exit 1' },
      T,
    )!;
    expect(build.state).toBe('failed');
    expect(build.effects).toEqual([
      { type: 'finish', ok: false, offerRollback: true, keepLocked: false, githubState: 'failure' },
    ]);
    expect(build.patch.error).toBe('exit 1');
    const backup = transition(
      { state: 'backing_up', kind: 'deploy', backup: true },
      { type: 'failed', step: 'backup', reason: 'x' },
      T,
    )!;
    expect(backup.effects).toEqual([
      { type: 'finish', ok: false, offerRollback: false, keepLocked: false, githubState: 'failure' },
    ]);
  });

  it('ends the GitHub deployment as error when an API on the way failed, as failure when the work did', () => {
    const api = transition(
      { state: 'building', kind: 'deploy', backup: false },
      { type: 'failed', step: 'build', reason: 'Heroku 503', external: true },
      T,
    )!;
    expect(api.effects[0]).toMatchObject({ ok: false, githubState: 'error', offerRollback: true });
    const own = transition(
      { state: 'verifying', kind: 'deploy', backup: false },
      { type: 'failed', step: 'verify', reason: 'HTTP 503' },
      T,
    )!;
    expect(own.effects[0]).toMatchObject({ githubState: 'failure' });
  });

  it('a rollback keeps the environment locked once Heroku has rolled back, whatever the health check says', () => {
    const r1 = transition({ state: 'queued', kind: 'rollback', backup: false }, { type: 'start' }, T)!;
    expect(r1).toMatchObject({ state: 'rolling_back', effects: [{ type: 'rollback_release' }] });
    const r2 = transition(
      { state: 'rolling_back', kind: 'rollback', backup: false },
      { type: 'rollback_done', releaseVersion: 43 },
      T,
    )!;
    expect(r2.state).toBe('verifying');
    expect(
      transition({ state: 'verifying', kind: 'rollback', backup: false }, { type: 'verified' }, T)!.effects[0],
    ).toMatchObject({ keepLocked: true });
    expect(
      transition(
        { state: 'verifying', kind: 'rollback', backup: false },
        { type: 'failed', step: 'verify', reason: 'x' },
        T,
      )!.effects[0],
    ).toMatchObject({ keepLocked: true, offerRollback: false });
    // Heroku refused the rollback: nothing changed, so the lock goes.
    expect(
      transition(
        { state: 'rolling_back', kind: 'rollback', backup: false },
        { type: 'failed', step: 'rollback', reason: 'x' },
        T,
      )!.effects[0],
    ).toMatchObject({ keepLocked: false });
  });

  it('ignores duplicate, late and out-of-order events', () => {
    expect(transition({ state: 'building', kind: 'deploy', backup: false }, { type: 'start' }, T)).toBeNull();
    expect(transition({ state: 'queued', kind: 'deploy', backup: false }, { type: 'verified' }, T)).toBeNull();
    expect(
      transition(
        { state: 'succeeded', kind: 'deploy', backup: false },
        { type: 'failed', step: 'verify', reason: 'late' },
        T,
      ),
    ).toBeNull();
    expect(
      transition({ state: 'failed', kind: 'deploy', backup: false }, { type: 'build_done', releaseVersion: 1 }, T),
    ).toBeNull();
  });
});

describe('deploy plan helpers', () => {
  it('finds Alembic migrations added anywhere under a versions/ directory', () => {
    const files = [
      { filename: 'backend/alembic/versions/0007_add_widgets.py', status: 'added' },
      { filename: 'migrations/versions/0008_x.py', status: 'added' },
      { filename: 'migrations/versions/__init__.py', status: 'added' },
      { filename: 'migrations/versions/0006_old.py', status: 'modified' },
      { filename: 'src/versions.py', status: 'added' },
      { filename: 'docs/versions/readme.md', status: 'added' },
    ];
    expect(addedMigrations(files)).toEqual([
      'backend/alembic/versions/0007_add_widgets.py',
      'migrations/versions/0008_x.py',
    ]);
  });

  it('flags drops and alters in upgrade(), not in downgrade()', () => {
    const additive = `revision = "7"\n\ndef upgrade():\n    op.create_table("widgets", sa.Column("id", sa.Integer))\n    op.add_column("users", sa.Column("nick", sa.Text))\n\n\ndef downgrade():\n    op.drop_column("users", "nick")\n    op.drop_table("widgets")\n`;
    expect(destructiveReasons('versions/0007_add_widgets.py', additive)).toEqual([]);
    const drop = `def upgrade():\n    op.drop_column("users", "legacy")\n    op.alter_column("users", "email", nullable=False)\n\ndef downgrade():\n    pass\n`;
    expect(destructiveReasons('versions/0008.py', drop)).toEqual([
      'drops a column (op.drop_column)',
      'alters a column (op.alter_column)',
    ]);
    const raw = `def upgrade():\n    op.execute("ALTER TABLE users DROP COLUMN legacy")\n`;
    expect(destructiveReasons('versions/0009.py', raw)).toContain('runs raw SQL ALTER TABLE … DROP/RENAME');
    const type = `def upgrade():\n    op.execute("ALTER TABLE users ALTER COLUMN age TYPE bigint")\n`;
    expect(destructiveReasons('versions/0010.py', type)).toEqual(['changes a column type (ALTER … TYPE)']);
    const commented = `def upgrade():\n    # op.drop_table("old") -- later\n    op.create_index("ix", "t", ["c"])\n`;
    expect(destructiveReasons('versions/0011.py', commented)).toEqual([]);
  });

  it('flags a migration whose name says drop even when the body is opaque', () => {
    expect(destructiveReasons('versions/0012_drop_legacy.py', 'def upgrade():\n    helpers.run()\n')).toEqual([
      'its name suggests it drops something',
    ]);
    expect(
      destructiveReasons('versions/0013_dropbox_tokens.py', 'def upgrade():\n    op.create_table("dropbox")\n'),
    ).toEqual([]);
  });

  it('reads the running sha and rollback target from release descriptions', () => {
    expect(shaFromReleaseDescription('Deploy 69eec518')).toBe('69eec518');
    expect(shaFromReleaseDescription('Set FEATURE_AUTORISEN config vars')).toBeNull();
    expect(versionFromRollbackDescription('Rollback to v41')).toBe(41);
  });

  it('renders commits oldest to newest, capped, with distinct authors', () => {
    const commits = Array.from({ length: 12 }, (_, i) => ({
      sha: `${i}`.padStart(40, 'a'),
      message: `Change ${i}\n\nbody`,
      author: i % 2 ? 'bob' : 'alice',
    }));
    const lines = renderCommits(commits, 10);
    expect(lines[0]).toBe('… and 2 earlier');
    expect(lines.at(-1)).toBe('`aaaaaaa` Change 11 (bob)');
    expect(lines).toHaveLength(11);
    expect(authorsOf(commits)).toEqual(['alice', 'bob']);
  });

  it('fingerprints on the current release and the target', () => {
    expect(deployFingerprint(41, 'abc')).not.toBe(deployFingerprint(42, 'abc'));
    expect(deployFingerprint(41, 'abc')).not.toBe(deployFingerprint(41, 'abd'));
  });
});
