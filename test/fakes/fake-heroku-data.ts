import { randomUUID } from 'node:crypto';
import { fakeTimestamp, type FakeApp, type FakeTransfer } from './fake-heroku-model.ts';
import type { FakeHeroku } from './fake-heroku-api.ts';
import { invalid, notFound, type Reply } from './fake-heroku-errors.ts';

/**
 * The Data API calls behind `heroku pg:backups:capture`, shaped as heroku/cli's own unit test mocks
 * them (test/fixtures/heroku/pg_backups_capture.heroku_cli_test.json). Undocumented upstream; the
 * `logs` entries ({created_at, message}) follow what `pg:backups:info` prints.
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

function transferBody(t: FakeTransfer, verbose: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = {
    uuid: t.uuid,
    num: t.num,
    from_name: 'DATABASE',
    from_type: 'pg_dump',
    to_type: 'gof3r',
    created_at: t.finishedAt ?? fakeTimestamp(),
    finished_at: t.finishedAt,
    succeeded: t.succeeded,
  };
  if (verbose) body.logs = t.logs.map((message) => ({ created_at: t.finishedAt ?? fakeTimestamp(), message }));
  return body;
}
