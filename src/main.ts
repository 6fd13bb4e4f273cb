// Entry point (`npm start`): configuration -> application -> start -> graceful shutdown.
// Without Slack credentials it prints how to connect and opens the local console.
import { pino } from 'pino';
import { createApplication, type Application } from './app.ts';
import { loadConfig, type Config } from './config.ts';
import { consoleGuidance } from './console/console-guidance.ts';
import { createLogger, type Logger } from './logger.ts';

/** SIGTERM to exit: Kubernetes' default grace period is 30 s; we promise 10. */
export const shutdownBudgetMs = 10_000;

/** Start-up failures (bad configuration, database, Slack token) all carry a message that says what to do. */
function fail(error: unknown): never {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`xero-concierge could not start:\n${message}\n`);
  process.exit(1);
}

async function startApplication(config: Config, logger: Logger): Promise<Application> {
  const app = await createApplication(config, { logger }).catch(fail);
  try {
    const port = await app.start();
    logger.info({ mode: config.slack.mode, port }, 'xero-concierge is running');
  } catch (error) {
    const inUse = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
    if (!(inUse && config.slack.mode === 'console')) {
      await app.stop(1_000).catch(() => {});
      fail(inUse ? new Error(`Port ${config.port} is already in use: set PORT to a free port.`) : error);
    }
    // The console is still useful without /healthz.
    logger.warn({ port: config.port }, 'port in use: /healthz and /readyz are off in this console session');
  }
  return app;
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    fail(error);
  }
  const consoleMode = config.slack.mode === 'console';
  // In the console, standard output is for people; the JSON log goes to standard error.
  const logger = createLogger({ level: config.logLevel, secrets: config.secrets, ...(consoleMode ? { destination: pino.destination(2) } : {}) });
  process.on('unhandledRejection', (error) => logger.error({ err: error }, 'unhandled promise rejection'));

  if (consoleMode) process.stderr.write(`${consoleGuidance}\n`);
  const app = await startApplication(config, logger);

  let stopping: Promise<void> | undefined;
  const shutdown = (reason: string) => {
    stopping ??= (async () => {
      logger.info({ reason }, 'shutting down');
      const force = setTimeout(() => {
        logger.error('shutdown did not finish in time; exiting anyway');
        process.exit(1);
      }, shutdownBudgetMs);
      force.unref();
      try {
        await app.stop(shutdownBudgetMs - 1_000);
      } catch (error) {
        logger.error({ err: error }, 'shutdown step failed');
      }
      logger.info('stopped');
      process.exit(0);
    })();
    return stopping;
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));

  if (consoleMode) {
    await app.runConsole();
    await shutdown('console closed');
  }
}

await main();
