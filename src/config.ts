// The only reader of process.env. Every variable is described here once; a bad environment
// fails with one message that lists every problem and what the value should look like.
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
});

export type Env = z.infer<typeof envSchema>;

export interface Config {
  nodeEnv: Env['NODE_ENV'];
  logLevel: Env['LOG_LEVEL'];
  knowledgeDir: string;
  /** Answers below this confidence return no article. Undefined means the engine's default. */
  minConfidence: number | undefined;
}

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

/** Parses the environment once. Empty strings count as unset, as in most .env tooling. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? '?');
      const expected = envSchema.shape[name as keyof typeof envSchema.shape]?.description;
      const got = cleaned[name];
      return `${name}=${JSON.stringify(got)} is invalid: ${issue.message}${expected ? ` (expected ${expected})` : ''}`;
    });
    throw new ConfigError(problems);
  }
  const e = parsed.data;
  return {
    nodeEnv: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    knowledgeDir: e.CONCIERGE_KNOWLEDGE_DIR ?? defaultKnowledgeDir,
    minConfidence: e.CONCIERGE_MIN_CONFIDENCE,
  };
}
