// `npm run bench:fuzz`: the bot runs as `npm start` runs it (bin/start.js in its own process, the
// same Node flags) against the fake Slack, and receives thousands of fuzzed but validly signed
// requests (every request kind mutated: fields dropped or replaced, nulls, wrong types, huge
// strings, garbage bodies, timestamps out of the window, unseen ids) at a bounded concurrency.
// Prints the answers by HTTP status, the 5xx count (target 0), requests unanswered within 3 s
// (target 0) and the bot's peak RSS sampled during the run (targets: under 200 MB, and at most
// 40 MB over a bare Bolt app that only acknowledges /concierge, loaded with as many signed
// commands at the same concurrency in the same run), each peak split into anonymous memory and
// pages mapped from files (the node binary, ICU's data in it, native modules); exits 1 when a
// target is missed.
// Options: --requests 6000 --concurrency 8 --seed 1 --huge-bytes 300000, --node-flags="FLAGS" (the
// bot's Node flags instead of npm start's, to compare them).
import { fork, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/index.ts';
import { FakeSlack } from '../dev/fake-slack-api.ts';
import { botEnvironment, playground } from '../dev/slack-playground.ts';
import { runFuzz } from '../dev/slack-fuzz.ts';
import { SlackRequests } from '../dev/slack-requests.ts';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '6000' },
    concurrency: { type: 'string', default: '8' },
    seed: { type: 'string', default: '1' },
    'huge-bytes': { type: 'string', default: '300000' },
    'node-flags': { type: 'string' },
  },
});
const count = Number(values.requests);
const concurrency = Number(values.concurrency);
const seed = Number(values.seed);
const hugeBytes = Number(values['huge-bytes']);
for (const [name, value] of Object.entries({ requests: count, concurrency, seed, 'huge-bytes': hugeBytes })) {
  if (!Number.isInteger(value) || value < (name === 'seed' ? 0 : 1)) throw new Error(`--${name} must be a positive whole number`);
}
const rssTargetMb = 200;
const overBareTargetMb = 40;
const deadlineMs = 3_000;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** RSS in bytes, and how much of it is anonymous memory (heaps) and pages mapped from files (the node binary's code and ICU data, libraries). */
interface Rss {
  total: number;
  anonymous: number;
  files: number;
}

function rss(pid: number): Rss {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
  return { total: kb('VmRSS'), anonymous: kb('RssAnon'), files: kb('RssFile') + kb('RssShmem') };
}

const higher = (a: Rss, b: Rss) => (b.total > a.total ? b : a);

const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };
const startNodeFlags = (values['node-flags'] ?? packageJson.scripts.start!).split(/\s+/).filter((word) => word.startsWith('--'));
const dataDir = mkdtempSync(join(tmpdir(), 'concierge-fuzz-'));
// Migrated first, as the database is on every start but the first.
await (await openDatabase(loadConfig({ CONCIERGE_DATA_DIR: dataDir }), { warn: () => {} })).close();
const fake = await FakeSlack.start({ record: false });
const port = await freePort();
const bot = spawn(process.execPath, [...startNodeFlags, new URL('../bin/start.js', import.meta.url).pathname], {
  env: { ...process.env, ...botEnvironment(fake.apiUrl), PORT: String(port), CONCIERGE_DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const logCounts = { warn: 0, error: 0 };
let pending = '';
bot.stdout!.on('data', (chunk: Buffer) => {
  const lines = (pending + chunk.toString('utf8')).split('\n');
  pending = lines.pop()!;
  for (const line of lines) {
    if (line.includes('"level":40')) logCounts.warn += 1;
    else if (/"level":(50|60)/.test(line)) logCounts.error += 1;
  }
});
const exited = new Promise<number | null>((resolve) => bot.once('exit', resolve));

/** Peak RSS of a bare Bolt app (bench/slack-server.js) answering `count` signed /concierge commands, `concurrency` at a time. */
async function bareBoltPeakRss(apiUrl: string): Promise<Rss> {
  const bare = fork(new URL('./slack-server.js', import.meta.url).pathname, ['bare', apiUrl, playground.signingSecret, playground.botToken, dataDir], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  const bareExited = new Promise((resolve) => bare.once('exit', resolve));
  try {
    const barePort = await new Promise<number>((resolve, reject) => {
      let buffer = '';
      bare.stdout!.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const line = buffer.split('\n').find((l) => l.startsWith('{"port"'));
        if (line) resolve((JSON.parse(line) as { port: number }).port);
      });
      bare.once('exit', (code) => reject(new Error(`the bare Bolt app exited with ${code}`)));
    });
    const requests = new SlackRequests(`http://127.0.0.1:${barePort}`, playground.signingSecret, (id) => fake.responseUrl(id), { teamId: fake.teamId, userId: playground.userId, channelId: playground.channelId });
    let peak = rss(bare.pid!);
    const sampling = setInterval(() => (peak = higher(peak, rss(bare.pid!))), 50);
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next++ < count) await (await requests.command(`XERO01 on report R-${next}`)).response.arrayBuffer();
      }),
    );
    clearInterval(sampling);
    return higher(peak, rss(bare.pid!));
  } finally {
    bare.send('stop');
    await bareExited;
  }
}

let peak: Rss = { total: 0, anonymous: 0, files: 0 };
const sampler = setInterval(() => {
  try {
    peak = higher(peak, rss(bot.pid!));
  } catch {
    // The bot exited; the run reports it.
  }
}, 50);

try {
  const baseUrl = `http://127.0.0.1:${port}`;
  const ready = Date.now() + 30_000;
  for (;;) {
    const ok = await fetch(`${baseUrl}/healthz`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > ready || bot.exitCode !== null) throw new Error('the bot did not start within 30 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const startRss = rss(bot.pid!).total;
  const slack = new SlackRequests(baseUrl, playground.signingSecret, (id) => fake.responseUrl(id), { teamId: fake.teamId, userId: playground.userId, channelId: playground.channelId });
  const started = performance.now();
  const results = await runFuzz(slack, { seed, count, concurrency, deadlineMs, hugeBytes });
  const seconds = (performance.now() - started) / 1000;
  const endRss = rss(bot.pid!).total;
  clearInterval(sampler);
  const barePeak = await bareBoltPeakRss(fake.apiUrl);

  const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
  const serverErrors = results.serverErrors.length;
  const unanswered = results.unanswered.length;
  const mark = (ok: boolean) => (ok ? 'met' : 'MISSED');
  console.log(`bench:fuzz: ${results.sent} fuzzed, signed requests (seed ${seed}), concurrency ${concurrency}, in ${seconds.toFixed(1)} s (${(results.sent / seconds).toFixed(0)} req/s)`);
  console.log(`answers by status: ${[...results.byStatus].sort(([a], [b]) => a - b).map(([status, n]) => `${status}: ${n}`).join(', ')}`);
  console.log(`bot log lines: ${logCounts.warn} warn, ${logCounts.error} error`);
  console.log(`5xx answers: ${serverErrors} (target 0: ${mark(serverErrors === 0)})`);
  for (const label of [...new Set(results.serverErrors)].slice(0, 10)) console.log(`  5xx for ${label}`);
  console.log(`unanswered within ${deadlineMs / 1000} s: ${unanswered} (target 0: ${mark(unanswered === 0)})`);
  for (const { label, reason } of results.unanswered.slice(0, 10)) console.log(`  ${label}: ${reason}`);
  const overBare = (peak.total - barePeak.total) / 1024 / 1024;
  const rssMet = peak.total < rssTargetMb * 1024 * 1024 && overBare <= overBareTargetMb;
  const split = (r: Rss) => `anonymous ${mb(r.anonymous)}, from files ${mb(r.files)}`;
  const signed = (bytes: number) => `${bytes >= 0 ? '+' : ''}${mb(bytes)}`;
  console.log(`bot RSS: ${mb(startRss)} MB at start, ${mb(endRss)} MB at the end, peak ${mb(peak.total)} MB (${split(peak)}; target < ${rssTargetMb}: ${mark(peak.total < rssTargetMb * 1024 * 1024)})`);
  console.log(
    `bare Bolt app, ${count} signed /concierge commands at concurrency ${concurrency}: peak ${mb(barePeak.total)} MB (${split(barePeak)}); ` +
      `the bot's fuzz peak is ${overBare >= 0 ? '+' : ''}${overBare.toFixed(0)} MB over it (target <= +${overBareTargetMb}: ${mark(overBare <= overBareTargetMb)}): ` +
      `anonymous ${signed(peak.anonymous - barePeak.anonymous)}, from files ${signed(peak.files - barePeak.files)}`,
  );
  process.exitCode = serverErrors === 0 && unanswered === 0 && rssMet ? 0 : 1;
} finally {
  clearInterval(sampler);
  bot.kill('SIGTERM');
  await exited;
  await fake.close();
  rmSync(dataDir, { recursive: true, force: true });
}
