import type { HomeViewerStore } from '../../ports/stores/home-viewers.ts';
import type { Db } from './db.ts';
import { col } from './rows.ts';

/** Recent Home tab viewers on the shared SQL surface (migration 070). */
export function createHomeViewerStore(db: Db): HomeViewerStore {
  return {
    async touch(userId, at) {
      // An older open arriving late (another instance, a redelivered event) never moves it back.
      await db.run(
        `INSERT INTO home_viewers (user_id, opened_at) VALUES (?, ?)
         ON CONFLICT (user_id) DO UPDATE SET opened_at = excluded.opened_at
         WHERE home_viewers.opened_at < excluded.opened_at`,
        [userId, at],
      );
    },
    async recent(since, limit) {
      const rows = await db.query(
        'SELECT user_id FROM home_viewers WHERE opened_at >= ? ORDER BY opened_at DESC, user_id LIMIT ?',
        [since, limit],
      );
      return rows.map((r) => col.str(r, 'user_id'));
    },
    async prune(before) {
      const { changes } = await db.run('DELETE FROM home_viewers WHERE opened_at < ?', [before]);
      return changes;
    },
  };
}
