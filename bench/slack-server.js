// One server for `npm run bench:slack`, in its own process so its memory is its own. Plain
// JavaScript, so the bare app does not load Node's type stripper, nor ours when it runs from dist/.
// "bare" is a Bolt app that only acknowledges /concierge (it loads nothing of ours, or its memory
// would not be a baseline); "ours" is the whole application started by main.ts as `npm start`
// starts it, from the bundle in dist/ when current (bin/compiled.js), configured by the
// environment. Prints {"port":N,"compiled":bool,"steps":[...]} when listening; ours reports its RSS
// before loading any of our code and once started ("steps").
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

/** A port nobody listens on now. */
async function freePort() {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: free } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return free;
}

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
  port = await freePort();
  // As `npm start` runs it: configured by the environment, started by main.ts (the bundle in dist/ when current).
  Object.assign(process.env, { SLACK_BOT_TOKEN: token, SLACK_SIGNING_SECRET: secret, SLACK_API_URL: apiUrl, PORT: String(port), CONCIERGE_DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
  await import(entryUrl('main.ts', compiled));
  step('started (code, database, knowledge, Slack, listening)');
  // main.ts stops the application and exits on SIGTERM.
  stop = () => {
    process.kill(process.pid, 'SIGTERM');
    return new Promise(() => {});
  };
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
