import type { ProbeOutcome } from '../../ports/probes.ts';
import type { ProbeRunRecord, ProbeRunStore } from '../../ports/stores/probe-runs.ts';
import type { Db } from './db.ts';
import { col, type Row, toJson } from './rows.ts';

const COLUMNS =
  'env, at, trigger_kind, ok, health_url, health_status, flag, results_json, skipped, actor, run_id, correlation_id';

/** Contract probe runs (migration 080) on the shared SQL surface. */
export function createProbeRunStore(db: Db): ProbeRunStore {
  const select = async (env: string, limit: number) =>
    (
      await db.query(`SELECT ${COLUMNS} FROM probe_runs WHERE env = ? ORDER BY at DESC, id DESC LIMIT ?`, [env, limit])
    ).map(toRecord);
  return {
    async record(r) {
      await db.run(`INSERT INTO probe_runs (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
        r.env,
        r.at,
        r.trigger,
        r.ok ? 1 : 0,
        r.health?.url ?? null,
        r.health?.status ?? null,
        r.flag,
        toJson(r.results),
        r.skipped,
        r.actor,
        r.runId,
        r.correlationId,
      ]);
    },
    latest: async (env) => (await select(env, 1))[0] ?? null,
    list: (env, limit) => select(env, limit),
    async prune(cutoff) {
      // The newest run of each environment stays, however old: it is what the checklist shows.
      const r = await db.run(
        'DELETE FROM probe_runs WHERE at < ? AND id NOT IN (SELECT MAX(id) FROM probe_runs GROUP BY env)',
        [cutoff],
      );
      return r.changes;
    },
  };
}

function toRecord(r: Row): ProbeRunRecord {
  const url = col.strOrNull(r, 'health_url');
  const flag = col.strOrNull(r, 'flag');
  return {
    env: col.str(r, 'env'),
    at: col.num(r, 'at'),
    trigger: col.str(r, 'trigger_kind'),
    ok: col.num(r, 'ok') === 1,
    health: url === null ? null : { url, status: col.numOrNull(r, 'health_status') },
    results: outcomes(col.json(r, 'results_json')),
    skipped: col.num(r, 'skipped'),
    flag: flag === 'on' || flag === 'off' ? flag : null,
    actor: col.strOrNull(r, 'actor'),
    runId: col.strOrNull(r, 'run_id'),
    correlationId: col.strOrNull(r, 'correlation_id'),
  };
}

/** The per-probe answers back from JSON; a malformed entry reads as a failed, unnamed probe. */
function outcomes(json: unknown): ProbeOutcome[] {
  if (!Array.isArray(json)) return [];
  return json.map((raw): ProbeOutcome => {
    const o = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
    const text = (v: unknown) => (typeof v === 'string' ? v : null);
    const num = (v: unknown) => (typeof v === 'number' ? v : null);
    return {
      name: text(o.name) ?? '?',
      url: text(o.url) ?? '',
      expect: num(o.expect) ?? 0,
      status: num(o.status),
      error: text(o.error),
      ok: o.ok === true,
    };
  });
}
