// The Node version guard: the comparison, the message, and the real entry points (set-up, npm
// start, npm test, npx concierge) run by an old Node, which must refuse plainly before any
// TypeScript source loads.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isSupportedNode, requiredNode, unsupportedNodeMessage } from '../../bin/require-node.js';

const root = new URL('../../', import.meta.url).pathname;

describe('isSupportedNode', () => {
  it('accepts the first releases that run the project, and everything newer', () => {
    for (const version of ['v22.19.0', '22.19.0', 'v22.21.1', 'v23.6.0', 'v23.11.1', 'v24.0.0', 'v24.11.1', 'v26.0.0', process.version]) {
      expect(isSupportedNode(version), version).toBe(true);
    }
  });

  it('refuses older releases and anything unreadable', () => {
    for (const version of ['v20.20.2', 'v18.19.0', 'v22.0.0', 'v22.12.0', 'v22.17.1', 'v22.18.0', 'v23.0.0', 'v23.5.0', 'v8.17.0', '', 'node']) {
      expect(isSupportedNode(version), version).toBe(false);
    }
  });

  it('names the version needed, the version found and how to get Node 24', () => {
    const message = unsupportedNodeMessage('npm start', 'v20.20.2', '/usr/bin/node');
    expect(message).toContain(`npm start needs Node.js ${requiredNode} or newer (24 LTS recommended; .nvmrc says 24)`);
    expect(message).toContain('This is Node v20.20.2 (/usr/bin/node)');
    expect(message).toContain('nvm install');
    expect(message).toContain('npm install --prefix ~/.cache/node24 node@24');
    expect(message).toContain('export PATH="$HOME/.cache/node24/node_modules/node/bin:$PATH"');
    expect(message).toContain('https://nodejs.org');
  });

  it('matches the engines field of package.json', async () => {
    const { default: pkg } = await import('../../package.json', { with: { type: 'json' } });
    expect(pkg.engines.node).toBe(`^${requiredNode}.0 || >=23.6.0`);
  });
});

describe('the launchers on this Node', () => {
  it('hand over: npm start opens the console, the bare check is silent', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'concierge-launcher-'));
    try {
      const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', CONCIERGE_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent' };
      const start = spawnSync(process.execPath, ['bin/start.js'], { cwd: root, env, input: 'exit\n', encoding: 'utf8', timeout: 50_000 });
      expect(start.stderr).toContain('running as a local console');
      expect(start.status).toBe(0);
      const check = spawnSync(process.execPath, ['bin/check-node.js', 'npm', 'test'], { cwd: root, env, encoding: 'utf8' });
      expect(check).toMatchObject({ status: 0, stdout: '', stderr: '' });
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});

/** The machine's own Node when it is too old for the project (on this image /usr/bin/node is 20). */
function findOldNode(): string | undefined {
  for (const candidate of ['/usr/bin/node', '/usr/local/bin/node']) {
    if (!existsSync(candidate)) continue;
    const version = spawnSync(candidate, ['--version'], { encoding: 'utf8' }).stdout.trim();
    if (version && !isSupportedNode(version)) return candidate;
  }
  return undefined;
}

const oldNode = findOldNode();
if (!oldNode) console.info('Skipping the old-Node entry-point tests: no Node older than 22.19 at /usr/bin/node or /usr/local/bin/node.');
const oldNpm = oldNode && existsSync(join(dirname(oldNode), 'npm')) ? join(dirname(oldNode), 'npm') : undefined;
if (oldNode && !oldNpm) console.info(`Skipping the npm script tests: no npm next to ${oldNode}.`);

/** A refusal takes an npm start-up; anything longer means the guard let the real work begin. */
const refusalBudgetMs = 30_000;

interface Outcome {
  status: number | null;
  stderr: string;
  stdout: string;
}

/** Runs `command` with the old Node (and its npm) first on PATH and none of our npm's variables. */
function runWithOldNode(command: string, args: string[]): Promise<Outcome> {
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith('npm_')));
  env.PATH = `${dirname(oldNode!)}:${process.env.PATH ?? ''}`;
  const home = mkdtempSync(join(tmpdir(), 'concierge-old-node-'));
  // A fresh npm cache and config, and npm kept offline (no update check): nothing leaves the machine.
  env.HOME = home;
  env.npm_config_cache = join(home, '.npm');
  env.npm_config_offline = 'true';
  env.npm_config_update_notifier = 'false';
  return new Promise((resolve, reject) => {
    // Its own process group, so that a guard that failed to stop it (npm test going on to tsc
    // and vitest) is ended whole instead of left running.
    const child = spawn(command, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const stop = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }, refusalBudgetMs);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(stop);
      rmSync(home, { recursive: true, force: true });
      resolve({ status, stdout, stderr });
    });
  });
}

function expectPlainRefusal(outcome: Outcome, task: string): void {
  expect(outcome.status).not.toBe(0);
  expect(outcome.stderr).toContain(`${task} needs Node.js ${requiredNode} or newer (24 LTS recommended; .nvmrc says 24)`);
  expect(outcome.stderr).toContain('npm install --prefix ~/.cache/node24 node@24');
  // Refused before any TypeScript loaded: no loader error, no stack trace.
  expect(outcome.stderr + outcome.stdout).not.toMatch(/ERR_UNKNOWN_FILE_EXTENSION|\n\s+at /);
}

describe.skipIf(!oldNode)(`the entry points on an old Node (${oldNode ?? 'none found'})`, () => {
  it.each([
    ['bin/postinstall.js', [], 'Set-up (npm ci)'],
    ['bin/start.js', [], 'npm start'],
    ['bin/check-node.js', ['npm', 'test'], 'npm test'],
    ['bin/concierge.js', ['ask', 'XERO11'], 'concierge'],
  ])('node %s exits 1 with the plain message', async (file, args, task) => {
    const outcome = await runWithOldNode(oldNode!, [file, ...args]);
    expect(outcome.status).toBe(1);
    expectPlainRefusal(outcome, task);
  });

  it.each([
    ['run', 'postinstall', 'Set-up (npm ci)'],
    ['run', 'start', 'npm start'],
    ['run', 'test', 'npm test'],
  ])(
    'npm %s %s (the package.json script) refuses plainly',
    async (verb, script, task) => {
      if (!oldNpm) return;
      const outcome = await runWithOldNode(oldNpm, [verb, script]);
      expectPlainRefusal(outcome, task);
    },
    refusalBudgetMs + 10_000,
  );
});
