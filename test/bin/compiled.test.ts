// `npm start` runs dist/ only while it is a build of the sources as they are: an edit, a new file
// or a missing build sends it back to src/ by type stripping, so nobody runs stale code.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fingerprintFile, sourceFingerprint } from '../../bin/compiled.js';

const compiledModule = new URL('../../bin/compiled.js', import.meta.url).href;
let root: string;

/** What `npm start`'s choice loads in the project at `root`. */
function startedFrom(): string {
  const script = `const c = await import(${JSON.stringify(compiledModule)}); const root = ${JSON.stringify(root)}; await import(c.entryUrl('main.ts', c.distIsCurrent(root), root));`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  expect(run.stderr).toBe('');
  return run.stdout.trim();
}

function build(): void {
  mkdirSync(join(root, 'dist'), { recursive: true });
  writeFileSync(join(root, 'dist', 'main.js'), "console.log('dist');\n");
  writeFileSync(join(root, 'dist', fingerprintFile), `${sourceFingerprint(join(root, 'src'))}\n`);
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'concierge-compiled-'));
  mkdirSync(join(root, 'src', 'db'), { recursive: true });
  writeFileSync(join(root, 'src', 'main.ts'), "const where: string = 'src';\nconsole.log(where);\n");
  writeFileSync(join(root, 'src', 'db', 'open.ts'), 'export {};\n');
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('which code npm start runs', () => {
  it('runs src/ when nothing was built', () => {
    expect(startedFrom()).toBe('src');
  });

  it('runs dist/ while it is a build of the current sources', () => {
    build();
    expect(startedFrom()).toBe('dist');
  });

  it('runs src/ again once a source is edited, added or removed after the build', () => {
    build();
    const later = new Date(Date.now() + 5_000);
    utimesSync(join(root, 'src', 'db', 'open.ts'), later, later);
    expect(startedFrom()).toBe('src');

    build();
    writeFileSync(join(root, 'src', 'db', 'extra.ts'), 'export {};\n');
    expect(startedFrom()).toBe('src');

    build();
    rmSync(join(root, 'src', 'db', 'extra.ts'));
    expect(startedFrom()).toBe('src');
  });
});
