import cluster from 'node:cluster';
import type { Logger } from 'pino';
import { startWorkers, WorkerStartError } from './cluster';
import { ConfigError, loadConfig, type Config } from './config/config';
import { DataDirInUseError } from './db/data-dir-lock';
import { DatabaseStartupError } from './db/startup';
import { createLogger, migrateOnce, start } from './server';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config);
  if (config.workers > 1 && cluster.isPrimary) {
    await runPrimary(config, logger);
    return;
  }
  let server;
  try {
    server = await start(config, logger);
  } catch (error) {
    startupFailed(error, logger);
  }
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    server.stop().then(
      () => exitAfterLogs(logger, 0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        exitAfterLogs(logger, 1);
      },
    );
  };
  // Once: the same signal again during the drain takes Node's default and ends the process at once.
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  // A worker whose primary is gone (killed outright) stops as if told to: nothing would replace it.
  if (cluster.isWorker) process.once('disconnect', () => shutdown('primary gone'));
}

/** The database's failure to open, as a line for the logs and the same words plainly on stderr. */
function startupFailed(error: unknown, logger: Logger): never {
  if (error instanceof DatabaseStartupError) {
    logger.fatal(error.message);
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

/**
 * `WORKERS` > 1: this process migrates the database once (so the workers find nothing pending), then
 * forks the workers and passes a stop on to them; it serves nothing itself.
 */
async function runPrimary(config: Config, logger: Logger): Promise<void> {
  try {
    await migrateOnce(config, logger);
  } catch (error) {
    startupFailed(error, logger);
  }
  let pool;
  try {
    pool = await startWorkers({ count: config.workers, logger });
  } catch (error) {
    if (error instanceof WorkerStartError) process.exit(error.code || 1);
    throw error;
  }
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down the workers');
    void pool.stop();
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  const code = await pool.ended;
  logger.info({ code }, 'stopped');
  exitAfterLogs(logger, code);
}

/**
 * Exits once the lines logged so far are written: behind a full pipe (a busy reader of the logs) the
 * last ones, "stopped" among them, were lost to process.exit. Within 2 s whatever happens.
 */
function exitAfterLogs(logger: Logger, code: number): void {
  const exit = () => process.exit(code);
  setTimeout(exit, 2_000);
  logger.flush(exit);
}

main().catch((error: unknown) => {
  // Another process owns the data folder: the message says which and what to do; a stack would only hide it.
  if (error instanceof DataDirInUseError) {
    console.error(error.message);
    process.exit(3);
  }
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
