// Runs one local-console session the way `npm start` without Slack credentials does (real config
// parsing, the console's own SQLite file) with typed lines in, and returns what it printed.
import { PassThrough, Writable } from 'node:stream';
import { createApplication } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';

/** What a person types, one line each, Enter included. */
export function lines(...typed: string[]): string {
  return typed.map((line) => `${line}\n`).join('');
}

export async function consoleSession(env: Record<string, string>, input: string): Promise<string> {
  let output = '';
  const stdin = new PassThrough();
  const stdout = new Writable({
    write(chunk: Buffer, _e, done) {
      output += chunk.toString();
      done();
    },
  });
  const config = loadConfig({ PORT: '0', LOG_LEVEL: 'silent', ...env });
  const consoleApp = await createApplication(config, { logger: createLogger({ level: 'silent' }), stdin, stdout });
  try {
    stdin.end(input);
    await consoleApp.runConsole();
  } finally {
    await consoleApp.stop(1_000);
  }
  return output;
}
