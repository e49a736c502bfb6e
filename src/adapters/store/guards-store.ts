import type { GuardBaseline, GuardVerdict } from '../../core/guard/guard-types.ts';
import {
  GUARD_STATES,
  type GuardKind,
  type GuardActionName,
  type GuardRecord,
  type GuardState,
  type GuardStore,
} from '../../ports/stores/guards.ts';
import type { Db } from './db.ts';
import { col, type Row, toJson } from './rows.ts';

const COLUMNS =
  'id, env, kind, change_key, label, action, state, started_at, ends_at, baseline, thread, release_version, verdict, note, last_look_at, ended_at, ended_by, version';

/** Guards of production changes (migration 090) on the shared SQL surface. */
export function createGuardStore(db: Db): GuardStore {
  return {
    async create(g) {
      const r = await db.run(
        `INSERT INTO guards (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1) ON CONFLICT (change_key) DO NOTHING`,
        [
          g.id,
          g.env,
          g.kind,
          g.changeKey,
          g.label,
          g.action,
          g.state,
          g.startedAt,
          g.endsAt,
          toJson(g.baseline),
          g.thread ? toJson(g.thread) : null,
          g.releaseVersion,
          g.verdict ? toJson(g.verdict) : null,
          g.note,
          g.lastLookAt,
          g.endedAt,
          g.endedBy,
        ],
      );
      return r.changes === 1;
    },
    async get(id) {
      const [row] = await db.query(`SELECT ${COLUMNS} FROM guards WHERE id = ?`, [id]);
      return row ? toRecord(row) : null;
    },
    async active(env) {
      const rows = await db.query(
        `SELECT ${COLUMNS} FROM guards WHERE state IN ('watching', 'tripped')${env ? ' AND env = ?' : ''} ORDER BY started_at, id`,
        env ? [env] : [],
      );
      return rows.map(toRecord);
    },
    async recent(env, since, limit) {
      const rows = await db.query(
        `SELECT ${COLUMNS} FROM guards WHERE env = ? AND started_at >= ? ORDER BY started_at DESC, id DESC LIMIT ?`,
        [env, since, limit],
      );
      return rows.map(toRecord);
    },
    async update(id, version, patch) {
      const sets: string[] = ['version = ?'];
      const params: unknown[] = [version + 1];
      const put = (column: string, value: unknown) => {
        sets.push(`${column} = ?`);
        params.push(value);
      };
      if (patch.state !== undefined) put('state', patch.state);
      if (patch.verdict !== undefined) put('verdict', patch.verdict ? toJson(patch.verdict) : null);
      if (patch.note !== undefined) put('note', patch.note);
      if (patch.lastLookAt !== undefined) put('last_look_at', patch.lastLookAt);
      if (patch.endedAt !== undefined) put('ended_at', patch.endedAt);
      if (patch.endedBy !== undefined) put('ended_by', patch.endedBy);
      const r = await db.run(`UPDATE guards SET ${sets.join(', ')} WHERE id = ? AND version = ?`, [
        ...params,
        id,
        version,
      ]);
      return r.changes === 1;
    },
  };
}

function isState(v: string): v is GuardState {
  return (GUARD_STATES as readonly string[]).includes(v);
}

function toRecord(r: Row): GuardRecord {
  const state = col.str(r, 'state');
  const thread = col.strOrNull(r, 'thread');
  const verdict = col.strOrNull(r, 'verdict');
  return {
    id: col.str(r, 'id'),
    env: col.str(r, 'env'),
    kind: col.str(r, 'kind') as GuardKind,
    changeKey: col.str(r, 'change_key'),
    label: col.str(r, 'label'),
    action: col.str(r, 'action') as GuardActionName,
    state: isState(state) ? state : 'stopped',
    startedAt: col.num(r, 'started_at'),
    endsAt: col.num(r, 'ends_at'),
    baseline: col.json(r, 'baseline') as GuardBaseline,
    thread: thread ? (JSON.parse(thread) as { channel: string; ts: string }) : null,
    releaseVersion: col.numOrNull(r, 'release_version'),
    verdict: verdict ? (JSON.parse(verdict) as GuardVerdict) : null,
    note: col.strOrNull(r, 'note'),
    lastLookAt: col.numOrNull(r, 'last_look_at'),
    endedAt: col.numOrNull(r, 'ended_at'),
    endedBy: col.strOrNull(r, 'ended_by'),
    version: col.num(r, 'version'),
  };
}
