// One server for `npm run bench:slack`, in its own process so its memory is its own:
// "bare" is a Bolt app that only acknowledges /concierge; "ours" is the whole application.
// Prints {"port":N} when listening; answers an IPC "rss" message with process.memoryUsage(). The parent
// creates and migrates the database first, as it is on every start after the first.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App } from '@slack/bolt';
import { createApplication } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';

const [kind = 'ours', apiUrl = '', secret = '', token = '', dataDir = ''] = process.argv.slice(2);
let stop: () => Promise<void>;
let port: number;

if (kind === 'bare') {
  const app = new App({ signingSecret: secret, token, botId: 'B0BOT00001', botUserId: 'U0BOT00001', clientOptions: { slackApiUrl: apiUrl } });
  app.command('/concierge', async ({ ack }) => {
    await ack();
  });
  const server = (await app.start(0)) as Server;
  port = (server.address() as AddressInfo).port;
  stop = () => app.stop() as Promise<void>;
} else {
  const config = loadConfig({ SLACK_BOT_TOKEN: token, SLACK_SIGNING_SECRET: secret, SLACK_API_URL: apiUrl, PORT: '0', CONCIERGE_DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
  const app = await createApplication(config, { logger: createLogger({ level: 'warn', secrets: config.secrets }) });
  port = await app.start();
  stop = () => app.stop(5_000);
}

process.on('message', (message) => {
  if (message === 'rss') process.send?.(process.memoryUsage());
  if (message === 'stop') void stop().then(() => process.exit(0));
});
process.stdout.write(`${JSON.stringify({ port })}\n`);
