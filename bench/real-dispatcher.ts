import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { allCommands as commands } from '../src/catalog.ts';
import { openSqliteDb } from '../src/adapters/store/sqlite.ts';
import { openPostgresDb } from '../src/adapters/store/postgres.ts';
import { migrate } from '../src/adapters/store/migrate.ts';
import { createStoreFromDb } from '../src/adapters/store/sql-store.ts';
import { randomIds, systemClock } from '../src/adapters/system-clock.ts';
import { unconfiguredGitHub, unconfiguredHeroku } from '../src/adapters/unconfigured.ts';
import { createSpecSource } from '../src/adapters/openapi/spec-source.ts';
import type { Config } from '../src/config.ts';
import { Registry } from '../src/core/registry.ts';
import type { Dispatcher } from '../src/core/transport.ts';
import { createLogger } from '../src/log.ts';
import type { HerokuPort } from '../src/ports/heroku.ts';
import { CommandDispatcher } from '../src/services/dispatch/dispatcher.ts';
import type { WorkLimiter } from '../src/services/dispatch/work-limiter.ts';

/**
 * The real CommandDispatcher with the real command registry and a real SQLite store (WAL, temp
 * file), so the ack benchmark measures what production does before the ack: tokenise, look up,
 * resolve the role, check permission, parse. Heroku is unconfigured, so the follow-up work after the
 * ack fails fast and replies through response_url — realistic background load, no network.
 */
export async function realDispatcher(config: Config): Promise<Dispatcher> {
  return benchDispatcher(
    { ...config, roles: { ...config.roles, users: { ...config.roles.users, U2147483697: 'operator' } } },
    { heroku: unconfiguredHeroku() },
  );
}

/**
 * The dispatcher both ack benchmarks run: real registry, a fresh SQLite store (WAL, temp file), a
 * silent logger and a chat that accepts everything; the Heroku port (and its low-priority view for
 * queries) and the work limiter are the caller's.
 */
export async function benchDispatcher(
  config: Config,
  o: { heroku: HerokuPort; herokuReads?: HerokuPort; workLimiter?: WorkLimiter },
): Promise<CommandDispatcher> {
  return (await benchDispatcherOn(config, o)).dispatcher;
}

/** As benchDispatcher, on PostgreSQL when `databaseUrl` is given (a fresh schema, dropped by close()). */
export async function benchDispatcherOn(
  config: Config,
  o: { heroku: HerokuPort; herokuReads?: HerokuPort; workLimiter?: WorkLimiter; databaseUrl?: string },
): Promise<{ dispatcher: CommandDispatcher; close(): Promise<void> }> {
  const schema = `bench_${randomBytes(5).toString('hex')}`;
  const db = o.databaseUrl
    ? await openPostgresDb(o.databaseUrl, { schema })
    : openSqliteDb(join(mkdtempSync(join(tmpdir(), 'autorisen-bench-')), 'bench.db'));
  await migrate(db);
  const store = createStoreFromDb(db);
  const registry = new Registry(commands);
  const log = createLogger({ ...config, logLevel: 'silent' }, new Writable({ write: (_c, _e, cb) => cb() }) as never);
  const dispatcher = new CommandDispatcher({
    config,
    registry,
    ports: {
      environments: config.environments,
      heroku: o.heroku,
      ...(o.herokuReads ? { herokuReads: o.herokuReads } : {}),
      github: unconfiguredGitHub(),
      specDiff: { diff: async () => ({ summary: { breaking: 0, warning: 0, nonBreaking: 0 }, changes: [] }) },
      specs: createSpecSource(),
      store,
      clock: systemClock,
      ids: randomIds,
      catalog: registry.commands,
    },
    chat: {
      post: async (channel) => ({ channel, ts: '1.0' }),
      update: async () => undefined,
      ephemeral: async () => undefined,
    },
    directory: { groupsOf: async () => [] },
    log,
    ...(o.workLimiter ? { workLimiter: o.workLimiter } : {}),
  });
  return {
    dispatcher,
    async close() {
      // Called once the work has drained; the benchmark's schema goes with it.
      if (o.databaseUrl) await db.run(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
      await store.close().catch(() => undefined);
    },
  };
}
