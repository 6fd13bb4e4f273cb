// Composition root: builds the knowledge base, the database, the Slack adapter (or the local
// console), the use-cases, the HTTP server and the jobs, and wires them together. No logic.
import type { Readable, Writable } from 'node:stream';
import type { RetryOptions } from '@slack/web-api';
import type { Config } from './config.ts';
import { consoleActor, runConsole } from './console/run-console.ts';
import { openDatabase, type Database } from './db/index.ts';
import { createHttpServer, type HttpServer } from './http-server.ts';
import { databaseReadiness } from './readiness.ts';
import * as postPendingEscalations from './jobs/post-pending-escalations.ts';
import * as pruneSlackEvents from './jobs/prune-slack-events.ts';
import * as sweepConnectionHealth from './jobs/sweep-connection-health.ts';
import { scheduleJobs, type JobSpec, type RunningJobs } from './jobs/schedule-jobs.ts';
import { createAnswerEngine } from './knowledge/answer-engine.ts';
import { loadKnowledge } from './knowledge/load-knowledge.ts';
import type { Logger } from './logger.ts';
import { createSlackApp, prepareSlack, type ConnectedSlackConfig, type SlackApp } from './slack/create-slack-app.ts';
import { createAlertPublisher } from './slack/alert-publisher.ts';
import { createEscalationPublisher } from './slack/escalation-publisher.ts';
import { createInstallationStore } from './slack/installation-store.ts';
import { createWorkTracker, type WorkTracker } from './slack/middleware/track-work.ts';
import { noSlackClients } from './slack/slack-clients.ts';
import { createUsergroupDirectory } from './slack/usergroup-directory.ts';
import { checkConnection, type CheckConnectionDeps } from './support/check-connection.ts';
import type { HealthChecker } from './support/connection-health.ts';
import { storedConnectionAccess } from './support/stored-connection-access.ts';
import { createSupportService, findArticleSummary, type SupportService } from './support/support-service.ts';
import { createXeroGateway } from './xero/xero-gateway.ts';

export interface ApplicationOptions {
  logger: Logger;
  /** Tests shorten Slack Web API retries. */
  slackRetryConfig?: RetryOptions;
  /** Console mode's input and output (default: the process's). */
  stdin?: Readable;
  stdout?: Writable;
  now?: () => Date;
}

export interface Application {
  config: Config;
  db: Database;
  support: SupportService;
  slack: SlackApp | undefined;
  http: HttpServer;
  work: WorkTracker;
  /** Each scheduled job's run, by name, to run one now (tests, operators). */
  jobs: Record<string, () => Promise<unknown>>;
  /** Listens on PORT, connects Socket Mode, starts the jobs. Returns the bound port. */
  start(): Promise<number>;
  /** Console mode: answers stdin until it ends. */
  runConsole(): Promise<void>;
  /** Stops taking work, lets work in progress finish (within `timeoutMs`), closes the database. */
  stop(timeoutMs: number): Promise<void>;
}

const everyMinute = '* * * * *';
const hourly = '17 * * * *';

/** A cron expression for "every `minutes` minutes" (whole hours above 59). */
export function everyMinutes(minutes: number): string {
  return minutes < 60 ? `*/${minutes} * * * *` : `0 */${Math.max(1, Math.round(minutes / 60))} * * *`;
}

export async function createApplication(config: Config, options: ApplicationOptions): Promise<Application> {
  const { logger } = options;
  const now = options.now ?? (() => new Date());
  const engine = createAnswerEngine(loadKnowledge(config.knowledgeDir), { minConfidence: config.minConfidence });
  const db = await openDatabase(config, { warn: (message) => logger.warn(message) });
  try {
    const consoleMode = config.slack.mode === 'console';
    const setup = consoleMode
      ? undefined
      : await prepareSlack({
          slack: config.slack as ConnectedSlackConfig,
          logger,
          installationStore: createInstallationStore(db.installations),
          ...(options.slackRetryConfig ? { retryConfig: options.slackRetryConfig } : {}),
        });
    const clients = setup?.clients ?? noSlackClients;
    const publisher = createEscalationPublisher({ clients, supportChannelId: config.supportChannelId, logger });
    const xero = createXeroGateway(config.xero);
    const checkDeps: CheckConnectionDeps | undefined = xero && {
      connections: db.connections,
      exports: db.failedSyncs,
      xero,
      // Until token refresh is merged: the stored token, never refreshed (one file to replace).
      access: storedConnectionAccess(db.connections),
      now,
    };
    const health: HealthChecker | undefined = checkDeps && { check: (id, o) => checkConnection({ ...checkDeps, ...(o?.timeoutMs ? { timeoutMs: o.timeoutMs } : {}) }, id) };
    const support = createSupportService({
      health,
      engine,
      escalations: db.escalations,
      connections: db.connections,
      failedSyncs: db.failedSyncs,
      feedback: db.feedback,
      processedEvents: db.slackEvents,
      audit: db.audit,
      publisher,
      now,
      usergroups: createUsergroupDirectory(clients),
      // At the console the person at the keyboard runs the app, so they act as its admin.
      policy: { adminUserIds: consoleMode ? [consoleActor.userId] : config.adminUserIds, adminUsergroupId: config.adminUsergroupId },
    });
    const work = createWorkTracker();
    const slack = setup ? createSlackApp(setup, { support, logger, work, now }) : undefined;
    const http = createHttpServer({
      port: config.port,
      logger,
      routes: slack?.handleHttp,
      readiness: databaseReadiness(db),
    });
    const findArticle = (id: string) => findArticleSummary(engine, id);
    // Posting needs Slack, so the console runs no jobs.
    const jobSpecs: JobSpec[] = consoleMode
      ? []
      : [
          {
            name: postPendingEscalations.jobName,
            schedule: everyMinute,
            run: () => postPendingEscalations.exec({ escalations: db.escalations, connections: db.connections, publisher, findArticle, now }),
          },
          { name: pruneSlackEvents.jobName, schedule: hourly, run: () => pruneSlackEvents.exec({ processedEvents: db.slackEvents, now }) },
        ];
    if (health && config.healthSweepMinutes > 0 && !consoleMode) {
      const alertsChannelId = config.alertsChannelId;
      const alerts = alertsChannelId
        ? { store: db.healthAlerts, publisher: createAlertPublisher({ clients, channelId: alertsChannelId, logger, getArticle: (id) => engine.getArticle(id), now }) }
        : undefined;
      const log = logger.child({ component: sweepConnectionHealth.jobName });
      jobSpecs.push({
        name: sweepConnectionHealth.jobName,
        schedule: everyMinutes(config.healthSweepMinutes),
        run: async () => {
          const result = await sweepConnectionHealth.exec({
            connections: db.connections,
            check: (id) => health.check(id),
            alerts,
            now,
            onCheckFailed: (connectionId, error) => log.error({ err: error, connectionId, code: 'health_check_failed' }, 'a connection health check failed'),
          });
          if (result.alerts?.unconfirmed.length) {
            log.warn({ alertIds: result.alerts.unconfirmed, code: 'alert_post_unconfirmed' }, 'health alerts whose post was never recorded: look for their ids in the alerts channel metadata');
          }
          return result;
        },
      });
    }
    let jobs: RunningJobs | undefined;

    return {
      config,
      db,
      support,
      slack,
      http,
      work,
      jobs: Object.fromEntries(jobSpecs.map((job) => [job.name, job.run])),
      async start() {
        const address = await http.listen();
        await slack?.start();
        jobs = scheduleJobs(jobSpecs, logger);
        return address.port;
      },
      runConsole: () =>
        runConsole({
          input: options.stdin ?? process.stdin,
          output: options.stdout ?? process.stdout,
          support,
          logger,
          now,
          prompt: Boolean((options.stdin ?? process.stdin) === process.stdin && process.stdin.isTTY),
        }),
      async stop(timeoutMs) {
        const deadline = Date.now() + timeoutMs;
        const left = () => Math.max(0, deadline - Date.now());
        await Promise.all([http.close(left() / 2), slack?.stop().catch((error: unknown) => logger.warn({ err: error }, 'Socket Mode did not close cleanly'))]);
        await jobs?.stop(left() / 2);
        if (!(await work.drain(left()))) logger.warn({ pending: work.pending }, 'Slack work still running at shutdown was cut off');
        await db.close();
      },
    };
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }
}
