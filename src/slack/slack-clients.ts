// Web API clients for work that happens outside a Bolt listener (posting escalations from the
// re-post job, admin group lookups): one token per workspace, from the environment or from the
// installation stored at OAuth install.
import type { InstallationStore } from '@slack/oauth';
import { WebClient, type RetryOptions, type WebClientOptions } from '@slack/web-api';
import type { Logger as SlackLogger } from '@slack/logger';
import { nodeHttpFetch } from './node-http-fetch.ts';

export interface SlackClients {
  /**
   * Null when this workspace has no usable token (not installed, or no Slack at all). With
   * `onceOnly`, the client never repeats a call by itself: for posts that must happen once, since
   * a retried chat.postMessage whose first answer was lost (timeout, 5xx after storing) posts twice.
   * Their callers stamp the attempt first and look the message up before trying again.
   */
  forTeam(teamId: string, options?: { onceOnly?: boolean }): Promise<WebClient | null>;
}

/** A few quick retries: people are waiting, and unposted escalations are re-posted by a job anyway. */
export const defaultRetryConfig: RetryOptions = { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 5_000, randomize: true };
/** For once-only posts: one request per call, whatever happens to its answer. */
export const onceOnlyRetryConfig: RetryOptions = { retries: 0 };

export interface WebClientSettings {
  apiUrl: string | undefined;
  logger: SlackLogger;
  retryConfig?: RetryOptions;
}

export function webClientOptions(settings: WebClientSettings): WebClientOptions {
  const options: WebClientOptions = {
    logger: settings.logger,
    retryConfig: settings.retryConfig ?? defaultRetryConfig,
    timeout: 10_000,
    // Absolute URLs as method names would bypass SLACK_API_URL; nothing here needs them.
    allowAbsoluteUrls: false,
    fetch: nodeHttpFetch,
  };
  if (settings.apiUrl) options.slackApiUrl = settings.apiUrl;
  return options;
}

export function singleWorkspaceClients(token: string, options: WebClientOptions): SlackClients {
  const client = new WebClient(token, options);
  const onceOnly = new WebClient(token, { ...options, retryConfig: onceOnlyRetryConfig });
  return { forTeam: async (_teamId, use) => (use?.onceOnly ? onceOnly : client) };
}

export function installedWorkspaceClients(store: InstallationStore, options: WebClientOptions): SlackClients {
  const clients = new Map<string, WebClient>();
  return {
    async forTeam(teamId, use) {
      let installation;
      try {
        installation = await store.fetchInstallation({ teamId, enterpriseId: undefined, isEnterpriseInstall: false });
      } catch {
        return null;
      }
      const token = installation.bot?.token;
      if (!token) return null;
      const key = `${teamId}:${token}:${use?.onceOnly ? 'once' : 'retrying'}`;
      let client = clients.get(key);
      if (!client) {
        client = new WebClient(token, { ...options, teamId, ...(use?.onceOnly ? { retryConfig: onceOnlyRetryConfig } : {}) });
        clients.set(key, client);
      }
      return client;
    },
  };
}

export const noSlackClients: SlackClients = { forTeam: async () => null };
