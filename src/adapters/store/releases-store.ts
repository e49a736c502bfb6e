import {
  RELEASE_SOURCES,
  type ReleaseRecord,
  type ReleaseSource,
  type ReleaseStore,
} from '../../ports/stores/releases.ts';
import type { Db } from './db.ts';
import { col, type Row } from './rows.ts';

const COLUMNS = 'app, version, env, release_id, flag_value, flag_known, source, actor, description, at';

/** Sources that only observed a release; a bot source for the same release replaces them. */
const OBSERVED = "('seen', 'webhook')";

/** The flag history (migration 010) on the shared SQL surface. */
export function createReleaseStore(db: Db): ReleaseStore {
  return {
    async record(r) {
      // One statement, so two instances recording the same release merge instead of racing.
      await db.run(
        `INSERT INTO release_history (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (app, version) DO UPDATE SET
           flag_value = CASE WHEN excluded.flag_known = 1 THEN excluded.flag_value ELSE release_history.flag_value END,
           flag_known = CASE WHEN excluded.flag_known = 1 THEN 1 ELSE release_history.flag_known END,
           source = CASE WHEN release_history.source IN ${OBSERVED} AND excluded.source NOT IN ${OBSERVED} THEN excluded.source ELSE release_history.source END,
           actor = CASE WHEN release_history.source IN ${OBSERVED} AND excluded.source NOT IN ${OBSERVED} THEN excluded.actor
                        ELSE COALESCE(release_history.actor, excluded.actor) END`,
        [
          r.app,
          r.version,
          r.env,
          r.releaseId,
          r.flagKnown ? r.flagValue : null,
          r.flagKnown ? 1 : 0,
          r.source,
          r.actor,
          r.description,
          r.at,
        ],
      );
    },

    async get(app, version) {
      const rows = await db.query(`SELECT ${COLUMNS} FROM release_history WHERE app = ? AND version = ?`, [
        app,
        version,
      ]);
      return rows[0] ? toRecord(rows[0]) : null;
    },

    async list(app, limit) {
      const rows = await db.query(
        `SELECT ${COLUMNS} FROM release_history WHERE app = ? ORDER BY version DESC LIMIT ?`,
        [app, limit],
      );
      return rows.map(toRecord);
    },
  };
}

function toRecord(r: Row): ReleaseRecord {
  const source = col.str(r, 'source');
  return {
    app: col.str(r, 'app'),
    version: col.num(r, 'version'),
    env: col.str(r, 'env'),
    releaseId: col.str(r, 'release_id'),
    flagValue: col.strOrNull(r, 'flag_value'),
    flagKnown: col.num(r, 'flag_known') === 1,
    // An unknown source (written by newer code) reads as merely observed.
    source: (RELEASE_SOURCES as readonly string[]).includes(source) ? (source as ReleaseSource) : 'seen',
    actor: col.strOrNull(r, 'actor'),
    description: col.str(r, 'description'),
    at: col.num(r, 'at'),
  };
}
