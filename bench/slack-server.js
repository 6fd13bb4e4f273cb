// One server for `npm run bench:slack`, in its own process so its memory is its own. Plain
// JavaScript, so the bare app does not load Node's type stripper, nor ours when it runs from dist/.
// "bare" is a Bolt app that only acknowledges /concierge (it loads nothing of ours, or its memory
// would not be a baseline); "ours" is the whole application, from dist/ when current as
// `npm start` runs it (bin/compiled.js). Prints {"port":N,"compiled":bool,"steps":[...]} when listening.
// Ours also reports its RSS after each start-up step ("steps"): the modules it loads first, in the
// order the application needs them, then building the application and listening.
// IPC: "profile-start" / "profile-stop" sample the CPU as --cpu-prof does (stop answers with the
// profile), "stop" exits. The parent creates and migrates the database first, as it is on every
// start after the first.
const [kind = 'ours', apiUrl = '', secret = '', token = '', dataDir = ''] = process.argv.slice(2);
let stop;
let port;
let compiled = false;
/** [step, RSS in bytes] after each start-up step of ours. */
const steps = [];
const step = (name) => steps.push([name, process.memoryUsage.rss()]);

if (kind === 'bare') {
  const { App } = await import('@slack/bolt');
  const app = new App({ signingSecret: secret, token, botId: 'B0BOT00001', botUserId: 'U0BOT00001', clientOptions: { slackApiUrl: apiUrl } });
  app.command('/concierge', async ({ ack }) => {
    await ack();
  });
  const server = await app.start(0);
  port = server.address().port;
  stop = () => app.stop();
} else {
  step('Node');
  const { distIsCurrent, entryUrl } = await import('../bin/compiled.js');
  compiled = distIsCurrent();
  const load = (file) => import(entryUrl(file, compiled));
  const [{ loadConfig }, { createLogger }] = await Promise.all([load('config.ts'), load('logger.ts')]);
  step('config, logger');
  await load('db/index.ts');
  step('src/db');
  // What opening the SQLite database loads first (src/db/prisma-client.ts).
  await Promise.all([load('db/generated/sqlite/client.ts'), load('db/libsql-without-leaks.ts')]);
  step('Prisma client, driver');
  // The parts of Bolt the app runs (src/slack/bolt.ts), not Bolt's index.
  await load('slack/bolt.ts');
  step('Bolt');
  const { createApplication } = await load('app.ts');
  step('rest of src/');
  const config = loadConfig({ SLACK_BOT_TOKEN: token, SLACK_SIGNING_SECRET: secret, SLACK_API_URL: apiUrl, PORT: '0', CONCIERGE_DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
  const app = await createApplication(config, { logger: createLogger({ level: 'warn', secrets: config.secrets }) });
  step('built (database, knowledge, Slack)');
  port = await app.start();
  step('listening');
  stop = () => app.stop(5_000);
}

let profiler;
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
      profiler.disconnect();
      process.send?.(profile);
    });
  }
  if (message === 'stop') void stop().then(() => process.exit(0));
});
process.stdout.write(`${JSON.stringify({ port, compiled, steps })}\n`);
