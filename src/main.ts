import { loadConfig } from './config.ts';
import { createApp } from './app.ts';
import { ConfigError } from './errors.ts';
import { createLogger } from './log.ts';
import { processEnv } from './env.ts';
import { createShutdown, SHUTDOWN_GRACE_MS } from './shutdown.ts';

async function main(): Promise<void> {
  let config;
  let exampleConfig = false;
  const env = processEnv();
  try {
    config = loadConfig(env);
    // A fresh clone has no config file: the shell's sandbox uses the example's environments and roles.
    if (config.mode === 'shell' && config.environments.length === 0 && env.AUTORISEN_CONFIG === undefined) {
      const { EXAMPLE_CONFIG_PATH } = await import('./dev/sandbox.ts');
      config = loadConfig({ ...env, AUTORISEN_CONFIG: EXAMPLE_CONFIG_PATH });
      exampleConfig = true;
    }
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  // The sandbox's Heroku starts afresh each run; so does its database, unless SQLITE_PATH names one.
  // src/dev is loaded in shell mode only (app/dev-kit.ts).
  const freshDatabase =
    config.mode === 'shell' ? (await import('./dev/sandbox.ts')).sandboxDatabase(config, env) : null;
  if (freshDatabase) config = { ...config, database: freshDatabase };
  // In the shell, logs go to stderr (warn and up) so they don't mix with the conversation.
  const logger =
    config.mode === 'shell'
      ? createLogger({ ...config, logLevel: env.LOG_LEVEL ?? 'warn' }, process.stderr as never)
      : createLogger(config);
  const app = await createApp(config, {
    logger,
    exampleConfig,
    freshDatabase: freshDatabase !== null,
    shutdownGraceMs: SHUTDOWN_GRACE_MS,
  });
  const shutdown = createShutdown({
    stop: () => app.stop(),
    exit: (code) => process.exit(code),
    log: logger,
    graceMs: SHUTDOWN_GRACE_MS,
  });
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  await app.start();
  if (config.mode === 'shell') await shutdown('end of input');
}

main().catch((err: unknown) => {
  process.stderr.write(`autorisen-bot failed to start: ${(err as Error).message}\n`);
  process.exit(1);
});
