import { loadConfig } from './config.ts';
import { createApp } from './app.ts';
import { ConfigError } from './errors.ts';
import { createLogger } from './log.ts';
import { EXAMPLE_CONFIG_PATH } from './dev/sandbox.ts';
import { processEnv } from './env.ts';

/** Heroku sends SIGTERM and waits 30 s before SIGKILL; stop well inside that. */
const SHUTDOWN_GRACE_MS = 25_000;

async function main(): Promise<void> {
  let config;
  let exampleConfig = false;
  const env = processEnv();
  try {
    config = loadConfig(env);
    // A fresh clone has no config file: the shell's sandbox uses the example's environments and roles.
    if (config.mode === 'shell' && config.environments.length === 0 && env.AUTORISEN_CONFIG === undefined) {
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
  // In the shell, logs go to stderr (warn and up) so they don't mix with the conversation.
  const logger =
    config.mode === 'shell'
      ? createLogger({ ...config, logLevel: env.LOG_LEVEL ?? 'warn' }, process.stderr as never)
      : createLogger(config);
  const app = await createApp(config, { logger, exampleConfig });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error({}, 'graceful shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS).unref();
    await app.stop().catch((err) => logger.error({ err }, 'error during shutdown'));
    clearTimeout(timer);
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  await app.start();
  if (config.mode === 'shell') await shutdown('end of input');
}

main().catch((err: unknown) => {
  process.stderr.write(`autorisen-bot failed to start: ${(err as Error).message}\n`);
  process.exit(1);
});
