import { describe, expect, it } from 'vitest';
import {
  addedMigrations,
  authorsOf,
  deployFingerprint,
  destructiveReasons,
  renderCommits,
  shaFromReleaseDescription,
  versionFromRollbackDescription,
} from '../../src/core/deploys.ts';

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
