// `concierge failures import` spawned as a real process on a real SQLite file.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { openDatabase } from '../../src/db/index.ts';

const bin = join(import.meta.dirname, '../../bin/concierge.js');
let dataDir: string;

function concierge(args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', CONCIERGE_DATA_DIR: dataDir },
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const line = (reference: string, overrides: Record<string, unknown> = {}) =>
  JSON.stringify({
    slackTeamId: 'T0TEAM0001',
    tenantId: 'tenant-a',
    kind: 'invoice',
    reference,
    payload: { Type: 'ACCREC' },
    error: { message: 'Invoice # must be unique.' },
    occurredAt: '2026-11-30T08:00:00+01:00',
    ...overrides,
  });

async function storedFailures() {
  const db = await openDatabase(loadConfig({ CONCIERGE_DATA_DIR: dataDir }), { warn: () => {} });
  try {
    return await db.failedSyncs.listByTeam('T0TEAM0001', { limit: 5000 });
  } finally {
    await db.close();
  }
}

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'concierge-import-test-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

describe('concierge failures import', () => {
  it('stores the good lines, names each bad line with its reason, and exits 1', async () => {
    const file = join(dataDir, 'failed.jsonl');
    writeFileSync(file, [line('INV-1'), '', '{"slackTeamId": ', line('INV-2', { kind: 'quote' }), line('INV-3', { error: { message: 'Tax rate must be valid.' } })].join('\n') + '\n');
    const { code, stdout, stderr } = concierge(['failures', 'import', file]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^line 3: not valid JSON: /m);
    expect(stderr).toMatch(/^line 4: kind: /m);
    expect(stderr).not.toMatch(/^line [125]:/m);
    expect(stdout).toContain('4 failure line(s)');
    expect(stdout).toContain('2 stored, 0 already stored, 2 rejected');
    const rows = await storedFailures();
    expect(rows.map((r) => [r.externalReference, r.errorCode]).sort()).toEqual([
      ['INV-1', 'DUPLICATE_NUMBER'],
      ['INV-3', 'INVALID_TAX_RATE'],
    ]);
  });

  it('imports 1,500 lines in batches with progress, and stores nothing twice when run again', async () => {
    const file = join(dataDir, 'many.jsonl');
    writeFileSync(file, Array.from({ length: 1500 }, (_, i) => line(`BULK-${i}`)).join('\n'));
    const first = concierge(['failures', 'import', file]);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('1500 stored, 0 already stored, 0 rejected');
    // Not a terminal: one plain progress line per batch instead of a redrawn bar.
    expect(first.stderr.split('\n').filter((l) => l.includes('lines read from'))).toHaveLength(2);
    const again = concierge(['failures', 'import', file]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('0 stored, 1500 already stored');
    expect(await storedFailures()).toHaveLength(1500);
  }, 120_000);

  it('says what to do about a missing file or argument', () => {
    expect(concierge(['failures', 'import', join(dataDir, 'nope.jsonl')])).toMatchObject({ code: 1, stderr: expect.stringContaining('no such file') });
    expect(concierge(['failures', 'import'])).toMatchObject({ code: 2, stderr: expect.stringContaining('failures import takes one file') });
  });
});
