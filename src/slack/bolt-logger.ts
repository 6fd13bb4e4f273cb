// Bolt and the Slack SDKs log through this adapter into our pino logger, so their lines are JSON
// and pass through the same secret scrubbing. The level is ours (LOG_LEVEL), not Bolt's.
import type { Logger as SlackLogger } from '@slack/logger';
import { LogLevel } from '@slack/logger';
import type { Logger } from '../logger.ts';

const toSlackLevel: Record<string, LogLevel> = {
  trace: LogLevel.DEBUG,
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warn: LogLevel.WARN,
  error: LogLevel.ERROR,
  fatal: LogLevel.ERROR,
  silent: LogLevel.ERROR,
};

function message(parts: unknown[]): { msg: string; err?: Error } {
  const err = parts.find((p): p is Error => p instanceof Error);
  const msg = parts
    .filter((p) => p !== err)
    .map((p) => (typeof p === 'string' ? p : JSON.stringify(p)))
    .join(' ');
  return err ? { msg: msg || err.message, err } : { msg };
}

export function createBoltLogger(logger: Logger, name = 'slack'): SlackLogger {
  let child = logger.child({ component: name });
  const write = (level: 'debug' | 'info' | 'warn' | 'error') => (...parts: unknown[]) => {
    if (!child.isLevelEnabled(level)) return;
    const { msg, err } = message(parts);
    if (err) child[level]({ err }, msg);
    else child[level](msg);
  };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    // Ignored on purpose: LOG_LEVEL decides, and Bolt would otherwise reset it to info.
    setLevel: () => {},
    getLevel: () => toSlackLevel[logger.level] ?? LogLevel.INFO,
    setName: (newName: string) => {
      child = logger.child({ component: newName });
    },
  };
}

export function slackLogLevel(level: string): LogLevel {
  return toSlackLevel[level] ?? LogLevel.INFO;
}
