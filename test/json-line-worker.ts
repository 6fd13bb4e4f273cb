// A child process that talks in JSON lines: it reads its options from one environment variable
// and prints one JSON object per event. The multi-process tests and benchmarks start theirs here.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface JsonLineWorker<E> {
  child: ChildProcess;
  events: E[];
  /** Resolves with the first event that matches, already seen or still to come; rejects if the worker exits first. */
  next(match: (e: E) => boolean): Promise<E>;
  /** Writes one line to the worker's standard input. */
  send(line: string): void;
  exited: Promise<number | null>;
}

export function startJsonLineWorker<E>(script: string, env: Record<string, string>): JsonLineWorker<E> {
  const child = spawn(process.execPath, [script], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const events: E[] = [];
  const waiters: { match: (e: E) => boolean; resolve: (e: E) => void; reject: (error: Error) => void }[] = [];
  let exitCode: number | null | undefined;
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const event = JSON.parse(line) as E;
    events.push(event);
    for (const w of waiters.filter((w) => w.match(event))) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(event);
    }
  });
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      exitCode = code;
      for (const w of waiters.splice(0)) w.reject(new Error(`${script} exited (code ${code}) before the awaited event`));
      resolve(code);
    }),
  );
  return {
    child,
    events,
    exited,
    send: (line) => void child.stdin!.write(`${line}\n`),
    next: (match) => {
      const seen = events.find(match);
      if (seen) return Promise.resolve(seen);
      if (exitCode !== undefined) return Promise.reject(new Error(`${script} exited (code ${exitCode}) before the awaited event`));
      return new Promise((resolve, reject) => waiters.push({ match, resolve, reject }));
    },
  };
}
