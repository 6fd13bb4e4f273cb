// `npm run drill:durability`: the crash drill. Runs the real bot (`node src/main.ts`, HTTP mode)
// against the fake Slack, sends bursts of signed escalation submissions, feedback votes and
// claims, SIGKILLs a bot at a random moment in each burst, restarts it, lets the re-post job
// finish (bounded wait for the queue to drain after the last restart), then checks: every
// acknowledged input is stored, and every stored case reached triage and its reporter exactly
// once. SQLite with one bot by default; --postgres runs two bots on one PostgreSQL.
// Exits 1 when an acknowledged input is missing, a case was never posted, or was posted twice.
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { startBotProcess, type BotProcess } from '../dev/bot-process.ts';
import { FakeSlack } from '../dev/fake-slack-api.ts';
import { escalationFormValues, SlackRequests } from '../dev/slack-requests.ts';
import { openDatabase } from '../src/db/index.ts';
import { encodeAnswerRef } from '../src/slack/action-values.ts';
import { encodeModalOrigin } from '../src/slack/blocks/escalation-blocks.ts';
import { escalationEventTypes } from '../src/slack/escalation-publisher.ts';
import { actionIds, viewIds } from '../src/slack/ids.ts';
import { createTestDatabase, postgresAvailable, type TestDatabase } from '../test/db/test-databases.ts';

const usage = `Usage: npm run drill:durability [-- --postgres] [--rounds N] [--burst-ms MS]

  --postgres     two bot instances on a fresh database on the local PostgreSQL (default: one bot on SQLite)
  --rounds N     bursts, each ending in a SIGKILL (default 5)
  --burst-ms MS  longest burst; each is killed at a random moment within it (default 4000)`;

const secret = 'drill-signing-secret-0000000000';
const supportChannel = 'C0SUPPORT01';
const admin = 'U0ADMIN001';
const concurrency = 8;
/**
 * Short claims and a fast job, so cases a killed bot was posting are finished within the drill:
 * a killed bot's case is free again after `claimSeconds`, and a job run it died in holds the job
 * for the run coordinator's liveness lease (30 s, capped by the budget) at most.
 */
const claimSeconds = 10;
const repostEverySeconds = 2;
const repostBudget = '15s';
/** Longest wait for the queue to drain after the last restart: a claim, a job lease, then the posts. */
const drainTimeoutMs = 60_000;

type Kind = 'escalation' | 'vote' | 'claim';
interface Sent {
  kind: Kind;
  /** The escalation's unique error text, the vote's unique article id, or the claimed escalation id. */
  key: string;
  acknowledged: boolean;
}

function fail(message: string): never {
  process.stderr.write(`drill:durability: ${message}\n\n${usage}\n`);
  process.exit(2);
}

function readOptions(): { postgres: boolean; rounds: number; burstMs: number } {
  let values;
  try {
    ({ values } = parseArgs({ options: { postgres: { type: 'boolean' }, rounds: { type: 'string' }, 'burst-ms': { type: 'string' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (error) {
    fail((error as Error).message);
  }
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  const rounds = Number(values.rounds ?? 5);
  const burstMs = Number(values['burst-ms'] ?? 4000);
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > 20) fail(`--rounds "${values.rounds}" must be a whole number from 1 to 20`);
  if (!Number.isInteger(burstMs) || burstMs < 500 || burstMs > 20_000) fail(`--burst-ms "${values['burst-ms']}" must be from 500 to 20000`);
  return { postgres: Boolean(values.postgres), rounds, burstMs };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;

const options = readOptions();
if (options.postgres && !(await postgresAvailable())) fail('--postgres needs the local PostgreSQL (postgresql://postgres@127.0.0.1:5432)');
const started = Date.now();
const run = randomUUID().slice(0, 8);
const fake = await FakeSlack.start({ record: false });
const database: TestDatabase = await createTestDatabase(options.postgres ? 'postgresql' : 'sqlite');
const botEnv: Record<string, string> = {
  SLACK_BOT_TOKEN: 'xoxb-drill-bot-token',
  SLACK_SIGNING_SECRET: secret,
  SLACK_API_URL: fake.apiUrl,
  SUPPORT_CHANNEL_ID: supportChannel,
  CONCIERGE_ADMIN_USER_IDS: admin,
  DATABASE_URL: database.settings.database.url,
  CONCIERGE_ENCRYPTION_KEY: database.settings.encryptionKey!,
  CONCIERGE_DATA_DIR: database.dir,
  CONCIERGE_JOB_POST_PENDING_ESCALATIONS_SCHEDULE: `*/${repostEverySeconds} * * * * *`,
  CONCIERGE_JOB_POST_PENDING_ESCALATIONS_BUDGET: repostBudget,
  CONCIERGE_POST_CLAIM_SECONDS: String(claimSeconds),
  // info: startBotProcess waits for the "running" line.
  LOG_LEVEL: 'info',
};
const instanceCount = options.postgres ? 2 : 1;
const bots: (BotProcess | undefined)[] = Array.from({ length: instanceCount });
const sent: Sent[] = [];
let kills = 0;
let counter = 0;

/** Escalation ids the bots have posted to triage so far, for claims. */
function postedIds(): string[] {
  return fake
    .messagesIn(supportChannel)
    .map((m) => m.metadata?.event_payload.escalation_id)
    .filter((id): id is string => typeof id === 'string');
}

async function sendOne(bot: BotProcess): Promise<void> {
  const slack = new SlackRequests(bot.baseUrl, secret, (id) => fake.responseUrl(id), { teamId: fake.teamId, userId: 'U0USER0001', channelId: 'C0CHAN0001' });
  const n = ++counter;
  const roll = Math.random();
  const ids = postedIds();
  let entry: Sent;
  let request: () => Promise<Response>;
  if (roll < 0.2 && ids.length) {
    entry = { kind: 'claim', key: pick(ids), acknowledged: false };
    request = async () => (await slack.button(actionIds.claimEscalation, entry.key, { userId: admin })).response;
  } else if (roll < 0.5) {
    entry = { kind: 'vote', key: `DRILL-${run}-${n}`, acknowledged: false };
    request = async () => (await slack.button(actionIds.feedbackHelpful, encodeAnswerRef(entry.key, `drill question ${n}`))).response;
  } else {
    entry = { kind: 'escalation', key: `Drill ${run} case ${n}: XERO11 on invoice INV-${n}`, acknowledged: false };
    const origin = encodeModalOrigin({ channelId: 'C0CHAN0001', threadTs: n % 2 ? `1700000000.${String(n).padStart(6, '0')}` : null, articleId: null });
    request = () => slack.viewSubmission(viewIds.escalationModal, escalationFormValues({ error: entry.key, when: new Date() }), origin);
  }
  sent.push(entry);
  try {
    const response = await request();
    const body = await response.text();
    // Slack counts a 200 as received; an escalation is accepted only with an empty body (no errors).
    entry.acknowledged = response.status === 200 && (entry.kind !== 'escalation' || body === '');
  } catch {
    // Connection refused or reset: the bot died first, Slack would show the person an error.
  }
}

async function startMissing(): Promise<void> {
  await Promise.all(
    bots.map(async (bot, i) => {
      if (!bot) bots[i] = await startBotProcess(botEnv, { startTimeoutMs: 60_000 });
    }),
  );
}

try {
  for (let round = 1; round <= options.rounds; round++) {
    await startMissing();
    const live = bots.filter((b): b is BotProcess => Boolean(b));
    const killAt = Date.now() + 300 + Math.random() * (options.burstMs - 300);
    let stop = false;
    const workers = Array.from({ length: concurrency }, async () => {
      while (!stop) await sendOne(pick(live));
    });
    await sleep(killAt - Date.now());
    // One instance (or, now and then with two, both) dies mid-burst.
    const victims = options.postgres && Math.random() < 0.25 ? [0, 1] : [Math.floor(Math.random() * instanceCount)];
    stop = true;
    await Promise.all(victims.map((i) => bots[i]!.kill()));
    for (const i of victims) bots[i] = undefined;
    kills += victims.length;
    await Promise.all(workers);
  }
  await startMissing();

  // Let the re-post job finish what the killed bots were posting (their claims run out first).
  const db = await openDatabase(database.settings, { warn: () => {} });
  try {
    const drainStarted = Date.now();
    let drained = false;
    let pendingAtLastRestart: number | undefined;
    while (!drained && Date.now() - drainStarted < drainTimeoutMs) {
      const all = await db.escalations.listByReporter(fake.teamId, 'U0USER0001', { limit: 10_000 });
      const pending = all.filter((e) => e.postedAt === null || e.reporterConfirmation === null).length;
      pendingAtLastRestart ??= pending;
      drained = pending === 0;
      if (!drained) await sleep(1_000);
    }
    const drainSeconds = (Date.now() - drainStarted) / 1000;
    await Promise.all(bots.map((b) => b?.stop()));

    const stored = await db.escalations.listByReporter(fake.teamId, 'U0USER0001', { limit: 10_000 });
    const storedTexts = new Set(stored.map((e) => e.errorText));
    const claimAudit = new Set((await db.audit.list({ action: 'escalation.claim', limit: 100_000 })).map((a) => a.target));
    const missing: string[] = [];
    const counts = { escalation: { sent: 0, acknowledged: 0, stored: 0 }, vote: { sent: 0, acknowledged: 0, stored: 0 }, claim: { sent: 0, acknowledged: 0, stored: 0 } };
    for (const entry of sent) {
      const c = counts[entry.kind];
      c.sent++;
      if (!entry.acknowledged) continue;
      c.acknowledged++;
      const isStored =
        entry.kind === 'escalation'
          ? storedTexts.has(entry.key)
          : entry.kind === 'vote'
            ? (await db.feedback.countsForArticle(entry.key)).helpful === 1
            : claimAudit.has(entry.key);
      if (isStored) c.stored++;
      else missing.push(`${entry.kind} ${entry.key}`);
    }

    const perCase = (channelMessages: { metadata?: { event_type: string; event_payload: Record<string, unknown> } }[], type: string) => {
      const seen = new Map<string, number>();
      for (const m of channelMessages) {
        const id = m.metadata?.event_type === type ? m.metadata.event_payload.escalation_id : undefined;
        if (typeof id === 'string') seen.set(id, (seen.get(id) ?? 0) + 1);
      }
      return seen;
    };
    const triage = perCase(fake.messagesIn(supportChannel), escalationEventTypes.triage);
    const confirmationChannels = ['C0CHAN0001', 'D0USER0001'];
    const confirmations = perCase(confirmationChannels.flatMap((c) => fake.messagesIn(c)), escalationEventTypes.confirmation);
    const duplicateTriage = [...triage.values()].filter((n) => n > 1).length;
    const duplicateConfirmations = [...confirmations.values()].filter((n) => n > 1).length;
    const unposted = stored.filter((e) => e.postedAt === null).length;
    const unconfirmed = stored.filter((e) => e.reporterConfirmation === null).length;

    const line = (label: string, c: { sent: number; acknowledged: number; stored: number }) =>
      `  ${label.padEnd(12)} sent ${String(c.sent).padStart(4)}   acknowledged ${String(c.acknowledged).padStart(4)}   stored ${String(c.stored).padStart(4)}`;
    // Acknowledged cases whose triage message is in the channel exactly once.
    const storedByText = new Map(stored.map((e) => [e.errorText, e]));
    const acknowledgedCases = sent.filter((e) => e.kind === 'escalation' && e.acknowledged).map((e) => storedByText.get(e.key));
    const postedOnce = acknowledgedCases.filter((e) => e && triage.get(e.id) === 1).length;
    const failed = missing.length || duplicateTriage || duplicateConfirmations || unposted || unconfirmed;
    process.stdout.write(
      [
        `durability drill: ${options.postgres ? `PostgreSQL, ${instanceCount} bot instances` : 'SQLite, 1 bot'}, ${options.rounds} bursts, ${kills} SIGKILLs, ${((Date.now() - started) / 1000).toFixed(1)} s`,
        line('escalations', counts.escalation) + `   posted once ${String(postedOnce).padStart(4)}`,
        line('votes', counts.vote),
        line('claims', counts.claim),
        `  drain        ${pendingAtLastRestart ?? 0} cases unfinished after the last restart; ${drained ? `all done in ${drainSeconds.toFixed(1)} s` : `NOT done after ${drainSeconds.toFixed(1)} s`}`,
        `  triage       cases posted ${triage.size}   posted twice ${duplicateTriage}   stored but never posted ${unposted}`,
        `  reporter     confirmations ${confirmations.size}   sent twice ${duplicateConfirmations}   never confirmed ${unconfirmed}`,
        ...missing.slice(0, 10).map((m) => `  MISSING (acknowledged, not stored): ${m}`),
        failed ? 'FAIL' : 'PASS',
        '',
      ].join('\n'),
    );
    process.exitCode = failed ? 1 : 0;
  } finally {
    await db.close();
  }
} finally {
  await Promise.all(bots.map((b) => b?.kill()));
  await fake.close();
  await database.drop();
}
