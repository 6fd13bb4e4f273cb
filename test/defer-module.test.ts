// A deferred module loads when something first reads from it, not when its parent requires it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { deferUntilUsed } from '../src/defer-module.ts';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function packageWithHeavyPart(): { require: NodeJS.Require; parent: string; heavy: string; loads: () => number } {
  dir = mkdtempSync(join(tmpdir(), 'defer-module-'));
  const counter = join(dir, 'loads.cjs');
  writeFileSync(counter, 'module.exports = { count: 0 };\n');
  const heavy = join(dir, 'heavy.cjs');
  writeFileSync(heavy, "require('./loads.cjs').count++;\nexports.connect = (url) => `connected to ${url}`;\nexports.kind = 'remote';\n");
  const parent = join(dir, 'parent.cjs');
  writeFileSync(parent, "const heavy = require('./heavy.cjs');\nexports.open = (url) => (url.startsWith('ws:') ? heavy.connect(url) : `local ${url}`);\n");
  const require = createRequire(join(dir, 'index.cjs'));
  return { require, parent, heavy, loads: () => (require(counter) as { count: number }).count };
}

describe('deferUntilUsed', () => {
  it('lets the parent load without the module, and loads it on the first read', () => {
    const { require, parent, heavy, loads } = packageWithHeavyPart();
    deferUntilUsed(require, heavy);
    const { open } = require(parent) as { open: (url: string) => string };
    expect(open('file:local.db')).toBe('local file:local.db');
    expect(loads()).toBe(0);
    expect(open('ws://example.test')).toBe('connected to ws://example.test');
    expect(loads()).toBe(1);
    expect(open('ws://again.test')).toBe('connected to ws://again.test');
    expect(loads()).toBe(1);
  });

  it('answers `in` from the real module', () => {
    const { require, heavy } = packageWithHeavyPart();
    deferUntilUsed(require, heavy);
    const standIn = require(heavy) as Record<string, unknown>;
    expect('kind' in standIn).toBe(true);
    expect(standIn.kind).toBe('remote');
  });

  it('leaves a module that is already loaded alone', () => {
    const { require, heavy, loads } = packageWithHeavyPart();
    const loaded = require(heavy) as { kind: string };
    deferUntilUsed(require, heavy);
    expect(require(heavy)).toBe(loaded);
    expect(loads()).toBe(1);
  });
});
