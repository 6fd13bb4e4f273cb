// Composition root: builds the knowledge base, the database, the Slack adapter (or the local
// console), the use-cases, the HTTP server and the jobs, and wires them together. No logic.
import { randomUUID } from 'node:crypto';
import type { Readable, Writable } from 'node:stream';
import type { RetryOptions } from '@slack/web-api';
import type { Config } from './config.ts';
import { runConsole } from './console/run-console.ts';
import { openDatabase, type Database } from './db/index.ts';
import { healthRoutes } from './health-routes.ts';
import { intakeRoutes } from './intake-routes.ts';
import { createHttpServer, type HttpServer } from './http-server.ts';
import { databaseReadiness } from './readiness.ts';
import * as postPendingEscalations from './jobs/post-pending-escalations.ts';
import * as postPendingAlerts from './jobs/post-pending-alerts.ts';
import * as pruneJobRuns from './jobs/prune-job-runs.ts';
import * as pruneSlackEvents from './jobs/prune-slack-events.ts';
import * as pruneThreadTurns from './jobs/prune-thread-turns.ts';
import * as pruneCaseConversations from './jobs/prune-case-conversations.ts';
import { createRunCoordinator } from './jobs/run-coordinator.ts';
import * as refreshXeroTokens from './jobs/refresh-xero-tokens.ts';
import * as sweepConnectionHealth from './jobs/sweep-connection-health.ts';
import * as retryFailedSyncs from './jobs/retry-failed-syncs.ts';
import * as rediagnoseFailedSyncs from './jobs/rediagnose-failed-syncs.ts';
import { classifyFailure } from './support/classify-failure.ts';
import { reportRetryProgress } from './support/retry-progress.ts';
import { createRetryRunner, withCachedLookups, type RetryWorkerDeps } from './support/retry-worker.ts';
import { scaledXeroLimits } from './support/xero-rate-limits.ts';
import type { XeroRateHeadroom } from './support/xero-gateway.ts';
import { createRetryProgressPublisher } from './slack/retry-progress-publisher.ts';
import { scheduleJobs, type JobSpec, type RunningJobs } from './jobs/schedule-jobs.ts';
import { createAnswerEngine } from './knowledge/answer-engine.ts';
import { compiledKnowledgeCacheFile, loadKnowledgeCached } from './knowledge/knowledge-cache.ts';
import type { Logger } from './logger.ts';
import { createSlackApp, prepareSlack, type ConnectedSlackConfig, type SlackApp } from './slack/create-slack-app.ts';
import { createAlertPublisher } from './slack/alert-publisher.ts';
import { createEscalationPublisher } from './slack/escalation-publisher.ts';
import { createInstallationStore } from './slack/installation-store.ts';
import { createWorkTracker, type WorkTracker } from './slack/middleware/track-work.ts';
import { noSlackClients } from './slack/slack-clients.ts';
import { createUsergroupDirectory } from './slack/usergroup-directory.ts';
import { consoleActor } from './support/console-workspace.ts';
import { createSupportService, findArticleSummary, type SupportService } from './support/support-service.ts';
import { completeConnect, type XeroConnectDeps } from './support/xero-connect.ts';
import { createConnectionAccess, type XeroTokenDeps } from './support/xero-tokens.ts';
import type { ConnectionAccess } from './support/connection-access.ts';
import { checkConnection, type CheckConnectionDeps } from './support/check-connection.ts';
import type { HealthChecker } from './support/connection-health.ts';
import { createXeroNotices } from './slack/xero-notices.ts';
import { xeroCallbackRoute } from './xero/xero-callback-route.ts';
import { readyToRetryThroughQueue, diagnoseFailure, diagnosableArticles } from './support/diagnose-failure.ts';
import { diagnosedLines } from './slack/blocks/diagnosis-blocks.ts';
import { queueFixedFailures, type FixedRetryDeps } from './support/retry-requests.ts';
import type { RestoreContactDeps } from './support/restore-contact.ts';
import { createReferenceCache } from './support/xero-reference-cache.ts';
import { withCallPermits } from './support/rate-limited-reads.ts';
import { refreshFailuresForEvents, type WebhookEvent } from './support/xero-webhooks.ts';
import { alertOnNewFailures, postPendingAlerts as postAlerts } from './support/health-alerts.ts';
import type { RecordSyncFailuresDeps } from './support/record-sync-failures.ts';
import { applyPendingWebhooks, xeroWebhookRoutes } from './xero-webhook-routes.ts';
import type { FiledEscalation } from './support/escalate.ts';
import { publishEscalation } from './slack/post-escalation.ts';

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
  /** Working Xero access tokens for health checks and retries. */
  xeroAccess: ConnectionAccess;
  /** Each scheduled job's run, by name, to run one now (tests, operators). */
  jobs: Record<string, () => Promise<unknown>>;
  /** Listens on PORT, connects Socket Mode, starts the jobs. Returns the bound port. */
  start(): Promise<number>;
  /** Console mode: answers stdin until it ends. */
  runConsole(): Promise<void>;
  /** Stops taking work, lets work in progress finish (within `timeoutMs`), closes the database. */
  stop(timeoutMs: number): Promise<void>;
}

export async function createApplication(config: Config, options: ApplicationOptions): Promise<Application> {
  const { logger } = options;
  const now = options.now ?? (() => new Date());
  const articles = loadKnowledgeCached(config.knowledgeDir, compiledKnowledgeCacheFile());
  const engine = createAnswerEngine(articles, { minConfidence: config.minConfidence });
  const consoleMode = config.slack.mode === 'console';
  // The console is a sandbox with its own database, so nothing filed there reaches a real workspace.
  const db = await openDatabase(consoleMode ? { ...config, database: config.consoleDatabase } : config, { warn: (message) => logger.warn(message) });
  try {
    const setup = consoleMode
      ? undefined
      : await prepareSlack({
          slack: config.slack as ConnectedSlackConfig,
          logger,
          installationStore: createInstallationStore(db.installations),
          ...(options.slackRetryConfig ? { retryConfig: options.slackRetryConfig } : {}),
        });
    const clients = setup?.clients ?? noSlackClients;
    const publisher = createEscalationPublisher({ clients, supportChannelId: config.supportChannelId, logger, attemptSpanMs: config.postClaimMs });
    const usergroups = createUsergroupDirectory(clients);
    // At the console the person at the keyboard runs the app, so they act as its admin.
    const policy = { adminUserIds: consoleMode ? [consoleActor.userId] : config.adminUserIds, adminUsergroupId: config.adminUsergroupId };
    // Xero's rate limits, shared through the database by every instance (retries and diagnosis alike).
    const callGate = db.xeroCallGate(scaledXeroLimits(config.xero.rateTimeScale));
    const noteHeadroom = (tenantId: string, headroom: XeroRateHeadroom) => {
      callGate.noteHeadroom(tenantId, headroom).catch((error: unknown) => logger.warn({ err: error, code: 'rate_headroom_not_recorded' }, 'could not record Xero rate-limit headroom'));
    };
    // xero-node and its OAuth client are a large part of the process's memory: loaded only when Xero is configured.
    const xero = config.xero.credentials ? (await import('./xero/xero-gateway.ts')).createXeroGateway(config.xero, undefined, noteHeadroom) : undefined;
    const tokenDeps: XeroTokenDeps = {
      tokenSets: db.tokenSets,
      // Without credentials nothing can be refreshed; token sets can only exist once Xero was configured.
      xero: xero ?? { refresh: () => Promise.reject(new Error('xero_not_configured')) },
      now,
    };
    const xeroAccess = createConnectionAccess({ ...tokenDeps, connections: db.connections });
    const retryLog = logger.child({ component: 'retry' });
    const retryWorker: RetryWorkerDeps | undefined = xero && {
      ...withCachedLookups({
        failedSyncs: db.failedSyncs,
        connections: db.connections,
        access: xeroAccess,
        xero,
        gate: callGate,
        classify: (error: { message: string; xeroBody?: unknown }) => classifyFailure(engine, error),
        now,
      }),
      queue: db.failedSyncs,
    };
    // The console has no Xero traffic of its own to send; a bot re-sends as soon as someone asks.
    const retryRunner = retryWorker && !consoleMode ? createRetryRunner(retryWorker, { onError: (error) => retryLog.error({ err: error, code: 'retry_drain_failed' }, 'a retry drain failed') }) : undefined;
    const retryNow = retryRunner ? () => retryRunner.kick() : undefined;
    const connect: XeroConnectDeps = {
      xero,
      oauthStates: db.oauthStates,
      tokenSets: db.tokenSets,
      xeroConnections: db.connections,
      failedSyncs: db.failedSyncs,
      retryRequests: db.retryRequests,
      ...(retryNow ? { retryNow } : {}),
      audit: db.audit,
      policy,
      usergroups,
      now,
    };
    const xeroNotices = createXeroNotices(clients, logger);
    const checkDeps: CheckConnectionDeps | undefined = xero && {
      connections: db.connections,
      exports: db.failedSyncs,
      xero,
      access: xeroAccess,
      now,
    };
    const health: HealthChecker | undefined = checkDeps && { check: (id, o) => checkConnection({ ...checkDeps, ...(o?.timeoutMs ? { timeoutMs: o.timeoutMs } : {}) }, id) };
    // Diagnosis reads count against the same per-organisation limits as retries (one gate on the database).
    const diagnosisXero = xero && withCallPermits(xero, callGate, `diagnosis-${randomUUID()}`);
    // A retry a fix queues reports where it was asked for; one nobody asked for goes to the alerts channel.
    const fixedRetries: FixedRetryDeps = {
      failedSyncs: {
        get: (id) => db.failedSyncs.get(id),
        // Re-send at once in this process (the scheduled job picks up whatever is left).
        queueForRetry: async (selection, requestId, at) => {
          const ids = await db.failedSyncs.queueForRetry(selection, requestId, at);
          if (ids.length) retryNow?.();
          return ids;
        },
      },
      retryRequests: db.retryRequests,
      alertsChannelId: config.alertsChannelId ?? null,
      now,
    };
    const referenceCache = createReferenceCache();
    const diagnosis: RestoreContactDeps | undefined = xero && diagnosisXero && {
      failedSyncs: { get: (id) => db.failedSyncs.get(id), recordFoundInXero: (id, xeroId, at) => db.diagnoses.recordFoundInXero(id, xeroId, at) },
      diagnoses: db.diagnoses,
      access: xeroAccess,
      xero: diagnosisXero,
      xeroWrites: diagnosisXero,
      cache: referenceCache,
      readyToRetry: readyToRetryThroughQueue(fixedRetries),
      waitingForCause: (connectionId, errorCode, limit) => db.diagnoses.waitingForCause(connectionId, errorCode, limit),
      queueFixed: (teamId, ids, where) => queueFixedFailures(fixedRetries, teamId, ids, where),
      now,
      policy,
      usergroups,
      audit: db.audit,
    };
    // Without Xero credentials deliveries are still recorded (the health line), nothing is re-diagnosed.
    const applyWebhookEvents = (events: WebhookEvent[]) =>
      diagnosis ? refreshFailuresForEvents({ waitingForTenant: (tenantId, limit) => db.diagnoses.waitingForTenant(tenantId, limit), diagnose: (id) => diagnoseFailure(diagnosis, id) }, events) : Promise.resolve(null);
    // The OpenAI SDK keeps about 5 MB resident: loaded only when OPENAI_API_KEY is set.
    const model = config.openai && {
      model: (await import('./llm/openai-model.ts')).createOpenAIModel(config.openai),
      timeoutMs: config.openai.timeoutMs,
      threadHistory: db.threadTurns,
    };
    // Buttons that cannot work here are left out of every answer.
    const capabilities = { xero: xero !== undefined, escalation: config.supportChannelId !== undefined };
    const support = createSupportService({
      health,
      diagnosis,
      diagnoses: db.diagnoses,
      webhooks: config.xero.webhookKey ? db.xeroWebhooks : undefined,
      engine,
      escalations: db.escalations,
      connections: db.connections,
      failedSyncs: db.failedSyncs,
      retryRequests: db.retryRequests,
      ...(retryNow ? { retryNow } : {}),
      xeroConfigured: capabilities.xero,
      feedback: db.feedback,
      processedEvents: db.slackEvents,
      audit: db.audit,
      publisher,
      conversations: db.caseConversations,
      answeredThreads: db.answeredThreads,
      knownCodes: articles.flatMap((a) => a.codes),
      connect,
      disconnect: { xero, access: xeroAccess, xeroConnections: db.connections, tokenSets: db.tokenSets, audit: db.audit, policy, usergroups, now },
      now,
      postLeaseMs: config.postClaimMs,
      usergroups,
      policy,
      model,
    });
    const work = createWorkTracker();
    const findArticle = (id: string) => findArticleSummary(engine, id);
    const posting = { escalations: db.escalations, connections: db.connections, publisher, findArticle, now };
    const postEscalation = (filed: FiledEscalation) => publishEscalation(posting, filed.escalation, filed.postClaim);
    const slack = setup ? createSlackApp(setup, { support, postEscalation, capabilities, logger, work, now }) : undefined;
    // ALERTS_CHANNEL_ID: connection health (the sweep) and failed exports (the intake) are announced there.
    const alerts =
      config.alertsChannelId && !consoleMode
        ? {
            store: db.healthAlerts,
            publisher: createAlertPublisher({
              clients,
              channelId: config.alertsChannelId,
              logger,
              getArticle: (id) => engine.getArticle(id),
              ...(diagnosis ? { describeFailure: async (id: string) => diagnosedLines(await diagnoseFailure(diagnosis, id)) } : {}),
              now,
            }),
          }
        : undefined;
    const alertLog = logger.child({ component: 'alerts' });
    // Posted right away rather than at the next sweep; claims keep two posters from posting one alert twice.
    const postAlertsNow = () =>
      alerts &&
      work.track(
        postAlerts({ alerts: alerts.store, publisher: alerts.publisher, owner: `intake:${randomUUID()}`, now }).catch((error: unknown) =>
          alertLog.warn({ err: error, code: 'alert_post_failed' }, 'could not post alerts'),
        ),
      );
    const intakeDeps: RecordSyncFailuresDeps = {
      engine,
      failedSyncs: db.failedSyncs,
      connections: db.connections,
      ...(alerts ? { onStored: alertOnNewFailures({ alerts: alerts.store, connections: db.connections, now, raised: postAlertsNow }) } : {}),
    };
    const http = createHttpServer({ port: config.port, logger });
    http.register(
      ...healthRoutes({ readiness: databaseReadiness(db), isClosing: () => http.closing }),
      ...(slack?.routes ?? []),
      ...(config.apiKey ? intakeRoutes({ apiKey: config.apiKey, deps: intakeDeps, logger }) : []),
      ...(config.xero.webhookKey ? xeroWebhookRoutes({ webhookKey: config.xero.webhookKey, deliveries: db.xeroWebhooks, apply: applyWebhookEvents, logger, now }) : []),
      xeroCallbackRoute({ redirectUri: config.xero.redirectUri, complete: (input) => completeConnect(connect, input), report: xeroNotices.reportConnected, logger }),
    );
    // Posting needs Slack, so the console runs no jobs. Cadences and budgets: config.jobs.
    const jobSpecs: JobSpec[] = consoleMode
      ? []
      : [
          {
            name: postPendingEscalations.jobName,
            ...config.jobs[postPendingEscalations.jobName],
            run: () =>
              postPendingEscalations.exec({ escalations: db.escalations, connections: db.connections, publisher, findArticle, now, postLeaseMs: config.postClaimMs }),
          },
          { name: pruneSlackEvents.jobName, ...config.jobs[pruneSlackEvents.jobName], run: () => pruneSlackEvents.exec({ processedEvents: db.slackEvents, now }) },
          { name: pruneJobRuns.jobName, ...config.jobs[pruneJobRuns.jobName], run: () => pruneJobRuns.exec({ jobRuns: db.jobRuns, now }) },
          { name: pruneThreadTurns.jobName, ...config.jobs[pruneThreadTurns.jobName], run: () => pruneThreadTurns.exec({ threadTurns: db.threadTurns, now }) },
          {
            name: pruneCaseConversations.jobName,
            ...config.jobs[pruneCaseConversations.jobName],
            run: () => pruneCaseConversations.exec({ conversations: db.caseConversations, answeredThreads: db.answeredThreads, now }),
          },
          ...(xero
            ? [
                {
                  name: refreshXeroTokens.jobName,
                  ...config.jobs[refreshXeroTokens.jobName],
                  run: () => refreshXeroTokens.exec({ tokens: tokenDeps, connect, deliverReconnectNotice: xeroNotices.sendReconnectLink }),
                },
              ]
            : []),
        ];
    if (diagnosis && !consoleMode) {
      jobSpecs.push({
        name: rediagnoseFailedSyncs.jobName,
        ...config.jobs[rediagnoseFailedSyncs.jobName],
        run: () =>
          rediagnoseFailedSyncs.exec({
            due: (before, limit) => db.diagnoses.dueForDiagnosis(Object.keys(diagnosableArticles), before, limit),
            lastDiagnoses: (ids) => db.diagnoses.listByFailedSyncs(ids),
            diagnose: (id, options) => diagnoseFailure(diagnosis, id, options),
            forgetCachedReads: () => referenceCache.forgetAll(),
            now,
          }),
      });
    }
    if (alerts) jobSpecs.push({ name: postPendingAlerts.jobName, ...config.jobs[postPendingAlerts.jobName], run: () => postPendingAlerts.exec({ alerts: alerts.store, publisher: alerts.publisher, now }) });
    if (health && !consoleMode) {
      const log = logger.child({ component: sweepConnectionHealth.jobName });
      jobSpecs.push({
        name: sweepConnectionHealth.jobName,
        ...config.jobs[sweepConnectionHealth.jobName],
        run: async () => {
          const result = await sweepConnectionHealth.exec({
            connections: db.connections,
            check: (id) => health.check(id),
            alerts,
            now,
            onCheckFailed: (connectionId, error) => log.error({ err: error, connectionId, code: 'health_check_failed' }, 'a connection health check failed'),
          });
          return result;
        },
      });
    }
    if (retryWorker && !consoleMode) {
      const settings = config.jobs[retryFailedSyncs.jobName];
      jobSpecs.push({
        name: retryFailedSyncs.jobName,
        ...settings,
        // Claims stop early enough for the exports in flight to finish inside the budget.
        run: () => retryFailedSyncs.exec({ worker: retryWorker, permits: callGate, budgetMs: settings.budgetMs * 0.75, onError: (error) => retryLog.error({ err: error, code: 'retry_failed' }, 'a retry failed') }),
      });
    }
    // Retry progress messages: every instance looks each second; the database lets one update a message per second.
    const retryProgress = createRetryProgressPublisher(clients, logger);
    const reportProgress = () =>
      reportRetryProgress({
        retryRequests: db.retryRequests,
        publish: retryProgress.publish,
        timeZoneOf: retryProgress.timeZoneOf,
        articleTitle: (id) => engine.getArticle(id)?.title,
        // Read only: Xero just refused the export, so re-queueing here could loop.
        ...(diagnosis ? { diagnose: async (id: string) => diagnosedLines(await diagnoseFailure(diagnosis, id, { requeue: false })) } : {}),
        now,
      }).catch((error: unknown) => retryLog.warn({ err: error, code: 'retry_progress_failed' }, 'could not report retry progress'));
    let progressTimer: NodeJS.Timeout | undefined;
    let jobs: RunningJobs | undefined;

    return {
      config,
      db,
      support,
      slack,
      http,
      work,
      xeroAccess,
      // Run now, outside any slot: no coordination.
      jobs: Object.fromEntries(jobSpecs.map((job) => [job.name, () => job.run({})])),
      async start() {
        const address = await http.listen();
        if (config.xero.webhookKey) {
          // Deliveries answered but never applied before the last stop.
          applyPendingWebhooks({ deliveries: db.xeroWebhooks, apply: applyWebhookEvents }).catch((error: unknown) =>
            logger.error({ err: error, code: 'webhook_apply_failed' }, 'could not apply webhook deliveries left from the last run'),
          );
        }
        await slack?.start();
        jobs = scheduleJobs(jobSpecs, logger, { coordinator: createRunCoordinator(db.jobRuns, { logger }) });
        if (setup) {
          let reporting = false;
          progressTimer = setInterval(() => {
            if (reporting) return;
            reporting = true;
            void reportProgress().finally(() => (reporting = false));
          }, 1000);
          progressTimer.unref();
        }
        return address.port;
      },
      runConsole: () =>
        runConsole({
          input: options.stdin ?? process.stdin,
          output: options.stdout ?? process.stdout,
          support,
          // The console files escalations itself, with or without a support channel.
          capabilities: { ...capabilities, escalation: true },
          logger,
          now,
          prompt: Boolean((options.stdin ?? process.stdin) === process.stdin && process.stdin.isTTY),
        }),
      async stop(timeoutMs) {
        const deadline = Date.now() + timeoutMs;
        const left = () => Math.max(0, deadline - Date.now());
        await Promise.all([http.close(left() / 2), slack?.stop().catch((error: unknown) => logger.warn({ err: error }, 'Socket Mode did not close cleanly'))]);
        clearInterval(progressTimer);
        await Promise.all([jobs?.stop(left() / 2), retryRunner?.stop()]);
        if (!(await work.drain(left()))) logger.warn({ pending: work.pending }, 'Slack work still running at shutdown was cut off');
        await db.close();
      },
    };
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }
}
