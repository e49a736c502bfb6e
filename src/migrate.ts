/**
 * `npm run migrate`: Heroku's release phase (Procfile `release:`). Opening the store applies every
 * pending migration; a non-zero exit makes Heroku abort the release, so a broken migration never
 * reaches the running dynos.
 */
import { openStore } from './adapters/store/sql-store.ts';
import { loadConfig } from './config.ts';
import { processEnv } from './env.ts';
import { AppError } from './errors.ts';
import { createLogger } from './log.ts';

async function run(): Promise<void> {
  const config = loadConfig(processEnv());
  const logger = createLogger(config).child({ task: 'migrate' });
  const store = await openStore(config.database, logger);
  await store.close();
  logger.info({ kind: store.kind }, 'database schema is up to date');
}

run().then(
  () => process.exit(0),
  (err: unknown) => {
    // ConfigError lists every problem; AppError says what to fix; anything else keeps its message.
    const message = err instanceof AppError ? err.userMessage : err instanceof Error ? err.message : String(err);
    process.stderr.write(`migrate failed: ${message}\n`);
    process.exit(1);
  },
);
