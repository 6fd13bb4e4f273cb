// The only reader of process.env. Every variable is described here once; a bad environment
// fails with one message that lists every problem and what the value should look like.
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { cronProblem } from './jobs/schedule-jobs.ts';
import { packageRoot } from './package-root.ts';

export const defaultOpenAIModel = 'gpt-4o-mini';
export const defaultOpenAIBaseUrl = 'https://api.openai.com/v1';

const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: logLevel.default('info').describe('one of fatal, error, warn, info, debug, trace, silent'),
  CONCIERGE_KNOWLEDGE_DIR: z
    .string()
    .min(1)
    .optional()
    .describe('a folder of knowledge articles (default: the bundled knowledge/)'),
  CONCIERGE_MIN_CONFIDENCE: z.coerce
    .number()
    .min(0)
    .max(1)
    .optional()
    .describe('a number between 0 and 1 (default 0.3)'),
  // Slack. None set: the local console. See slackProblems() for which combinations are valid.
  SLACK_BOT_TOKEN: z
    .string()
    .regex(/^xoxb-\S+$/, 'must start with xoxb-')
    .optional()
    .describe('the Bot User OAuth Token from OAuth & Permissions, starting xoxb-'),
  SLACK_SIGNING_SECRET: z
    .string()
    .regex(/^\S{16,}$/, 'must be at least 16 characters without spaces')
    .optional()
    .describe('the Signing Secret from Basic Information'),
  SLACK_APP_TOKEN: z
    .string()
    .regex(/^xapp-\S+$/, 'must start with xapp-')
    .optional()
    .describe('an App-Level Token with connections:write, starting xapp- (turns on Socket Mode)'),
  SLACK_CLIENT_ID: z
    .string()
    .regex(/^\d+\.\d+$/, 'must look like 1234567890.1234567890')
    .optional()
    .describe('the Client ID from Basic Information, e.g. 1234567890.1234567890'),
  SLACK_CLIENT_SECRET: z
    .string()
    .regex(/^\S{16,}$/, 'must be at least 16 characters without spaces')
    .optional()
    .describe('the Client Secret from Basic Information'),
  SLACK_STATE_SECRET: z
    .string()
    .regex(/^\S{16,}$/, 'must be at least 16 characters without spaces')
    .optional()
    .describe('any random string of 16 or more characters, used to sign the OAuth state'),
  SLACK_API_URL: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe('an http(s) URL of the Slack Web API (default https://slack.com/api/)'),
  PORT: z.coerce
    .number()
    .int()
    .min(0)
    .max(65535)
    .default(3000)
    .describe('a TCP port between 0 and 65535 (default 3000)'),
  SUPPORT_CHANNEL_ID: z
    .string()
    .regex(/^[CG][A-Z0-9]{6,}$/, 'must be a channel ID such as C0123456789')
    .optional()
    .describe("the support team's triage channel ID, e.g. C0123456789 (channel details, bottom)"),
  ALERTS_CHANNEL_ID: z
    .string()
    .regex(/^[CG][A-Z0-9]{6,}$/, 'must be a channel ID such as C0123456789')
    .optional()
    .describe('the channel ID for Xero connection health alerts, e.g. C0123456789 (unset: no alerts)'),
  CONCIERGE_ADMIN_USER_IDS: z
    .string()
    .regex(/^\s*[UW][A-Z0-9]{6,}\s*(,\s*[UW][A-Z0-9]{6,}\s*)*$/, 'must be comma-separated user IDs')
    .optional()
    .describe('comma-separated Slack user IDs, e.g. U0123456789,U0987654321'),
  CONCIERGE_ADMIN_USERGROUP_ID: z
    .string()
    .regex(/^S[A-Z0-9]{6,}$/, 'must be a user group ID such as S0123456789')
    .optional()
    .describe('a Slack user group ID, e.g. S0123456789'),
  // Xero (src/xero/): configured when the client id and secret are both set.
  XERO_CLIENT_ID: z
    .string()
    .regex(/^[A-Za-z0-9]{16,}$/, 'must be letters and digits, at least 16 of them')
    .optional()
    .describe('the Client id of your app at developer.xero.com (My Apps), 32 letters and digits'),
  XERO_CLIENT_SECRET: z
    .string()
    .regex(/^\S{16,}$/, 'must be at least 16 characters without spaces')
    .optional()
    .describe('the Client secret generated for that app'),
  XERO_REDIRECT_URI: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe('the redirect URI registered for the app, ending /xero/callback (default http://localhost:<PORT>/xero/callback)'),
  XERO_IDENTITY_URL: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe("an http(s) URL of Xero's identity service (default https://identity.xero.com)"),
  XERO_API_URL: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe('an http(s) URL of the Xero API (default https://api.xero.com)'),
  // OpenAI (src/llm/): optional; without a key every answer is the deterministic engine's.
  OPENAI_API_KEY: z
    .string()
    .regex(/^\S{20,}$/, 'must be at least 20 characters without spaces')
    .optional()
    .describe('an OpenAI API key (sk-...) from platform.openai.com (unset: no model is used)'),
  OPENAI_MODEL: z
    .string()
    .regex(/^[\w.:/-]+$/, 'must be a model name such as gpt-4o-mini')
    .default(defaultOpenAIModel)
    .describe(`a chat model with structured outputs, e.g. gpt-4o-mini (default ${defaultOpenAIModel})`),
  OPENAI_BASE_URL: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe('an http(s) URL of an OpenAI-compatible API (default https://api.openai.com/v1)'),
  OPENAI_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(500)
    .max(60_000)
    .default(8000)
    .describe('milliseconds from 500 to 60000 one answer may wait for the model (default 8000)'),
  XERO_WEBHOOK_KEY: z
    .string()
    .regex(/^\S{16,}$/, 'must be at least 16 characters without spaces')
    .optional()
    .describe('the webhook key Xero shows for your app (developer.xero.com, My Apps, Webhooks); it turns POST /xero/webhooks on (unset: the endpoint is off)'),
  XERO_RATE_TIME_SCALE: z.coerce
    .number()
    .gt(0)
    .max(1)
    .optional()
    .describe("a number above 0 and at most 1: how fast Xero's rate-limit minute and day pass, for a fake Xero with a scaled clock (default 1, real time)"),
  // Publishing escalations (src/support/escalate.ts); the re-post job's cadence is a job setting below.
  CONCIERGE_POST_CLAIM_SECONDS: z.coerce
    .number()
    .int()
    .min(10)
    .max(3600)
    .default(300)
    .describe('seconds from 10 to 3600 (default 300)'),
  // Database and secrets at rest (src/db/).
  DATABASE_URL: z
    .string()
    .superRefine((url, ctx) => {
      const problem = databaseUrlProblem(url);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .optional()
    .describe('file:<path> for SQLite, or postgresql://user:password@host:5432/database (default file:<CONCIERGE_DATA_DIR>/concierge.db)'),
  CONCIERGE_DATA_DIR: z
    .string()
    .min(1)
    .optional()
    .describe('a folder for the embedded database and its generated key (default ./data)'),
  CONCIERGE_ENCRYPTION_KEY: z
    .string()
    .refine(isEncryptionKey, 'must be 32 bytes encoded as base64')
    .optional()
    .describe('32 random bytes encoded as base64 (44 characters), e.g. from `openssl rand -base64 32`'),
  CONCIERGE_API_KEY: z
    .string()
    .min(32, 'must be at least 32 characters')
    .optional()
    .describe('a long random key the finance products send as "Authorization: Bearer <key>" to POST /api/sync-failures, e.g. from `openssl rand -hex 32` (unset: the endpoint is off)'),
  CONCIERGE_OLD_ENCRYPTION_KEYS: z
    .string()
    .refine((v) => v.split(',').every((k) => isEncryptionKey(k.trim())), 'must be comma-separated keys, each 32 bytes encoded as base64')
    .optional()
    .describe('comma-separated retired keys, each 32 bytes encoded as base64'),
});

export type Env = z.infer<typeof envSchema>;

export interface Config {
  nodeEnv: Env['NODE_ENV'];
  logLevel: Env['LOG_LEVEL'];
  knowledgeDir: string;
  /** Answers below this confidence return no article. Undefined means the engine's default. */
  minConfidence: number | undefined;
  slack: SlackConfig;
  /** HTTP port for Slack requests (HTTP mode), OAuth pages, /healthz and /readyz. */
  port: number;
  supportChannelId: string | undefined;
  /** Where connection health alerts go; undefined means none are raised. */
  alertsChannelId: string | undefined;
  adminUserIds: string[];
  adminUsergroupId: string | undefined;
  /** How long a poster holds an escalation: the longest a post may take, and the wait before another poster takes over. */
  postClaimMs: number;
  database: DatabaseConfig;
  /**
   * The local console's own SQLite file in the data folder, never DATABASE_URL: console cases
   * must not reach a database a connected bot posts from.
   */
  consoleDatabase: DatabaseConfig;
  /** Holds the embedded database by default and the generated encryption key. */
  dataDir: string;
  /** Base64 of 32 bytes; undefined means a generated key (SQLite) or a start-up error (PostgreSQL). */
  encryptionKey: string | undefined;
  /** Retired keys that still decrypt what they encrypted, until `concierge keys rotate`. */
  oldEncryptionKeys: string[];
  /** Bearer key for POST /api/sync-failures; undefined turns the endpoint off. */
  apiKey: string | undefined;
  xero: XeroConfig;
  /** Undefined without OPENAI_API_KEY: answers are then exactly the deterministic engine's. */
  openai: OpenAIConfig | undefined;
  /** Every configured secret value, for the logger to scrub wherever it appears. */
  secrets: string[];
  jobs: Record<JobName, JobSettings>;
}

export interface XeroConfig {
  /** Both set means Xero is configured; neither means the bot runs without Xero. */
  credentials: { clientId: string; clientSecret: string } | undefined;
  redirectUri: string;
  /** Without a trailing slash. */
  identityUrl: string;
  /** Without a trailing slash. */
  apiUrl: string;
  /** Signs Xero's webhook deliveries; undefined turns POST /xero/webhooks off. */
  webhookKey: string | undefined;
  /** How fast the rate-limit windows pass: 1 for Xero, less for a fake Xero on a scaled clock. */
  rateTimeScale: number;
}

export interface OpenAIConfig {
  apiKey: string;
  model: string;
  /** Without a trailing slash. */
  baseUrl: string;
  /** The most one answer waits for the model, retries included; then the deterministic answer is used. */
  timeoutMs: number;
}

export const defaultXeroIdentityUrl = 'https://identity.xero.com';
export const defaultXeroApiUrl = 'https://api.xero.com';

export type DatabaseConfig =
  | { provider: 'sqlite'; url: string; /** Absolute path of the database file. */ filePath: string }
  | { provider: 'postgresql'; url: string };

export class ConfigError extends Error {
  readonly code = 'config_invalid';
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

const defaultKnowledgeDir = `${join(packageRoot, 'knowledge')}/`;

/** console: no Slack credentials at all; http: Events API over HTTP; socket: Socket Mode. */
export type SlackMode = 'console' | 'http' | 'socket';

export interface SlackOAuthConfig {
  clientId: string;
  clientSecret: string;
  stateSecret: string;
}

export interface SlackConfig {
  mode: SlackMode;
  botToken: string | undefined;
  signingSecret: string | undefined;
  appToken: string | undefined;
  /** Set when the app installs into many workspaces; installations then live in the database. */
  oauth: SlackOAuthConfig | undefined;
  apiUrl: string | undefined;
}

export const slackCredentialNames = [
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_APP_TOKEN',
  'SLACK_CLIENT_ID',
  'SLACK_CLIENT_SECRET',
  'SLACK_STATE_SECRET',
] as const;

const whole = (value: string) => [value];
const commaList = (value: string) => value.split(',').map((v) => v.trim());
function urlPassword(value: string): string[] {
  try {
    const { password } = new URL(value);
    return password ? [password, decodeURIComponent(password)] : [];
  } catch {
    return [];
  }
}

/**
 * Variables holding secrets, and the secret parts of their values: never echoed in error
 * messages, and scrubbed from every log line (Config.secrets). A new secret variable goes here.
 */
const secretVariables: Record<string, (value: string) => string[]> = {
  SLACK_BOT_TOKEN: whole,
  SLACK_SIGNING_SECRET: whole,
  SLACK_APP_TOKEN: whole,
  SLACK_CLIENT_SECRET: whole,
  SLACK_STATE_SECRET: whole,
  CONCIERGE_ENCRYPTION_KEY: whole,
  CONCIERGE_OLD_ENCRYPTION_KEYS: commaList,
  CONCIERGE_API_KEY: whole,
  DATABASE_URL: urlPassword,
  XERO_CLIENT_SECRET: whole,
  OPENAI_API_KEY: whole,
  XERO_WEBHOOK_KEY: whole,
};
const secretNames = new Set(Object.keys(secretVariables));

function secretValues(env: Record<string, string | undefined>): string[] {
  return [...new Set(Object.entries(secretVariables).flatMap(([name, parts]) => (env[name] ? parts(env[name]) : [])))].filter(Boolean);
}

/** Combinations of Slack variables that cannot work, checked on presence alone. */
function slackProblems(env: Record<string, string | undefined>): string[] {
  const has = (name: string) => env[name] !== undefined;
  if (!slackCredentialNames.some(has)) return [];
  const problems: string[] = [];
  const oauthNames = ['SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET'];
  const oauthSet = oauthNames.filter(has);
  if (oauthSet.length > 0 && oauthSet.length < oauthNames.length) {
    const missing = oauthNames.filter((n) => !has(n));
    problems.push(`${missing.join(', ')} missing: multi-workspace install needs all of ${oauthNames.join(', ')} (or none of them, with SLACK_BOT_TOKEN)`);
  }
  if (has('SLACK_BOT_TOKEN') && oauthSet.length > 0) {
    problems.push('SLACK_BOT_TOKEN and SLACK_CLIENT_ID are both set: use SLACK_BOT_TOKEN for one workspace or the SLACK_CLIENT_* variables for OAuth install, not both');
  }
  if (!has('SLACK_BOT_TOKEN') && oauthSet.length === 0) {
    problems.push('SLACK_BOT_TOKEN missing: set the Bot User OAuth Token (xoxb-...), or SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET for OAuth install');
  }
  if (!has('SLACK_APP_TOKEN') && !has('SLACK_SIGNING_SECRET')) {
    problems.push('SLACK_SIGNING_SECRET missing: the HTTP receiver verifies every request with it (or set SLACK_APP_TOKEN to use Socket Mode)');
  }
  return problems;
}

/** Parses the environment once. Empty strings count as unset, as in most .env tooling. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  const parsedJobs = jobEnvSchema.safeParse(cleaned);
  const problems = [...describeIssues(parsed, envSchema.shape, cleaned), ...describeIssues(parsedJobs, jobEnvSchema.shape, cleaned)];
  problems.push(...slackProblems(cleaned), ...xeroProblems(cleaned));
  if (!parsed.success || !parsedJobs.success || problems.length) throw new ConfigError(problems);
  const e = parsed.data;
  const dataDir = resolve(e.CONCIERGE_DATA_DIR ?? 'data');
  return {
    nodeEnv: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    knowledgeDir: e.CONCIERGE_KNOWLEDGE_DIR ?? defaultKnowledgeDir,
    minConfidence: e.CONCIERGE_MIN_CONFIDENCE,
    slack: {
      mode: !slackCredentialNames.some((n) => e[n] !== undefined) ? 'console' : e.SLACK_APP_TOKEN ? 'socket' : 'http',
      botToken: e.SLACK_BOT_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      appToken: e.SLACK_APP_TOKEN,
      oauth:
        e.SLACK_CLIENT_ID && e.SLACK_CLIENT_SECRET && e.SLACK_STATE_SECRET
          ? { clientId: e.SLACK_CLIENT_ID, clientSecret: e.SLACK_CLIENT_SECRET, stateSecret: e.SLACK_STATE_SECRET }
          : undefined,
      apiUrl: e.SLACK_API_URL,
    },
    port: e.PORT,
    supportChannelId: e.SUPPORT_CHANNEL_ID,
    alertsChannelId: e.ALERTS_CHANNEL_ID,
    adminUserIds: e.CONCIERGE_ADMIN_USER_IDS ? e.CONCIERGE_ADMIN_USER_IDS.split(',').map((id) => id.trim()) : [],
    adminUsergroupId: e.CONCIERGE_ADMIN_USERGROUP_ID,
    postClaimMs: e.CONCIERGE_POST_CLAIM_SECONDS * 1000,
    database: databaseConfig(e.DATABASE_URL, dataDir),
    consoleDatabase: sqliteDatabase(join(dataDir, 'console.db')),
    dataDir,
    encryptionKey: e.CONCIERGE_ENCRYPTION_KEY,
    oldEncryptionKeys: e.CONCIERGE_OLD_ENCRYPTION_KEYS ? e.CONCIERGE_OLD_ENCRYPTION_KEYS.split(',').map((k) => k.trim()) : [],
    apiKey: e.CONCIERGE_API_KEY,
    xero: {
      credentials: e.XERO_CLIENT_ID && e.XERO_CLIENT_SECRET ? { clientId: e.XERO_CLIENT_ID, clientSecret: e.XERO_CLIENT_SECRET } : undefined,
      redirectUri: e.XERO_REDIRECT_URI ?? `http://localhost:${e.PORT}/xero/callback`,
      identityUrl: withoutTrailingSlash(e.XERO_IDENTITY_URL ?? defaultXeroIdentityUrl),
      apiUrl: withoutTrailingSlash(e.XERO_API_URL ?? defaultXeroApiUrl),
      webhookKey: e.XERO_WEBHOOK_KEY,
      rateTimeScale: e.XERO_RATE_TIME_SCALE ?? 1,
    },
    openai: e.OPENAI_API_KEY
      ? { apiKey: e.OPENAI_API_KEY, model: e.OPENAI_MODEL, baseUrl: withoutTrailingSlash(e.OPENAI_BASE_URL ?? defaultOpenAIBaseUrl), timeoutMs: e.OPENAI_TIMEOUT_MS }
      : undefined,
    secrets: secretValues(cleaned),
    jobs: jobSettings(parsedJobs.data),
  };
}

/** A client id without its secret (or the reverse) cannot work; say which half is missing. */
function xeroProblems(env: Record<string, string | undefined>): string[] {
  const hasId = env.XERO_CLIENT_ID !== undefined;
  const hasSecret = env.XERO_CLIENT_SECRET !== undefined;
  if (hasId && !hasSecret) return ['XERO_CLIENT_SECRET missing: Xero needs the client secret with XERO_CLIENT_ID (or neither, to run without Xero)'];
  if (hasSecret && !hasId) return ['XERO_CLIENT_ID missing: Xero needs the client id with XERO_CLIENT_SECRET (or neither, to run without Xero)'];
  return [];
}

function withoutTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

function describeIssues(result: z.ZodSafeParseResult<unknown>, shape: Record<string, z.ZodType>, cleaned: Record<string, string | undefined>): string[] {
  if (result.success) return [];
  return result.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? '?');
    const expected = shape[name]?.description;
    const got = secretNames.has(name) ? '<hidden>' : JSON.stringify(cleaned[name]);
    return `${name}=${got} is invalid: ${issue.message}${expected ? ` (expected ${expected})` : ''}`;
  });
}

function isEncryptionKey(value: string): boolean {
  return /^[A-Za-z0-9+/]{43}=$/.test(value) && Buffer.from(value, 'base64').length === 32;
}

/** What is wrong with a DATABASE_URL, without quoting it: it may hold a password. */
function databaseUrlProblem(url: string): string | undefined {
  if (url.startsWith('file:')) return sqlitePath(url) ? undefined : 'the SQLite file path is missing after file:';
  if (!/^postgres(ql)?:\/\//.test(url)) return 'must start with file:, postgres:// or postgresql://';
  // The authority is what URL parsing trips on: user:password@host:port.
  const authority = url.replace(/^postgres(ql)?:\/\//, '').split(/[/?#]/)[0]!;
  const hostPort = authority.slice(authority.lastIndexOf('@') + 1);
  const [, host, port] = /^(\[[^\]]*\]|[^:]*)(?::(.*))?$/.exec(hostPort) ?? [];
  if (!host) return 'the host name is missing';
  if (port !== undefined && !(/^\d{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535)) return 'the port after the host name must be a number between 1 and 65535';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'is not a valid URL; percent-encode special characters in the user name and password (e.g. @ as %40, / as %2F)';
  }
  if (!parsed.hostname) return 'the host name is missing';
  return undefined;
}

/** The file path of a file: URL, without its query; empty when there is none. */
function sqlitePath(url: string): string {
  return url.slice('file:'.length).replace(/^\/\/(?=\/)/, '').split('?')[0]!;
}

/** SQLite paths are relative to the current directory, like the default ./data/concierge.db. */
function databaseConfig(url: string | undefined, dataDir: string): DatabaseConfig {
  if (url === undefined || url.startsWith('file:')) {
    return sqliteDatabase(url === undefined ? join(dataDir, 'concierge.db') : resolve(sqlitePath(url)));
  }
  return { provider: 'postgresql', url };
}

function sqliteDatabase(filePath: string): DatabaseConfig {
  return { provider: 'sqlite', url: `file:${filePath}`, filePath };
}

// --- Scheduled jobs (src/jobs/) ---
// Each job reads CONCIERGE_JOB_<NAME>_SCHEDULE, a cron expression or 0/off to switch it off, and
// CONCIERGE_JOB_<NAME>_BUDGET, how long one run may take: a longer run is logged as job_overran,
// and until then (or until its instance dies: src/jobs/run-coordinator.ts) no instance starts the job's next slot. Adding a job is one line here.

export const jobDefaults = {
  'post-pending-escalations': { schedule: '* * * * *', budget: '5m' },
  'post-pending-alerts': { schedule: '* * * * *', budget: '2m' },
  'prune-slack-events': { schedule: '17 * * * *', budget: '1m' },
  'prune-job-runs': { schedule: '41 * * * *', budget: '1m' },
  'prune-thread-turns': { schedule: '29 * * * *', budget: '1m' },
  'prune-case-conversations': { schedule: '53 * * * *', budget: '1m' },
  'refresh-xero-tokens': { schedule: '* * * * *', budget: '5m' },
  'sweep-connection-health': { schedule: '*/15 * * * *', budget: '10m' },
  'retry-failed-syncs': { schedule: '* * * * *', budget: '1m' },
  'rediagnose-failed-syncs': { schedule: '*/10 * * * *', budget: '5m' },
} as const satisfies Record<string, { schedule: string; budget: string }>;

export type JobName = keyof typeof jobDefaults;
export const jobNames = Object.keys(jobDefaults) as JobName[];

export interface JobSettings {
  /** Cron expression; undefined when the job is switched off. */
  schedule: string | undefined;
  /** Longest expected run; also how long a started run holds back the job's next slots. */
  budgetMs: number;
}

export function jobVariable(job: JobName, setting: 'SCHEDULE' | 'BUDGET'): string {
  return `CONCIERGE_JOB_${job.toUpperCase().replaceAll('-', '_')}_${setting}`;
}

const jobOff = new Set(['0', 'off']);
const durationUnits = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;
const maxBudgetMs = 24 * 3_600_000;

const cronSchedule = z.string().superRefine((value, ctx) => {
  if (jobOff.has(value.trim().toLowerCase())) return;
  const problem = cronProblem(value.trim());
  if (problem) ctx.addIssue({ code: 'custom', message: `not a cron expression: ${problem}` });
});

const duration = z
  .string()
  .regex(/^\s*\d+\s*(ms|s|m|h)\s*$/, 'must be a whole number followed by ms, s, m or h')
  .transform((value) => {
    const [, amount, unit] = /(\d+)\s*(ms|s|m|h)/.exec(value)!;
    return Number(amount) * durationUnits[unit as keyof typeof durationUnits];
  })
  .refine((ms) => ms > 0 && ms <= maxBudgetMs, 'must be more than 0 and at most 24h');

const jobEnvSchema = z.object(
  Object.fromEntries(
    jobNames.flatMap((job) => [
      [
        jobVariable(job, 'SCHEDULE'),
        cronSchedule
          .optional()
          .describe(`a cron expression (minute hour day-of-month month day-of-week, optionally seconds first), or 0 or off to switch the job off (default "${jobDefaults[job].schedule}")`),
      ],
      [jobVariable(job, 'BUDGET'), duration.optional().describe(`a duration such as 30s, 5m or 1h (default ${jobDefaults[job].budget})`)],
    ]),
  ) as Record<string, z.ZodOptional<z.ZodType<string>> | z.ZodOptional<z.ZodType<number, string>>>,
);

function jobSettings(env: Record<string, string | number | undefined> | undefined): Record<JobName, JobSettings> {
  return Object.fromEntries(
    jobNames.map((job) => {
      const schedule = String(env?.[jobVariable(job, 'SCHEDULE')] ?? jobDefaults[job].schedule).trim();
      const budgetMs = (env?.[jobVariable(job, 'BUDGET')] as number | undefined) ?? (duration.parse(jobDefaults[job].budget) as number);
      return [job, { schedule: jobOff.has(schedule.toLowerCase()) ? undefined : schedule, budgetMs }];
    }),
  ) as Record<JobName, JobSettings>;
}
