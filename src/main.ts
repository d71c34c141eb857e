import { ConfigError, loadConfig } from './config/config';
import { DataDirInUseError } from './db/data-dir-lock';
import { DatabaseStartupError } from './db/startup';
import { createLogger, start } from './server';

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
  let server;
  try {
    server = await start(config, logger);
  } catch (error) {
    if (error instanceof DatabaseStartupError) {
      // A line for the logs, and the same words plainly on stderr, without a stack trace.
      logger.fatal(error.message);
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    server.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  // Once: the same signal again during the drain takes Node's default and ends the process at once.
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
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
