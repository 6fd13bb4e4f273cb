// One server for `npm run bench:slack`, in its own process so its memory is its own:
// "bare" is a Bolt app that only acknowledges /concierge (it loads nothing of ours, or its memory
// would not be a baseline); "ours" is the whole application. Prints {"port":N} when listening.
// IPC: "profile-start" / "profile-stop" sample the CPU as --cpu-prof does (stop answers with the
// profile), "stop" exits. The parent creates and migrates the database first, as it is on every
// start after the first.
import type { Server } from 'node:http';
import type { Session } from 'node:inspector/promises';
import type { AddressInfo } from 'node:net';

const [kind = 'ours', apiUrl = '', secret = '', token = '', dataDir = ''] = process.argv.slice(2);
let stop: () => Promise<void>;
let port: number;

if (kind === 'bare') {
  const { App } = await import('@slack/bolt');
  const app = new App({ signingSecret: secret, token, botId: 'B0BOT00001', botUserId: 'U0BOT00001', clientOptions: { slackApiUrl: apiUrl } });
  app.command('/concierge', async ({ ack }) => {
    await ack();
  });
  const server = (await app.start(0)) as Server;
  port = (server.address() as AddressInfo).port;
  stop = () => app.stop() as Promise<void>;
} else {
  const [{ createApplication }, { loadConfig }, { createLogger }] = await Promise.all([import('../src/app.ts'), import('../src/config.ts'), import('../src/logger.ts')]);
  const config = loadConfig({ SLACK_BOT_TOKEN: token, SLACK_SIGNING_SECRET: secret, SLACK_API_URL: apiUrl, PORT: '0', CONCIERGE_DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
  const app = await createApplication(config, { logger: createLogger({ level: 'warn', secrets: config.secrets }) });
  port = await app.start();
  stop = () => app.stop(5_000);
}

let profiler: Session | undefined;
process.on('message', (message) => {
  if (message === 'profile-start') {
    void (async () => {
      const inspector = await import('node:inspector/promises');
      profiler = new inspector.Session();
      profiler.connect();
      await profiler.post('Profiler.enable');
      // --cpu-prof's default sampling interval.
      await profiler.post('Profiler.setSamplingInterval', { interval: 1000 });
      await profiler.post('Profiler.start');
      process.send?.('profiling');
    })();
  }
  if (message === 'profile-stop' && profiler) {
    void profiler.post('Profiler.stop').then(({ profile }) => {
      profiler?.disconnect();
      process.send?.(profile);
    });
  }
  if (message === 'stop') void stop().then(() => process.exit(0));
});
process.stdout.write(`${JSON.stringify({ port })}\n`);
