// What the fakes' command lines share: the `--port` and `--help` options, and stopping on Ctrl-C.
import { parseArgs } from 'node:util';

/** The port asked for on the command line, or `defaultPort`; exits 2 with `usage` on a bad argument. */
export function readPortArg(command: string, usage: string, defaultPort: number): number {
  const usageError = (problem: string): never => {
    process.stderr.write(`${command}: ${problem}\n\n${usage}\n`);
    process.exit(2);
  };
  let values: { port?: string | undefined; help?: boolean | undefined } = {};
  try {
    ({ values } = parseArgs({ options: { port: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true }));
  } catch (error) {
    usageError((error as Error).message);
  }
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  if (values.port === undefined) return defaultPort;
  const port = Number(values.port);
  if (!/^\d+$/.test(values.port) || port > 65535) usageError(`--port "${values.port}" is not a port: use a number from 0 to 65535.`);
  return port;
}

/** Ctrl-C or SIGTERM closes the fake once, says so, and exits 0. */
export function stopOnSignals(fake: { close(): Promise<void> }, name: string): void {
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void fake.close().then(() => {
      process.stdout.write(`${name} stopped\n`);
      process.exit(0);
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
