import { emptyMinute } from '../../services/drain/aggregate.ts';
import type { DrainMetricsStore, DrainMinute, DynoMemory } from '../../ports/stores/drain-metrics.ts';
import type { Db } from './db.ts';
import { col, type Row } from './rows.ts';

const COLUMNS =
  'env, minute, requests, status_5xx, auth401_inside, auth401_outside, auth403_inside, auth403_outside, codes, latency, memory, load_max, pg_connections, pg_db_bytes, requests_inside, status_5xx_inside';

/** Drain metrics on the shared SQL surface (migration 050). */
export function createDrainMetricsStore(db: Db): DrainMetricsStore {
  return {
    async record(batches, merge) {
      if (batches.length === 0) return [];
      return db.transaction(async (tx) => {
        const results: { duplicate: boolean }[] = [];
        // Sum everything new per (env, minute) first: one read and one write per minute per transaction.
        const pending = new Map<string, DrainMinute>();
        for (const b of batches) {
          const ins = await tx.run(
            'INSERT INTO drain_frames (env, frame_id, received_at) VALUES (?, ?, ?) ON CONFLICT (env, frame_id) DO NOTHING',
            [b.env, b.frameId, b.receivedAt],
          );
          const duplicate = ins.changes === 0;
          results.push({ duplicate });
          if (duplicate) continue;
          for (const m of b.minutes) {
            const key = `${m.env}\u0000${m.minute}`;
            const prev = pending.get(key);
            pending.set(key, prev ? merge(prev, m) : m);
          }
        }
        // In key order, so two instances merging the same minutes never wait on each other in a cycle.
        const keys = [...pending.keys()].sort();
        const lock = tx.dialect === 'postgres' ? ' FOR UPDATE' : ''; // SQLite: BEGIN IMMEDIATE already serialises writers
        for (const key of keys) {
          const m = pending.get(key)!;
          // Create the row first, then lock and read it: a read-merge-write that two instances can
          // never interleave (a plain upsert of a merged copy would let the later one drop the other's counts).
          await tx.run(
            `INSERT INTO drain_minutes (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (env, minute) DO NOTHING`,
            toParams(emptyMinute(m.env, m.minute)),
          );
          const [row] = await tx.query(`SELECT ${COLUMNS} FROM drain_minutes WHERE env = ? AND minute = ?${lock}`, [
            m.env,
            m.minute,
          ]);
          const next = merge(fromRow(row!), m);
          await tx.run(
            `UPDATE drain_minutes SET requests = ?, status_5xx = ?, auth401_inside = ?, auth401_outside = ?, auth403_inside = ?,
               auth403_outside = ?, codes = ?, latency = ?, memory = ?, load_max = ?, pg_connections = ?, pg_db_bytes = ?,
               requests_inside = ?, status_5xx_inside = ?
             WHERE env = ? AND minute = ?`,
            [...toParams(next).slice(2), m.env, m.minute],
          );
        }
        return results;
      });
    },

    async minutes(env, since, until) {
      const rows = await db.query(
        `SELECT ${COLUMNS} FROM drain_minutes WHERE env = ? AND minute >= ? AND minute < ? ORDER BY minute`,
        [env, since, until],
      );
      return rows.map(fromRow);
    },

    async prune(cutoff) {
      const minutes = await db.run('DELETE FROM drain_minutes WHERE minute < ?', [cutoff]);
      const frames = await db.run('DELETE FROM drain_frames WHERE received_at < ?', [cutoff]);
      await db.run('DELETE FROM drain_followups WHERE created_at < ?', [cutoff]);
      return { minutes: minutes.changes, frames: frames.changes };
    },

    async claimFollowUp(key, at) {
      const r = await db.run(
        'INSERT INTO drain_followups (key, created_at) VALUES (?, ?) ON CONFLICT (key) DO NOTHING',
        [key, at],
      );
      return r.changes === 1;
    },
  };
}

function toParams(m: DrainMinute): unknown[] {
  return [
    m.env,
    m.minute,
    m.requests,
    m.status5xx,
    m.auth401Inside,
    m.auth401Outside,
    m.auth403Inside,
    m.auth403Outside,
    JSON.stringify(m.codes),
    m.latency,
    JSON.stringify(m.memory),
    m.loadMax,
    m.pgConnections,
    m.pgDbBytes,
    m.requestsInside,
    m.status5xxInside,
  ];
}

function fromRow(r: Row): DrainMinute {
  return {
    env: col.str(r, 'env'),
    minute: col.num(r, 'minute'),
    requests: col.num(r, 'requests'),
    status5xx: col.num(r, 'status_5xx'),
    requestsInside: col.num(r, 'requests_inside'),
    status5xxInside: col.num(r, 'status_5xx_inside'),
    auth401Inside: col.num(r, 'auth401_inside'),
    auth401Outside: col.num(r, 'auth401_outside'),
    auth403Inside: col.num(r, 'auth403_inside'),
    auth403Outside: col.num(r, 'auth403_outside'),
    codes: col.json(r, 'codes') as Record<string, number>,
    latency: col.str(r, 'latency'),
    memory: col.json(r, 'memory') as Record<string, DynoMemory>,
    loadMax: col.numOrNull(r, 'load_max'),
    pgConnections: col.numOrNull(r, 'pg_connections'),
    pgDbBytes: col.numOrNull(r, 'pg_db_bytes'),
  };
}
