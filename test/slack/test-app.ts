// Starts the whole application as `npm start` would (real config parsing, real SQLite file, real
// Bolt receiver on a free port) against the fake Slack, and hands tests a signed-request sender.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createApplication, type Application } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { FakeSlack, type FakeSlackOptions } from '../../dev/fake-slack-api.ts';
import { SlackRequests } from '../../dev/slack-requests.ts';

export const signingSecret = 'test-signing-secret-0123456789abcdef';
export const botToken = 'xoxb-test-bot-token-000000';
export const supportChannel = 'C0SUPPORT01';
export const adminUser = 'U0ADMIN001';
export const groupAdmin = 'U0GROUPADM';
export const adminGroup = 'S0ADMINS01';

export interface TestApp {
  app: Application;
  fake: FakeSlack;
  slack: SlackRequests;
  baseUrl: string;
  /** Every JSON log line written so far. */
  logs: string[];
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Added to the defaults; undefined removes a default (SUPPORT_CHANNEL_ID: undefined). */
  env?: Record<string, string | undefined>;
  fake?: FakeSlackOptions;
  now?: () => Date;
}

/** Stores a healthy-looking Xero connection for the fake workspace, as a connect would. */
export async function addConnection(t: TestApp, tenant: { id: string; name: string; connectionId?: string; scopes?: string[] }): Promise<void> {
  const tokenSet = await t.app.db.tokenSets.create({
    slackTeamId: t.fake.teamId,
    tokens: { accessToken: 'a', refreshToken: 'r', idToken: undefined, expiresAt: new Date(Date.now() + 1800_000), scopes: tenant.scopes ?? [] },
    connectedBySlackUserId: 'U0USER0001',
  });
  await t.app.db.connections.upsert({
    slackTeamId: t.fake.teamId,
    tenantId: tenant.id,
    tenantName: tenant.name,
    tenantType: 'ORGANISATION',
    xeroConnectionId: tenant.connectionId ?? `conn-${tenant.id}`,
    tokenSetId: tokenSet.id,
  });
}

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const fake = await FakeSlack.start({ usergroups: { [adminGroup]: [groupAdmin] }, ...options.fake });
  const dataDir = mkdtempSync(join(tmpdir(), 'concierge-slack-test-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    SLACK_BOT_TOKEN: botToken,
    SLACK_SIGNING_SECRET: signingSecret,
    SLACK_API_URL: fake.apiUrl,
    PORT: '0',
    CONCIERGE_DATA_DIR: dataDir,
    SUPPORT_CHANNEL_ID: supportChannel,
    CONCIERGE_ADMIN_USER_IDS: adminUser,
    CONCIERGE_ADMIN_USERGROUP_ID: adminGroup,
    LOG_LEVEL: 'debug',
    ...options.env,
  });
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const logger = createLogger({ level: config.logLevel, secrets: config.secrets, destination });
  const app = await createApplication(config, {
    logger,
    slackRetryConfig: { retries: 2, factor: 1, minTimeout: 10, maxTimeout: 20 },
    ...(options.now ? { now: options.now } : {}),
  });
  const port = await app.start();
  const baseUrl = `http://127.0.0.1:${port}`;
  const slack = new SlackRequests(baseUrl, config.slack.signingSecret ?? signingSecret, (id) => fake.responseUrl(id), { teamId: fake.teamId, userId: 'U0USER0001', channelId: 'C0CHAN0001' });
  return {
    app,
    fake,
    slack,
    baseUrl,
    logs,
    async close() {
      await app.stop(2_000);
      await fake.close();
      rmSync(dataDir, { recursive: true, force: true });
      // A call the fake could not answer means the app used Slack in a way no test covers.
      if (fake.refusals.length) throw new Error(`The fake Slack refused calls:\n${fake.refusals.join('\n')}`);
    },
  };
}

/** Lets work that runs after the acknowledgement finish. */
export async function settle(app: Application): Promise<void> {
  await app.work.drain(5_000);
}

export function blocksText(blocks: unknown): string {
  return JSON.stringify(blocks ?? []);
}
