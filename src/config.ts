// The only reader of process.env. Every variable is described here once; a bad environment
// fails with one message that lists every problem and what the value should look like.
import { join, resolve } from 'node:path';
import { z } from 'zod';

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
    .describe('a number between 0 and 1 (default 0.35)'),
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
  CONCIERGE_HEALTH_SWEEP_MINUTES: z.coerce
    .number()
    .int()
    .min(0)
    .max(1440)
    .default(15)
    .describe('minutes between health sweeps of every Xero connection, 1 to 1440, or 0 to turn the sweep off (default 15)'),
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
  // Database and secrets at rest (src/db/).
  DATABASE_URL: z
    .string()
    .regex(/^(file:.+|postgres:\/\/.+|postgresql:\/\/.+)$/, 'must start with file:, postgres:// or postgresql://')
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
  /** Minutes between health sweeps; 0 turns the sweep off. */
  healthSweepMinutes: number;
  adminUserIds: string[];
  adminUsergroupId: string | undefined;
  database: DatabaseConfig;
  /** Holds the embedded database by default and the generated encryption key. */
  dataDir: string;
  /** Base64 of 32 bytes; undefined means a generated key (SQLite) or a start-up error (PostgreSQL). */
  encryptionKey: string | undefined;
  /** Retired keys that still decrypt what they encrypted, until `concierge keys rotate`. */
  oldEncryptionKeys: string[];
  xero: XeroConfig;
}

export interface XeroConfig {
  /** Both set means Xero is configured; neither means the bot runs without Xero. */
  credentials: { clientId: string; clientSecret: string } | undefined;
  redirectUri: string;
  /** Without a trailing slash. */
  identityUrl: string;
  /** Without a trailing slash. */
  apiUrl: string;
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

const defaultKnowledgeDir = new URL('../knowledge/', import.meta.url).pathname;

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

// Values never echoed back in error messages.
const secretNames = new Set<string>(['DATABASE_URL', 'CONCIERGE_ENCRYPTION_KEY', 'CONCIERGE_OLD_ENCRYPTION_KEYS', 'SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN', 'SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET', 'XERO_CLIENT_SECRET']);

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
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? '?');
        const expected = envSchema.shape[name as keyof typeof envSchema.shape]?.description;
        const got = secretNames.has(name) ? '<hidden>' : JSON.stringify(cleaned[name]);
        return `${name}=${got} is invalid: ${issue.message}${expected ? ` (expected ${expected})` : ''}`;
      });
  problems.push(...slackProblems(cleaned), ...xeroProblems(cleaned));
  if (!parsed.success || problems.length) throw new ConfigError(problems);
  const e = parsed.data;
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
    healthSweepMinutes: e.CONCIERGE_HEALTH_SWEEP_MINUTES,
    adminUserIds: e.CONCIERGE_ADMIN_USER_IDS ? e.CONCIERGE_ADMIN_USER_IDS.split(',').map((id) => id.trim()) : [],
    adminUsergroupId: e.CONCIERGE_ADMIN_USERGROUP_ID,
    database: databaseConfig(e.DATABASE_URL, resolve(e.CONCIERGE_DATA_DIR ?? 'data')),
    dataDir: resolve(e.CONCIERGE_DATA_DIR ?? 'data'),
    encryptionKey: e.CONCIERGE_ENCRYPTION_KEY,
    oldEncryptionKeys: e.CONCIERGE_OLD_ENCRYPTION_KEYS ? e.CONCIERGE_OLD_ENCRYPTION_KEYS.split(',').map((k) => k.trim()) : [],
    xero: {
      credentials: e.XERO_CLIENT_ID && e.XERO_CLIENT_SECRET ? { clientId: e.XERO_CLIENT_ID, clientSecret: e.XERO_CLIENT_SECRET } : undefined,
      redirectUri: e.XERO_REDIRECT_URI ?? `http://localhost:${e.PORT}/xero/callback`,
      identityUrl: withoutTrailingSlash(e.XERO_IDENTITY_URL ?? defaultXeroIdentityUrl),
      apiUrl: withoutTrailingSlash(e.XERO_API_URL ?? defaultXeroApiUrl),
    },
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

function isEncryptionKey(value: string): boolean {
  return /^[A-Za-z0-9+/]{43}=$/.test(value) && Buffer.from(value, 'base64').length === 32;
}

/** SQLite paths are relative to the current directory, like the default ./data/concierge.db. */
function databaseConfig(url: string | undefined, dataDir: string): DatabaseConfig {
  if (url === undefined || url.startsWith('file:')) {
    const filePath = url === undefined ? join(dataDir, 'concierge.db') : resolve(url.slice('file:'.length).replace(/^\/\/(?=\/)/, '').split('?')[0]!);
    return { provider: 'sqlite', url: `file:${filePath}`, filePath };
  }
  return { provider: 'postgresql', url };
}
