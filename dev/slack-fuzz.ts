// Hostile but validly signed Slack traffic, for `npm run bench:fuzz` and its small fixed-seed
// version in the tests: every kind of request SlackRequests builds, mutated (fields dropped or
// replaced, nulls, wrong types, huge strings, garbage bodies, timestamps out of the window, ids
// nobody has seen). The same seed gives the same requests.
import { actionIds, shortcutIds, viewIds } from '../src/slack/ids.ts';
import { escalationFormValues, type SlackRequests } from './slack-requests.ts';

export interface FuzzedRequest {
  /** What was done to it, for reports: "command/drop", "button/valid"... */
  label: string;
  body: string;
  contentType: string;
  /** Seconds to add to the current time for the signed timestamp. */
  clockSkewSeconds: number;
}

type Rng = () => number;

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
export function seededRng(seed: number): Rng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;

type Encoding = 'json' | 'form' | 'payload';
interface Base {
  kind: string;
  encoding: Encoding;
  body: Record<string, unknown>;
}

function baseRequests(slack: SlackRequests, rng: Rng): Base[] {
  const answerRef = JSON.stringify({ a: 'XERO11', q: 'XERO11 on my report' });
  const ts = `17000${Math.floor(rng() * 1e5)}.000100`;
  return [
    { kind: 'mention', encoding: 'json', body: slack.eventEnvelope({ type: 'app_mention', user: slack.who.userId, text: '<@U0BOT00001> XERO11 on my report', ts, channel: slack.who.channelId }) },
    { kind: 'dm', encoding: 'json', body: slack.eventEnvelope({ type: 'message', channel_type: 'im', user: slack.who.userId, text: 'invalid account code', ts, channel: 'D0DM000001' }) },
    { kind: 'home', encoding: 'json', body: slack.eventEnvelope({ type: 'app_home_opened', user: slack.who.userId, tab: 'home', channel: 'D0DM000001' }) },
    { kind: 'assistant', encoding: 'json', body: slack.eventEnvelope({ type: 'assistant_thread_started', assistant_thread: { user_id: slack.who.userId, context: { channel_id: slack.who.channelId, team_id: slack.who.teamId }, channel_id: 'D0DM000001', thread_ts: ts } }) },
    { kind: 'command', encoding: 'form', body: slack.commandFields(pick(rng, ['help', 'XERO11', 'status', 'errors', 'retry all', 'escalate XERO11', ''])) },
    { kind: 'button', encoding: 'payload', body: slack.buttonPayload(pick(rng, Object.values(actionIds)), answerRef, { inHome: rng() < 0.3 }).payload },
    {
      kind: 'submit',
      encoding: 'payload',
      body: slack.viewSubmissionPayload(viewIds.escalationModal, escalationFormValues({ error: 'XERO11 Sync Error', report: 'March', when: new Date() }), ''),
    },
    { kind: 'shortcut', encoding: 'payload', body: slack.messageShortcutPayload(shortcutIds.reportXeroError, { ts, text: 'Export failed: XERO11' }).payload },
    { kind: 'verification', encoding: 'json', body: { token: 'x', type: 'url_verification', challenge: 'c-1' } },
  ];
}

/** Every path to a value inside `value` (object keys and array indices), up to a depth. */
function pathsOf(value: unknown, prefix: (string | number)[] = [], depth = 6): (string | number)[][] {
  if (depth === 0 || typeof value !== 'object' || value === null) return [];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return entries.flatMap(([key, child]) => [[...prefix, key], ...pathsOf(child, [...prefix, key], depth - 1)]);
}

function setAt(root: Record<string, unknown>, path: (string | number)[], change: (parent: Record<string | number, unknown>, key: string | number) => void): void {
  let node = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  change(node, path.at(-1)!);
}

const wrongTypes: unknown[] = [42, -1, 1e15, -1e15, 0.5, true, false, [], [null], {}, { id: 1 }, '', 'x', '\u0000', '<script>', 'null'];
const garbageJson = ['null', '[]', '"text"', '1', 'true', '{', '{"type":', '\u0000\u0001', '{"event": "x", "type": "event_callback"}', '{"__proto__": {"x": 1}}'];
const garbageForm = ['payload=null', 'payload=%7Bnot-json', 'payload=1&payload=2', 'payload=%5B%5D', 'payload=%22s%22', 'command=', 'team_id=T1&team_id=T2', '%%%', 'ssl_check=0'];

function encode(base: Base, body: Record<string, unknown>): { body: string; contentType: string } {
  if (base.encoding === 'json') return { body: JSON.stringify(body), contentType: 'application/json' };
  const form =
    base.encoding === 'payload'
      ? new URLSearchParams({ payload: JSON.stringify(body) })
      : new URLSearchParams(Object.entries(body).map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
  return { body: form.toString(), contentType: 'application/x-www-form-urlencoded' };
}

function randomId(rng: Rng, prefix: string): string {
  return `${prefix}${Math.floor(rng() * 36 ** 8).toString(36).toUpperCase().padStart(8, '0')}`;
}

/** One fuzzed request; `hugeBytes` is the size of the huge strings (some bodies then pass 1 MB). */
export function fuzzRequest(slack: SlackRequests, rng: Rng, hugeBytes = 300_000): FuzzedRequest {
  const base = pick(rng, baseRequests(slack, rng));
  const body = structuredClone(base.body);
  const paths = pathsOf(body);
  const roll = rng();
  const label = (what: string) => `${base.kind}/${what}`;
  const done = (what: string, clockSkewSeconds = 0): FuzzedRequest => ({ label: label(what), ...encode(base, body), clockSkewSeconds });
  if (roll < 0.08) return done('valid');
  if (roll < 0.14) {
    const future = rng() < 0.5;
    return done(future ? 'future' : 'old', (future ? 1 : -1) * (301 + Math.floor(rng() * 86_400)));
  }
  if (roll < 0.22) {
    const json = base.encoding === 'json' || rng() < 0.5;
    return { label: label('garbage'), body: json ? pick(rng, garbageJson) : pick(rng, garbageForm), contentType: json ? 'application/json' : 'application/x-www-form-urlencoded', clockSkewSeconds: 0 };
  }
  if (roll < 0.3) {
    // Ids no one has seen: every request claims another workspace and person.
    const text = JSON.stringify(body).replace(/"T0[A-Z0-9]+"/g, () => `"${randomId(rng, 'T')}"`).replace(/"U0[A-Z0-9]+"/g, () => `"${randomId(rng, 'U')}"`);
    return { label: label('fresh_ids'), ...encode(base, JSON.parse(text) as Record<string, unknown>), clockSkewSeconds: 0 };
  }
  const mutations = 1 + Math.floor(rng() * 3);
  const names: string[] = [];
  for (let i = 0; i < mutations && paths.length; i++) {
    const path = pick(rng, paths);
    const op = pick(rng, ['drop', 'null', 'wrong_type', 'wrong_type', 'huge']);
    names.push(op);
    try {
      setAt(body, path, (parent, key) => {
        if (op === 'drop') {
          if (Array.isArray(parent)) parent.splice(Number(key), 1);
          else delete parent[key];
        } else if (op === 'null') parent[key] = null;
        else if (op === 'huge') parent[key] = 'A'.repeat(hugeBytes);
        else parent[key] = structuredClone(pick(rng, wrongTypes));
      });
    } catch {
      // The path went away with an earlier mutation.
    }
  }
  return done(names.join('+'));
}

export interface FuzzResults {
  sent: number;
  byStatus: Map<number, number>;
  /** No HTTP answer within the deadline (or the connection failed). */
  unanswered: { label: string; reason: string }[];
  /** Labels of requests answered with a 5xx. */
  serverErrors: string[];
}

/** Sends `count` fuzzed requests, `concurrency` at a time, each given `deadlineMs` to be answered. */
export async function runFuzz(
  slack: SlackRequests,
  options: { seed: number; count: number; concurrency: number; deadlineMs?: number; hugeBytes?: number; onAnswer?: () => void },
): Promise<FuzzResults> {
  const rng = seededRng(options.seed);
  const results: FuzzResults = { sent: 0, byStatus: new Map(), unanswered: [], serverErrors: [] };
  let next = 0;
  const one = async () => {
    const request = fuzzRequest(slack, rng, options.hugeBytes);
    const timestamp = Math.floor(Date.now() / 1000) + request.clockSkewSeconds;
    results.sent += 1;
    try {
      const response = await fetch(slack.url, {
        method: 'POST',
        headers: slack.signedHeaders(request.body, request.contentType, { timestamp }),
        body: request.body,
        signal: AbortSignal.timeout(options.deadlineMs ?? 3_000),
      });
      await response.arrayBuffer();
      results.byStatus.set(response.status, (results.byStatus.get(response.status) ?? 0) + 1);
      if (response.status >= 500) results.serverErrors.push(request.label);
    } catch (error) {
      results.unanswered.push({ label: request.label, reason: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
    }
    options.onAnswer?.();
  };
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (next < options.count) {
        next += 1;
        await one();
      }
    }),
  );
  return results;
}

