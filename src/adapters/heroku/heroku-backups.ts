import type { HerokuBackupInfo, HerokuPort } from '../../ports/heroku.ts';
import type { CallOptions } from './heroku-call.ts';
import type { HerokuCall } from './heroku-request.ts';
import { asArray, asObject } from './heroku-shapes.ts';

type Call = (method: HerokuCall['method'], path: string, o: CallOptions) => Promise<unknown>;

/**
 * A Data API time as ISO 8601. The Data API writes "2024-05-28 11:19:37 +0000", not RFC 3339
 * (Heroku's generated types: https://github.com/heroku/typescript-api-schema/blob/main/dist/data/types.d.ts,
 * `TransferListByAppResult`); ISO is accepted too. Null when absent or unreadable.
 */
export function dataApiTime(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?) ?(Z|[+-]\d{2}:?\d{2}|UTC)?$/.exec(v.trim());
  const zone = m?.[3] === undefined || m[3] === 'UTC' ? 'Z' : m[3].replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = m ? Date.parse(`${m[1]}T${m[2]}${zone}`) : Number.NaN;
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/**
 * A backup's name as `heroku pg:backups` shows it: "a" + number for a scheduled backup, "b" + number
 * otherwise, "o" + the old PGBackups name for imported ones (heroku/cli packages/cli/src/lib/pg/backups.ts).
 */
function backupName(t: Record<string, unknown>): string {
  const old = asObject(t.options).pgbackups_name;
  if (typeof old === 'string' && old !== '') return `o${old}`;
  return `${t.schedule ? 'a' : 'b'}${String(t.num ?? '?').padStart(3, '0')}`;
}

/**
 * The app's Postgres backups as `heroku pg:backups` lists them: `GET /client/v11/apps/{app}/transfers`
 * on the Data API, keeping the backups (from_type pg_dump, to_type gof3r; restores and copies go to
 * pg_restore), newest first. Field names and formats: see `dataApiTime`.
 */
export function backupMethods(call: Call): Pick<HerokuPort, 'listBackups'> {
  return {
    async listBackups(app): Promise<HerokuBackupInfo[]> {
      const list = asArray(
        await call('GET', `/client/v11/apps/${encodeURIComponent(app)}/transfers`, {
          app,
          doing: 'listing the Postgres backups',
          data: true,
        }),
      );
      const when = (b: HerokuBackupInfo) => Date.parse(b.finishedAt ?? b.createdAt ?? '') || 0;
      return list
        .map(asObject)
        .filter((t) => (t.from_type ?? 'pg_dump') === 'pg_dump' && (t.to_type ?? 'gof3r') === 'gof3r')
        .map((t) => ({
          name: backupName(t),
          createdAt: dataApiTime(t.created_at),
          // A cancelled backup ends without finished_at; it ended all the same, and not well.
          finishedAt: dataApiTime(t.finished_at) ?? dataApiTime(t.canceled_at),
          succeeded: t.succeeded === true,
        }))
        .sort((a, b) => when(b) - when(a));
    },
  };
}
