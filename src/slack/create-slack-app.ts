// Builds the Bolt app: the receiver (our HTTP receiver, or Socket Mode), how requests are
// authorised (one bot token, or OAuth installs from the database), the global middleware, the
// listeners, and the HTTP routes Slack needs. Nothing here decides what to answer; listeners call
// use-cases.
import type { Authorize } from '@slack/bolt';
import { App, SocketModeReceiver } from './bolt.ts';
import type { Logger as SlackLogger } from '@slack/logger';
import type { InstallProvider, InstallationStore } from '@slack/oauth';
import { WebClient, type RetryOptions, type WebClientOptions } from '@slack/web-api';
import type { SlackConfig } from '../config.ts';
import type { Route } from '../http-server.ts';
import type { Logger } from '../logger.ts';
import type { FiledEscalation } from '../support/escalate.ts';
import type { SupportService } from '../support/support-service.ts';
import { createBoltLogger, slackLogLevel } from './bolt-logger.ts';
import type { Capabilities } from './blocks/answer-blocks.ts';
import { registerListeners } from './listeners/index.ts';
import { dropDuplicateEvents } from './middleware/drop-duplicate-events.ts';
import { onlyMatchingListeners } from './middleware/only-matching-listeners.ts';
import { trackWork, type WorkTracker } from './middleware/track-work.ts';
import { botScopes } from './scopes.ts';
import { guardSocketMode } from './socket-mode-guard.ts';
import { createSlackHttpReceiver } from './slack-http-receiver.ts';
import { installedWorkspaceClients, singleWorkspaceClients, webClientOptions, type SlackClients } from './slack-clients.ts';
import { describeSlackError } from './web-api-errors.ts';

export const eventsPath = '/slack/events';
export const installPath = '/slack/install';
export const oauthRedirectPath = '/slack/oauth_redirect';
/** Slack's payloads are a few KB; anything near this is not from Slack. */
export const bodyLimitBytes = 1024 * 1024;

export class SlackStartupError extends Error {
  readonly code: 'slack_token_rejected' | 'slack_unreachable' | 'slack_installation_store_missing';
  constructor(code: SlackStartupError['code'], message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SlackStartupError';
    this.code = code;
  }
}

export type ConnectedSlackConfig = SlackConfig & { mode: 'http' | 'socket' };

export interface SlackSetupOptions {
  slack: ConnectedSlackConfig;
  logger: Logger;
  /** Required with OAuth: where installations live (the database). */
  installationStore?: InstallationStore;
  /** Tests shorten Web API retries. */
  retryConfig?: RetryOptions;
}

/** Everything about talking to Slack that the use-cases need too (clients for the publisher). */
export interface SlackSetup {
  slack: ConnectedSlackConfig;
  boltLogger: SlackLogger;
  clientOptions: WebClientOptions;
  clients: SlackClients;
  installer: InstallProvider | undefined;
  /** The bot behind SLACK_BOT_TOKEN; undefined with OAuth (each workspace has its own). */
  identity: { botId: string; botUserId: string; teamId: string } | undefined;
}

/** Checks the bot token with auth.test (single workspace) and prepares clients. */
export async function prepareSlack(options: SlackSetupOptions): Promise<SlackSetup> {
  const { slack } = options;
  const boltLogger = createBoltLogger(options.logger);
  const clientOptions = webClientOptions({ apiUrl: slack.apiUrl, logger: boltLogger, ...(options.retryConfig ? { retryConfig: options.retryConfig } : {}) });
  if (slack.oauth) {
    if (!options.installationStore) throw new SlackStartupError('slack_installation_store_missing', 'OAuth install needs an installation store (the database).');
    // Loaded only here: a bot installed with one token never needs the installer (see ./bolt.ts).
    const { InstallProvider } = await import('@slack/oauth');
    const installer = new InstallProvider({
      clientId: slack.oauth.clientId,
      clientSecret: slack.oauth.clientSecret,
      stateSecret: slack.oauth.stateSecret,
      installationStore: options.installationStore,
      logger: boltLogger,
      clientOptions,
      installUrlOptions: { scopes: [...botScopes] },
    });
    return { slack, boltLogger, clientOptions, clients: installedWorkspaceClients(options.installationStore, clientOptions), installer, identity: undefined };
  }
  const token = slack.botToken!;
  let auth;
  try {
    auth = await new WebClient(token, clientOptions).auth.test();
  } catch (error) {
    const { code, detail } = describeSlackError(error);
    if (code === 'slack_not_connected' || code === 'slack_error') {
      throw new SlackStartupError(
        'slack_token_rejected',
        `Slack rejected SLACK_BOT_TOKEN (${detail}). Copy the Bot User OAuth Token (xoxb-...) again from your app's "OAuth & Permissions" page, and reinstall the app if it was removed.`,
        { cause: error },
      );
    }
    throw new SlackStartupError('slack_unreachable', `Could not reach Slack at ${slack.apiUrl ?? 'https://slack.com/api/'} to check SLACK_BOT_TOKEN (${detail}).`, {
      cause: error,
    });
  }
  return {
    slack,
    boltLogger,
    clientOptions,
    clients: singleWorkspaceClients(token, clientOptions),
    installer: undefined,
    identity: { botId: auth.bot_id ?? '', botUserId: auth.user_id ?? '', teamId: auth.team_id ?? '' },
  };
}

export interface SlackAppOptions {
  support: SupportService;
  /** Posts a filed case, after the acknowledgement. */
  postEscalation(filed: FiledEscalation): Promise<unknown>;
  capabilities: Capabilities;
  logger: Logger;
  work: WorkTracker;
  now?: () => Date;
}

export interface SlackApp {
  app: App;
  /** Slack's HTTP endpoints, for the HTTP server: events (HTTP mode) and the OAuth install pages. */
  routes: Route[];
  /** Socket Mode: connects. HTTP mode: nothing to do, the HTTP server receives. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * One workspace: every request is answered with the one bot token. Naming the team here keeps
 * Bolt from building a Web API client for each team id a request claims (a signed request could
 * claim thousands), which is what grew memory under hostile traffic.
 */
function singleWorkspaceAuthorize(botToken: string, identity: SlackSetup['identity']): Authorize<boolean> {
  // A new object per request: Bolt writes the request's user and enterprise into it.
  return async () => ({
    botToken,
    ...(identity?.botId ? { botId: identity.botId } : {}),
    ...(identity?.botUserId ? { botUserId: identity.botUserId } : {}),
    ...(identity?.teamId ? { teamId: identity.teamId } : {}),
  });
}

export function createSlackApp(setup: SlackSetup, options: SlackAppOptions): SlackApp {
  const { slack, boltLogger, clientOptions } = setup;
  const log = options.logger.child({ component: 'slack' });
  const httpReceiver =
    slack.mode === 'http' ? createSlackHttpReceiver({ signingSecret: slack.signingSecret!, logger: options.logger, bodyLimitBytes: bodyLimitBytes }) : undefined;
  const receiver =
    httpReceiver ?? guardSocketMode(new SocketModeReceiver({ appToken: slack.appToken!, logger: boltLogger, installerOptions: { clientOptions } }), options.logger);

  const app = new App({
    receiver,
    logger: boltLogger,
    logLevel: slackLogLevel(options.logger.level),
    clientOptions,
    // Bolt's conversation store is unused here and costs time on every request.
    convoStore: false,
    authorize: setup.installer ? setup.installer.authorize.bind(setup.installer) : singleWorkspaceAuthorize(slack.botToken!, setup.identity),
  });

  app.use(trackWork(options.work));
  app.use(dropDuplicateEvents(options.support, log));
  registerListeners(app, { support: options.support, postEscalation: options.postEscalation, capabilities: options.capabilities, logger: options.logger, now: options.now ?? (() => new Date()) });
  // Last, after the listeners' own global middleware (the assistant's): narrows the chains Bolt runs.
  app.use(onlyMatchingListeners(app));
  app.error(async (error) => {
    log.error({ err: error.original ?? error, code: error.code }, 'a Slack listener failed');
  });

  const routes: Route[] = [];
  if (httpReceiver) routes.push({ method: 'POST', path: eventsPath, handle: httpReceiver.handle });
  const installer = setup.installer;
  if (installer) {
    routes.push(
      { method: 'GET', path: installPath, handle: (req, res) => installer.handleInstallPath(req, res, {}, { scopes: [...botScopes] }) },
      { method: 'GET', path: oauthRedirectPath, handle: (req, res) => installer.handleCallback(req, res) },
    );
  }

  return {
    app,
    routes,
    async start() {
      if (slack.mode === 'socket') await app.start();
    },
    async stop() {
      if (slack.mode === 'socket') await app.stop();
    },
  };
}
