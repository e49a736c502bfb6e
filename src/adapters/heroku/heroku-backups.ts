import type { HerokuBackupInfo, HerokuPort } from '../../ports/heroku.ts';
import type { CallOptions } from './heroku-call.ts';
import type { HerokuCall } from './heroku-request.ts';
import { asArray, asObject } from './heroku-shapes.ts';

type Call = (method: HerokuCall['method'], path: string, o: CallOptions) => Promise<unknown>;

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/**
 * The app's Postgres backups as `heroku pg:backups` lists them: the Data API's transfers of the
 * app, keeping the backups (from_type pg_dump, to_type gof3r), named "b" + their number.
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
      return list
        .map(asObject)
        .filter((t) => (t.from_type ?? 'pg_dump') === 'pg_dump' && (t.to_type ?? 'gof3r') === 'gof3r')
        .map((t) => ({
          name: `b${String(t.num ?? '?').padStart(3, '0')}`,
          createdAt: str(t.created_at),
          finishedAt: str(t.finished_at),
          succeeded: t.succeeded === true,
        }))
        .sort((a, b) => (b.finishedAt ?? b.createdAt ?? '').localeCompare(a.finishedAt ?? a.createdAt ?? ''));
    },
  };
}
