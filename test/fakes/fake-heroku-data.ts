import { randomUUID } from 'node:crypto';
import { fakeTimestamp, type FakeApp, type FakeTransfer } from './fake-heroku-model.ts';
import type { FakeHeroku } from './fake-heroku-api.ts';
import { invalid, notFound, type Reply } from './fake-heroku-errors.ts';

/**
 * The Data API calls behind `heroku pg:backups:capture`, shaped as heroku/cli's own unit test mocks
 * them (test/fixtures/heroku/pg_backups_capture.heroku_cli_test.json). A transfer (list and info)
 * has the fields of Heroku's generated Data API types, `TransferListByAppResult` /
 * `TransferInfoByAppResult` in https://github.com/heroku/typescript-api-schema/blob/main/dist/data/types.d.ts
 * (route `GET /client/v11/apps/{name}/transfers` in src/data/routes.ts there): `succeeded` is null
 * while running, `schedule` only on scheduled backups, `logs` only with ?verbose=true, and every
 * time is "2024-05-28 11:19:37 +0000", not RFC 3339.
 */

/** How new backups end: on the Nth transfer poll, succeeded or not, with these log lines. */
export interface BackupBehaviour {
  succeeded: boolean;
  afterPolls: number;
  logs: string[];
}

/** `POST /actions/addon-attachments/resolve` on the Platform API host. */
export function resolveAttachment(fake: FakeHeroku, body: unknown): Reply {
  const b = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  if (typeof b.app !== 'string' || typeof b.addon_attachment !== 'string')
    throw invalid('app and addon_attachment are required.');
  const app = fake.apps.get(b.app);
  if (!app) throw notFound("Couldn't find that app.", 'app');
  if (!app.databaseAddonId || b.addon_attachment !== 'DATABASE_URL')
    throw notFound("Couldn't find that add on attachment.", 'add_on attachment');
  return {
    status: 200,
    body: [
      {
        addon: {
          id: app.databaseAddonId,
          name: `postgresql-${app.name}-1`,
          plan: { name: 'heroku-postgresql:essential-0' },
          app: { name: app.name },
        },
      },
    ],
  };
}

const polls = new WeakMap<FakeTransfer, number>();

/** Routes on the Data API host (`/client/v11/...`). */
export function handleDataApi(fake: FakeHeroku, method: string, path: string, query: string): Reply {
  const capture = /^\/client\/v11\/databases\/([^/]+)\/backups$/.exec(path);
  if (capture && method === 'POST') {
    const app = [...fake.apps.values()].find((a) => a.databaseAddonId === capture[1]);
    if (!app) throw notFound("Couldn't find that database.", 'database');
    const transfer: FakeTransfer = {
      uuid: randomUUID(),
      num: app.transfers.length + 1,
      createdAt: fakeTimestamp(),
      finishedAt: null,
      succeeded: false,
      logs: [],
    };
    app.transfers.push(transfer);
    return { status: 200, body: { num: transfer.num, from_name: 'DATABASE', uuid: transfer.uuid } };
  }
  // `heroku pg:backups` lists the app's transfers and keeps the backups (pg_dump → gof3r).
  const list = /^\/client\/v11\/apps\/([^/]+)\/transfers$/.exec(path);
  if (list && method === 'GET') {
    const app = fake.apps.get(decodeURIComponent(list[1]!));
    if (!app) throw notFound("Couldn't find that app.", 'app');
    return { status: 200, body: app.transfers.map((t) => transferBody(t, false)) };
  }
  const info = /^\/client\/v11\/apps\/([^/]+)\/transfers\/([^/]+)$/.exec(path);
  if (info && method === 'GET') {
    const app = fake.apps.get(decodeURIComponent(info[1]!));
    const transfer = app?.transfers.find((t) => t.uuid === info[2]);
    if (!app || !transfer) throw notFound("Couldn't find that transfer.", 'transfer');
    advance(fake, transfer);
    const verbose = /(^|&)verbose=true(&|$)/.test(query);
    return { status: 200, body: transferBody(transfer, verbose) };
  }
  throw notFound('The requested API endpoint was not found.', 'endpoint');
}

/** Finish a transfer now (tests that script the outcome themselves). */
export function finishTransfer(app: FakeApp, uuid: string, succeeded: boolean, logs: string[] = []): void {
  const t = app.transfers.find((x) => x.uuid === uuid);
  if (!t) throw new Error(`fake heroku: no transfer ${uuid}`);
  t.finishedAt = fakeTimestamp();
  t.succeeded = succeeded;
  t.logs = logs;
}

function advance(fake: FakeHeroku, t: FakeTransfer): void {
  const n = (polls.get(t) ?? 0) + 1;
  polls.set(t, n);
  const beh = fake.backupBehaviour;
  if (t.finishedAt === null && n >= beh.afterPolls) {
    t.finishedAt = fakeTimestamp();
    t.succeeded = beh.succeeded;
    t.logs = beh.logs;
  }
}

/** "2026-11-20T10:00:01Z" → "2026-11-20 10:00:01 +0000", as the Data API writes times. */
function dataApiTime(iso: string | null): string | null {
  return iso === null ? null : `${new Date(iso).toISOString().slice(0, 19).replace('T', ' ')} +0000`;
}

function transferBody(t: FakeTransfer, verbose: boolean): Record<string, unknown> {
  const finished = dataApiTime(t.finishedAt);
  const fromType = t.fromType ?? 'pg_dump';
  const toType = t.toType ?? 'gof3r';
  const body: Record<string, unknown> = {
    uuid: t.uuid,
    num: t.num,
    from_name: 'DATABASE',
    from_type: fromType,
    from_url: 'postgres:///d8f0example',
    to_name: toType === 'gof3r' ? 'BACKUP' : 'DATABASE',
    to_type: toType,
    to_url: toType === 'gof3r' ? `https://xfrtu.s3.example/${t.uuid}/backup` : 'postgres:///d8f0example',
    options: {},
    source_bytes: 1437,
    processed_bytes: t.finishedAt ? 1437 : 0,
    succeeded: t.finishedAt ? t.succeeded : null,
    warnings: 0,
    created_at: dataApiTime(t.createdAt),
    started_at: dataApiTime(t.createdAt),
    canceled_at: null,
    updated_at: finished ?? dataApiTime(t.createdAt),
    finished_at: finished,
    deleted_at: null,
    purged_at: null,
    num_keep: 7,
    ...(t.scheduleUuid ? { schedule: { uuid: t.scheduleUuid } } : {}),
  };
  if (verbose)
    body.logs = t.logs.map((message) => ({ created_at: finished ?? dataApiTime(t.createdAt), level: 'info', message }));
  return body;
}
