// `npm run bench:slack`: signed slash commands (/concierge <question>) sent at a fixed
// concurrency to the HTTP receiver of a bare Bolt app that only acknowledges, and of the whole
// application, in the same run and on the same fake Slack. Each server runs in its own process.
// Prints throughput, acknowledgement latency p50/p99 and the server's RSS after the run, with
// the targets beside them (printed, not asserted: the machine is noisy and only the same-run
// ratio counts). Options: --requests 3000 --concurrency 10 --rounds 3 --client http|fetch.
// Our server gets the Node flags of `npm start`; NODE_OPTIONS applies to both servers.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'node:http';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/index.ts';
import { loadKnowledge } from '../src/knowledge/load-knowledge.ts';
import { FakeSlack } from '../dev/fake-slack-api.ts';
import { slackSignature } from '../dev/slack-requests.ts';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '3000' },
    concurrency: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '3' },
    client: { type: 'string', default: 'http' },
  },
});
if (values.client !== 'http' && values.client !== 'fetch') throw new Error('--client must be http (a lean keep-alive client) or fetch (Node\'s fetch)');
const total = Number(values.requests);
const concurrency = Number(values.concurrency);
const rounds = Number(values.rounds);
const secret = 'bench-signing-secret-0123456789abcdef';
const token = 'xoxb-bench-token';
// What people type: every code and every way of describing a problem the knowledge base knows.
// Made unique, no two requests carry the same text, so nothing can be served from memory of an earlier one.
const questions = loadKnowledge(new URL('../knowledge/', import.meta.url).pathname).flatMap((a) => [...a.codes.map((c) => `${c} on my report`), ...a.symptoms]);
const dataDir = mkdtempSync(join(tmpdir(), 'concierge-bench-'));
const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };
const startNodeFlags = packageJson.scripts.start!.split(/\s+/).filter((word) => word.startsWith('--'));

interface Server {
  name: string;
  child: ChildProcess;
  port: number;
}

async function startServer(kind: 'bare' | 'ours', apiUrl: string): Promise<Server> {
  // Ours runs with the Node flags `npm start` uses; the bare app with Node's defaults.
  const execArgv = kind === 'ours' ? [...process.execArgv, ...startNodeFlags] : process.execArgv;
  const child = fork(new URL('./slack-server.ts', import.meta.url).pathname, [kind, apiUrl, secret, token, dataDir], { execArgv, stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve, reject) => {
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const line = buffer.split('\n').find((l) => l.startsWith('{"port"'));
      if (line) resolve((JSON.parse(line) as { port: number }).port);
    });
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
  });
  return { name: kind === 'bare' ? 'bare Bolt app' : 'xero-concierge', child, port };
}

function ask<T>(server: Server, message: string): Promise<T> {
  return new Promise((resolve) => {
    server.child.once('message', (reply) => resolve(reply as T));
    server.child.send(message);
  });
}

/** "repeated": the question list over and over; "unique": each question made one of a kind. */
type Mix = 'repeated' | 'unique';
let sequence = 0;

function commandBody(i: number, mix: Mix): string {
  const question = questions[i % questions.length]!;
  return new URLSearchParams({
    token: 'unused',
    team_id: 'T0TEAM0001',
    team_domain: 'bench',
    channel_id: 'C0BENCH001',
    channel_name: 'finance',
    user_id: 'U0USER0001',
    user_name: 'pat',
    command: '/concierge',
    text: mix === 'unique' ? `${question} (report R-${++sequence})` : question,
    api_app_id: 'A0APP00001',
    is_enterprise_install: 'false',
    response_url: responseUrl,
    trigger_id: `trigger-${i}`,
  }).toString();
}

async function loadWithFetch(port: number, count: number, mix: Mix): Promise<{ latencies: number[]; seconds: number }> {
  const latencies: number[] = [];
  let next = 0;
  const url = `http://127.0.0.1:${port}/slack/events`;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const body = commandBody(next++, mix);
        const timestamp = Math.floor(Date.now() / 1000);
        const t0 = performance.now();
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': slackSignature(secret, timestamp, body) },
          body,
        });
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return { latencies, seconds: (performance.now() - started) / 1000 };
}

/** Sends `count` signed commands, `concurrency` at a time; returns per-request ms and the wall time. */
async function load(port: number, count: number, mix: Mix): Promise<{ latencies: number[]; seconds: number }> {
  if (values.client === 'fetch') return loadWithFetch(port, count, mix);
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  let next = 0;
  const one = (i: number) =>
    new Promise<void>((resolve, reject) => {
      const body = commandBody(i, mix);
      const timestamp = Math.floor(Date.now() / 1000);
      const started = performance.now();
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path: '/slack/events',
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            'content-length': Buffer.byteLength(body),
            'x-slack-request-timestamp': String(timestamp),
            'x-slack-signature': slackSignature(secret, timestamp, body),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            if (res.statusCode !== 200) return reject(new Error(`HTTP ${res.statusCode}`));
            latencies.push(performance.now() - started);
            resolve();
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await one(next++);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return { latencies, seconds };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

interface Figures {
  rps: number;
  p50: number;
  p99: number;
}

function figures(run: { latencies: number[]; seconds: number }): Figures {
  const sorted = [...run.latencies].sort((a, b) => a - b);
  return { rps: run.latencies.length / run.seconds, p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const fake = await FakeSlack.start({ record: false });
const responseUrl = fake.responseUrl('bench');
const migrated = await openDatabase(loadConfig({ CONCIERGE_DATA_DIR: dataDir }), { warn: () => {} });
await migrated.close();
const bare = await startServer('bare', fake.apiUrl);
const ours = await startServer('ours', fake.apiUrl);
const runs: { name: string; server: Server; mix: Mix }[] = [
  { name: 'bare Bolt app', server: bare, mix: 'repeated' },
  { name: 'ours, repeated', server: ours, mix: 'repeated' },
  { name: 'ours, unique', server: ours, mix: 'unique' },
];
const results = new Map<string, Figures[]>(runs.map((r) => [r.name, []]));
try {
  for (const run of runs) await load(run.server.port, Math.min(500, total), run.mix); // warm-up: JIT, connections, caches
  // Interleaved rounds, so every run sees the same machine noise.
  for (let round = 0; round < rounds; round++) {
    for (const run of runs) results.get(run.name)!.push(figures(await load(run.server.port, total, run.mix)));
  }
  const bareRss = (await ask<NodeJS.MemoryUsage>(bare, 'rss')).rss;
  const ourRss = (await ask<NodeJS.MemoryUsage>(ours, 'rss')).rss;

  const summary = new Map<string, Figures>();
  for (const [name, list] of results) summary.set(name, { rps: median(list.map((r) => r.rps)), p50: median(list.map((r) => r.p50)), p99: median(list.map((r) => r.p99)) });
  const base = summary.get('bare Bolt app')!;
  const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
  const row = (name: string, f: Figures, rss: string) => `${name.padEnd(16)} ${f.rps.toFixed(0).padStart(8)} ${f.p50.toFixed(2).padStart(8)} ${f.p99.toFixed(2).padStart(8)} ${rss.padStart(8)}`;
  console.log(
    `bench:slack: ${total} signed slash commands x ${rounds} rounds, concurrency ${concurrency}, ${values.client} client; medians of rounds.\n` +
      `Questions: ${questions.length} codes and symptoms from knowledge/ ("repeated"), or the same made unique per request ("unique").`,
  );
  console.log(`${''.padEnd(16)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'RSS MB'.padStart(8)}`);
  console.log(row('bare Bolt app', base, mb(bareRss)));
  console.log(row('ours, repeated', summary.get('ours, repeated')!, mb(ourRss)));
  console.log(row('ours, unique', summary.get('ours, unique')!, ''));
  for (const [name, list] of results) console.log(`  ${name} rounds: ${list.map((r) => `${r.rps.toFixed(0)} req/s p99 ${r.p99.toFixed(2)}`).join(' | ')}`);
  const mark = (ok: boolean) => (ok ? 'met' : 'MISSED');
  for (const name of ['ours, repeated', 'ours, unique']) {
    const f = summary.get(name)!;
    const throughput = f.rps / base.rps;
    const p99 = f.p99 / base.p99;
    console.log(`${name}: throughput ${throughput.toFixed(2)}x bare (target >= 0.70: ${mark(throughput >= 0.7)}), ack p99 ${p99.toFixed(2)}x bare (target <= 1.50: ${mark(p99 <= 1.5)})`);
  }
  console.log(`RSS after the run: ${mb(ourRss)} MB (target <= 200: ${mark(ourRss / 1024 / 1024 <= 200)})`);
} finally {
  for (const server of [bare, ours]) {
    server.child.send('stop');
    await new Promise((resolve) => server.child.once('exit', resolve));
  }
  await fake.close();
  rmSync(dataDir, { recursive: true, force: true });
}
