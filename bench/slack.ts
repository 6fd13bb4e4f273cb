// `npm run bench:slack`: signed slash commands (/concierge <question>, each question unique) sent
// at 10 and at 50 connections to the HTTP receiver of a bare Bolt app that only acknowledges, and
// of the whole application, in the same run, on the same fake Slack, with the same load generator.
// Each server runs in its own process. Prints start-up time to /readyz, idle RSS (and ours before and after start-up), peak RSS under
// load, throughput, acknowledgement latency p50/p99 and server CPU time per request with their ratios to bare Bolt, the
// targets beside them (printed, not asserted: the machine is shared and only same-run ratios
// count), the top entries of a CPU profile of our acknowledgement path with the answer engine's share of it, each
// beside bare Bolt's in µs per request (and bare Bolt's own top entries), and the engine's own CPU per answer on the
// same questions answered alone in this process.
// Options: --requests 3000 --rounds 3 --connections 10,50 --client http|fetch --profile-top 12
// --cpu-prof FILE (also write the profile, for Chrome DevTools), --compare-flags="FLAGS" (a third
// server, ours with these Node flags instead of npm start's, in the same interleaved rounds). Our server gets the Node flags and
// MALLOC_ARENA_MAX of `npm start`, bare Bolt Node's defaults; NODE_OPTIONS applies to both.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { join } from 'node:path';
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/index.ts';
import { createAnswerEngine } from '../src/knowledge/answer-engine.ts';
import { loadKnowledge } from '../src/knowledge/load-knowledge.ts';
import { FakeSlack } from '../dev/fake-slack-api.ts';
import { slackSignature } from '../dev/slack-requests.ts';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '3000' },
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '10,50' },
    client: { type: 'string', default: 'http' },
    'profile-top': { type: 'string', default: '12' },
    'cpu-prof': { type: 'string' },
    'compare-flags': { type: 'string' },
  },
});
if (values.client !== 'http' && values.client !== 'fetch') throw new Error('--client must be http (a lean keep-alive client) or fetch (Node\'s fetch)');
const total = Number(values.requests);
const rounds = Number(values.rounds);
const profileTop = Number(values['profile-top']);
const connectionCounts = values.connections.split(',').map(Number);
for (const [name, list] of Object.entries({ requests: [total], rounds: [rounds], connections: connectionCounts, 'profile-top': [profileTop] })) {
  if (!list.every((n) => Number.isInteger(n) && n >= (name === 'profile-top' ? 0 : 1))) throw new Error(`--${name} must be ${name === 'connections' ? 'comma-separated ' : ''}positive whole number(s)`);
}
const secret = 'bench-signing-secret-0123456789abcdef';
const token = 'xoxb-bench-token';
const targets = { idleMb: 120, loadedOverBareMb: 40, throughput: 0.85, p99: 1.2, readyMs: 1000 };
// What people type: every code and every way of describing a problem the knowledge base knows,
// made unique per request so nothing can be served from memory of an earlier one.
const articles = loadKnowledge(new URL('../knowledge/', import.meta.url).pathname);
const questions = articles.flatMap((a) => [...a.codes.map((c) => `${c} on my report`), ...a.symptoms]);
const dataDir = mkdtempSync(join(tmpdir(), 'concierge-bench-'));
const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };
const startNodeFlags = packageJson.scripts.start!.split(/\s+/).filter((word) => word.startsWith('--'));

interface Server {
  name: string;
  child: ChildProcess;
  port: number;
  /** Ours: ran from dist/ (current build) rather than src/ by type stripping. */
  compiled: boolean;
  /** Ours: RSS (bytes) before loading our code and once started. */
  steps: [string, number][];
  /** From fork to listening (bare) or to /readyz answering 200 (ours). */
  startMs: number;
  idleRss: number;
  peakRss: number;
}

/** CPU time (user + system) the process has used, in ms: per request it is steadier than throughput on a busy machine. */
function cpuMs(pid: number): number {
  // Fields after the command name (which is in parentheses): utime and stime are the 12th and 13th.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicksPerSecond;
}
// Linux's USER_HZ; 100 on every common kernel.
const clockTicksPerSecond = 100;

function rssBytes(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) * 1024 : 0;
}

async function startServer(kind: 'bare' | 'ours', apiUrl: string, nodeFlags = startNodeFlags): Promise<Server> {
  const execArgv = kind === 'ours' ? [...process.execArgv, ...nodeFlags] : process.execArgv;
  const started = performance.now();
  // Ours also gets the malloc arena limit bin/start.js sets.
  const env = kind === 'ours' && process.env.MALLOC_ARENA_MAX === undefined ? { ...process.env, MALLOC_ARENA_MAX: '2' } : process.env;
  const child = fork(new URL('./slack-server.js', import.meta.url).pathname, [kind, apiUrl, secret, token, dataDir], { execArgv, env, stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  const { port, compiled, steps } = await new Promise<{ port: number; compiled: boolean; steps: [string, number][] }>((resolve, reject) => {
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const line = buffer.split('\n').find((l) => l.startsWith('{"port"'));
      if (line) resolve(JSON.parse(line) as { port: number; compiled: boolean; steps: [string, number][] });
    });
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
  });
  if (kind === 'ours') {
    for (;;) {
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false);
      if (ready) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
  const startMs = performance.now() - started;
  // Idle: start-up done, a second to settle, no request yet.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const idleRss = rssBytes(child.pid!);
  const name = kind === 'bare' ? 'bare Bolt app' : nodeFlags === startNodeFlags ? 'xero-concierge' : 'ours, compared flags';
  return { name, child, port, compiled, steps, startMs, idleRss, peakRss: idleRss };
}

function ask<T>(server: Server, message: string): Promise<T> {
  return new Promise((resolve) => {
    server.child.once('message', (reply) => resolve(reply as T));
    server.child.send(message);
  });
}

let sequence = 0;

function commandBody(i: number): string {
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
    text: `${question} (report R-${++sequence})`,
    api_app_id: 'A0APP00001',
    is_enterprise_install: 'false',
    response_url: responseUrl,
    trigger_id: `trigger-${i}`,
  }).toString();
}

function signedHeaders(body: string): Record<string, string> {
  const timestamp = Math.floor(Date.now() / 1000);
  return { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': slackSignature(secret, timestamp, body) };
}

/** Sends `count` signed commands, `connections` at a time, sampling the server's RSS; returns per-request ms and the wall time. */
async function load(server: Server, count: number, connections: number): Promise<{ latencies: number[]; seconds: number; cpuMs: number }> {
  const sampler = setInterval(() => {
    server.peakRss = Math.max(server.peakRss, rssBytes(server.child.pid!));
  }, 25);
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const url = `http://127.0.0.1:${server.port}/slack/events`;
  const one = async (i: number): Promise<void> => {
    const body = commandBody(i);
    if (values.client === 'fetch') {
      const response = await fetch(url, { method: 'POST', headers: signedHeaders(body), body });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const req = request(url, { method: 'POST', agent, headers: { ...signedHeaders(body), 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`))));
      });
      req.on('error', reject);
      req.end(body);
    });
  };
  const latencies: number[] = [];
  let next = 0;
  const cpuBefore = cpuMs(server.child.pid!);
  const started = performance.now();
  try {
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (next < count) {
          const t0 = performance.now();
          await one(next++);
          latencies.push(performance.now() - t0);
        }
      }),
    );
  } finally {
    clearInterval(sampler);
    agent.destroy();
  }
  server.peakRss = Math.max(server.peakRss, rssBytes(server.child.pid!));
  return { latencies, seconds: (performance.now() - started) / 1000, cpuMs: cpuMs(server.child.pid!) - cpuBefore };
}

interface Figures {
  rps: number;
  p50: number;
  p99: number;
  /** Server CPU time per request, µs. */
  cpuUs: number;
}

function figures(run: { latencies: number[]; seconds: number; cpuMs: number }): Figures {
  const sorted = [...run.latencies].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
  return { rps: run.latencies.length / run.seconds, p50: at(50), p99: at(99), cpuUs: (run.cpuMs * 1000) / run.latencies.length };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const spread = (xs: number[], digits: number) => `${Math.min(...xs).toFixed(digits)}-${Math.max(...xs).toFixed(digits)}`;

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
  children?: number[];
}

interface ProfileSummary {
  samples: number;
  /** Self-time samples by function name and source, and by where the code lives. */
  byFunction: Map<string, number>;
  byPlace: Map<string, number>;
  /** Samples under the answer engine's answer() (each counted once, however deep). */
  engineSamples: number;
}

/** The profile's functions by self time, the same grouped by where the code lives, and the answer engine's share. */
function summariseProfile(profile: { nodes: ProfileNode[] }): ProfileSummary {
  const root = new URL('..', import.meta.url).href;
  const place = (url: string) => {
    if (!url) return '(native / V8)';
    if (url.startsWith('node:')) return 'node: internals';
    const packageName = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
    if (packageName) return packageName;
    return url.startsWith(root) ? url.slice(root.length).split('/').slice(0, 2).join('/') : url;
  };
  // Our code runs bundled (dist/main.js and its chunks); the build's source maps name each function's source file.
  const maps = new Map<string, SourceMap | null>();
  const sourceFile = (url: string, line: number, column: number): string | null => {
    if (!url.startsWith(`${root}dist/`)) return null;
    let map = maps.get(url);
    if (map === undefined) {
      try {
        map = new SourceMap(JSON.parse(readFileSync(`${fileURLToPath(url)}.map`, 'utf8')) as SourceMapPayload);
      } catch {
        map = null;
      }
      maps.set(url, map);
    }
    const entry = map?.findEntry(line, column);
    return entry && 'originalSource' in entry ? new URL(entry.originalSource, url).href : null;
  };
  const byFunction = new Map<string, number>();
  const byPlace = new Map<string, number>();
  let samples = 0;
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (!hits) continue;
    samples += hits;
    const { functionName, lineNumber, columnNumber } = node.callFrame;
    const source = sourceFile(node.callFrame.url, lineNumber, columnNumber);
    const url = source ?? node.callFrame.url;
    // A bundled function is named by its source file (the map's lines are those of the compiled file).
    const where = source ? source.replace(root, '') : url ? `${url.replace(root, '').replace(/^.*node_modules\//, '')}:${lineNumber + 1}` : '';
    const fn = `${functionName || '(anonymous)'} ${where}`.trim();
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + hits);
    byPlace.set(place(url), (byPlace.get(place(url)) ?? 0) + hits);
  }
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const isEngineAnswer = (node: ProfileNode) =>
    node.callFrame.functionName === 'answer' && (sourceFile(node.callFrame.url, node.callFrame.lineNumber, node.callFrame.columnNumber) ?? node.callFrame.url).endsWith('src/knowledge/answer-engine.ts');
  let engineSamples = 0;
  for (const node of profile.nodes) {
    if (!node.hitCount) continue;
    for (let id: number | undefined = node.id; id !== undefined; id = parentOf.get(id)) {
      if (isEngineAnswer(byId.get(id)!)) {
        engineSamples += node.hitCount;
        break;
      }
    }
  }
  return { samples, byFunction, byPlace, engineSamples };
}

/**
 * Ours beside bare Bolt, each entry as a share of our samples and as µs per request (1 ms samples over the
 * round's requests, idle included), so what we add per request can be read line by line.
 */
function profileLines(ours: ProfileSummary, bare: ProfileSummary, requests: number, top: number): string[] {
  const pct = (n: number) => `${((100 * n) / ours.samples).toFixed(1).padStart(5)}%`;
  const perRequest = (n: number | undefined) => `${((1000 * (n ?? 0)) / requests).toFixed(0).padStart(5)}`;
  // Our top entries, then bare Bolt's top entries that ours did not list (where it spends what we do not).
  const topOfBoth = (mine: Map<string, number>, theirs: Map<string, number>) => {
    const first = [...mine].sort((a, b) => b[1] - a[1]).slice(0, top);
    const listed = new Set(first.map(([name]) => name));
    const more = [...theirs].sort((a, b) => b[1] - a[1]).slice(0, top).filter(([name]) => !listed.has(name));
    return [...first, ...more.map(([name]): [string, number] => [name, mine.get(name) ?? 0])];
  };
  const columns = `    ${'share'.padStart(6)}  ${'ours µs/req'.padStart(11)}  ${'bare µs/req'.padStart(11)}`;
  const row = (name: string, mine: number, theirs: number | undefined) => `    ${pct(mine)}  ${perRequest(mine).padStart(11)}  ${perRequest(theirs).padStart(11)}  ${name}`;
  return [
    `  the answer engine (its answer() and all it calls): ${pct(ours.engineSamples).trim()} of the samples, ${perRequest(ours.engineSamples).trim()} µs per request`,
    `  all samples: ours ${ours.samples} (${perRequest(ours.samples).trim()} µs per request), bare Bolt ${bare.samples} (${perRequest(bare.samples).trim()})`,
    // The profiler samples wall time: a thread descheduled inside a socket write still counts there, so the CPU µs above are the cost.
    '  (samples are wall time, idle and waits inside system calls included; the CPU µs per request above are what each used)',
    '  self time by function:',
    columns,
    ...topOfBoth(ours.byFunction, bare.byFunction).map(([fn, n]) => row(fn, n, bare.byFunction.get(fn))),
    '  self time by where the code lives:',
    columns,
    ...topOfBoth(ours.byPlace, bare.byPlace).map(([where, n]) => row(where, n, bare.byPlace.get(where))),
  ];
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
const mark = (ok: boolean) => (ok ? 'met' : 'MISSED');

const fake = await FakeSlack.start({ record: false });
const responseUrl = fake.responseUrl('bench');
await (await openDatabase(loadConfig({ CONCIERGE_DATA_DIR: dataDir }), { warn: () => {} })).close();
// One after the other, so neither start-up competes with the other for the CPU.
const bare = await startServer('bare', fake.apiUrl);
const ours = await startServer('ours', fake.apiUrl);
const compared = values['compare-flags'] === undefined ? null : await startServer('ours', fake.apiUrl, values['compare-flags'].split(/\s+/).filter(Boolean));
const servers = compared ? [bare, ours, compared] : [bare, ours];
try {
  for (const server of servers) await load(server, Math.min(500, total), connectionCounts[0]!); // warm-up: JIT, connections, caches
  const results = new Map<string, Figures[]>();
  // Interleaved rounds, so both servers see the same machine noise.
  for (let round = 0; round < rounds; round++) {
    for (const connections of connectionCounts) {
      for (const server of servers) {
        const key = `${server.name}@${connections}`;
        results.set(key, [...(results.get(key) ?? []), figures(await load(server, total, connections))]);
      }
    }
  }
  const profiles = new Map<Server, { nodes: ProfileNode[] }>();
  for (const server of [bare, ours]) {
    await ask(server, 'profile-start');
    await load(server, total, connectionCounts[0]!);
    profiles.set(server, await ask<{ nodes: ProfileNode[] }>(server, 'profile-stop'));
  }
  if (values['cpu-prof']) writeFileSync(values['cpu-prof'], JSON.stringify(profiles.get(ours)));

  console.log(
    `bench:slack: ${total} signed /concierge commands per round, ${rounds} rounds, ${values.client} client, each question unique ` +
      `(${questions.length} codes and symptoms from knowledge/). Medians of rounds; bare Bolt with Node's defaults, ours with \`npm start\`'s flags (${startNodeFlags.join(' ') || 'none'}, MALLOC_ARENA_MAX=${process.env.MALLOC_ARENA_MAX ?? 2}), ` +
      (ours.compiled ? 'from dist/ as npm start runs it.' : 'from src/ by type stripping (dist/ is missing or stale: `npm run build`).') +
      (compared ? ` "ours, compared flags": the same with ${values['compare-flags']} instead.` : ''),
  );
  console.log(`${''.padEnd(24)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'CPU µs'.padStart(8)}   rounds (req/s, p99 ms, server CPU µs per request)`);
  const verdicts: string[] = [];
  for (const connections of connectionCounts) {
    const base = results.get(`${bare.name}@${connections}`)!;
    const baseMedian = { rps: median(base.map((r) => r.rps)), p99: median(base.map((r) => r.p99)) };
    for (const server of servers) {
      const list = results.get(`${server.name}@${connections}`)!;
      const f = { rps: median(list.map((r) => r.rps)), p50: median(list.map((r) => r.p50)), p99: median(list.map((r) => r.p99)), cpuUs: median(list.map((r) => r.cpuUs)) };
      console.log(
        `${`${server.name}, ${connections} conn.`.padEnd(24)} ${f.rps.toFixed(0).padStart(8)} ${f.p50.toFixed(2).padStart(8)} ${f.p99.toFixed(2).padStart(8)} ${f.cpuUs.toFixed(0).padStart(8)}   ` +
          list.map((r) => `${r.rps.toFixed(0)}/${r.p99.toFixed(1)}/${r.cpuUs.toFixed(0)}`).join(' '),
      );
      if (server === bare) continue;
      // The ratio in each round against bare Bolt's in the same round, to show the spread.
      const throughputs = list.map((r, i) => r.rps / base[i]!.rps);
      const p99s = list.map((r, i) => r.p99 / base[i]!.p99);
      const cpus = list.map((r, i) => r.cpuUs / base[i]!.cpuUs);
      const throughput = f.rps / baseMedian.rps;
      const p99 = f.p99 / baseMedian.p99;
      verdicts.push(
        `${server === ours ? '' : `${server.name}: `}${connections} connections: throughput ${throughput.toFixed(2)}x bare (rounds ${spread(throughputs, 2)}; target >= ${targets.throughput}: ${mark(throughput >= targets.throughput)}), ` +
          `ack p99 ${p99.toFixed(2)}x bare (rounds ${spread(p99s, 2)}; target <= ${targets.p99}: ${mark(p99 <= targets.p99)}), ` +
          `server CPU per request ${median(cpus).toFixed(2)}x bare (rounds ${spread(cpus, 2)})`,
      );
    }
  }
  for (const line of verdicts) console.log(line);
  const finalRss = await Promise.all(servers.map((server) => rssBytes(server.child.pid!)));
  console.log(`${''.padEnd(24)} ${'start ms'.padStart(8)} ${'idle MB'.padStart(8)} ${'peak MB'.padStart(8)} ${'end MB'.padStart(8)}`);
  servers.forEach((server, i) =>
    console.log(`${server.name.padEnd(24)} ${server.startMs.toFixed(0).padStart(8)} ${mb(server.idleRss).padStart(8)} ${mb(server.peakRss).padStart(8)} ${mb(finalRss[i]!).padStart(8)}`),
  );
  const overBare = (ours.peakRss - bare.peakRss) / 1024 / 1024;
  console.log(`start-up to /readyz: ${ours.startMs.toFixed(0)} ms (target < ${targets.readyMs}: ${mark(ours.startMs < targets.readyMs)})`);
  console.log(`idle RSS: ${mb(ours.idleRss)} MB, bare Bolt ${mb(bare.idleRss)} MB (target <= ${targets.idleMb}: ${mark(ours.idleRss / 1024 / 1024 <= targets.idleMb)})`);
  console.log(`RSS of ours before and after start-up, MB: ${[...ours.steps, ['idle 1 s later', ours.idleRss] as const].map(([name, bytes]) => `${name} ${mb(bytes)}`).join(', ')}`);
  console.log(`RSS under load: peak ${mb(ours.peakRss)} MB, bare Bolt ${mb(bare.peakRss)} MB, ${overBare >= 0 ? '+' : ''}${overBare.toFixed(0)} MB (target <= +${targets.loadedOverBareMb}: ${mark(overBare <= targets.loadedOverBareMb)})`);
  // The same questions answered by the engine alone, in this process: what the engine costs without a request around it.
  const engine = createAnswerEngine(articles);
  const engineRuns = [0, 1, 2, 3, 4].map((run) => {
    const started = process.cpuUsage();
    for (let i = 0; i < total; i++) engine.answer(`${questions[i % questions.length]!} (report R-${run}-${i})`);
    const used = process.cpuUsage(started);
    return (used.user + used.system) / total;
  });
  const cpuUsAt = (server: Server, connections: number) => median(results.get(`${server.name}@${connections}`)!.map((r) => r.cpuUs)).toFixed(0);
  console.log(
    `answer engine alone, in this process, on the same questions: ${median(engineRuns.slice(1)).toFixed(0)} µs of CPU per answer (after one warm-up run); ` +
      `ours used ${cpuUsAt(ours, connectionCounts[0]!)} µs per request, bare Bolt ${cpuUsAt(bare, connectionCounts[0]!)} (${connectionCounts[0]} connections)`,
  );
  if (profileTop > 0) {
    console.log(`CPU profiles (1 ms sampling, as --cpu-prof), one more round of ${total} at ${connectionCounts[0]} connections each, ours and bare Bolt:`);
    for (const line of profileLines(summariseProfile(profiles.get(ours)!), summariseProfile(profiles.get(bare)!), total, profileTop)) console.log(line);
  }
} finally {
  for (const server of servers) {
    server.child.send('stop');
    await new Promise((resolve) => server.child.once('exit', resolve));
  }
  await fake.close();
  rmSync(dataDir, { recursive: true, force: true });
}
