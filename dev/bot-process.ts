// The bot as its own process (`node src/main.ts`, as `npm start` runs it), for crash tests and
// the durability drill: started with an explicit environment, ready once it logs its port, and
// killable without warning (SIGKILL) to reproduce a crash at any moment.
import { spawn, type ChildProcess } from 'node:child_process';

const mainPath = new URL('../src/main.ts', import.meta.url).pathname;

export interface BotProcess {
  child: ChildProcess;
  /** Where it listens: http://127.0.0.1:<port>. */
  baseUrl: string;
  /** Everything it logged so far (JSON lines on standard output, then standard error). */
  output(): string;
  /** Kills it at once, as a crash or an OOM killer would; resolves when it is gone. */
  kill(): Promise<void>;
  /** SIGTERM, the graceful way; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Starts the bot with only `env` (plus PATH and HOME) and waits until it serves requests. */
export async function startBotProcess(env: Record<string, string>, options: { startTimeoutMs?: number } = {}): Promise<BotProcess> {
  const child = spawn(process.execPath, [mainPath], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + (options.startTimeoutMs ?? 20_000);
  let port: number | undefined;
  while (port === undefined) {
    const line = out.split('\n').find((l) => l.includes('xero-concierge is running'));
    if (line) port = Number(/"port":(\d+)/.exec(line)?.[1]);
    else if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the bot did not start (exit code ${child.exitCode}):\n${out}${err}`);
    } else await new Promise((r) => setTimeout(r, 20));
  }
  return {
    child,
    baseUrl: `http://127.0.0.1:${port}`,
    output: () => out + err,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
