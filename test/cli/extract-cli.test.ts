// `concierge extract` spawned as a real process, as a person checking a paste runs it.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const bin = join(import.meta.dirname, '../../bin/concierge.js');

function concierge(args: string[], input = '') {
  const result = spawnSync(process.execPath, [bin, 'extract', ...args], {
    input,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '' },
    timeout: 30_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const paste = "report 'March travel' for Acme Ltd\nXERO01 Error: Unable to complete action to Xero.\nyesterday at 3pm";

describe('concierge extract', () => {
  it('prints each field with where it came from', () => {
    const { code, stdout } = concierge(['--tz', 'Europe/London', '--sent', '2026-11-20T10:30:00Z', '--org', 'Acme Ltd'], paste);
    expect(code).toBe(0);
    expect(stdout).toContain('message: XERO01 Error: Unable to complete action to Xero. (characters 35-83)');
    expect(stdout).toContain('time:    2026-11-19T15:00:00+00:00 from "yesterday at 3pm"');
    expect(stdout).toContain('org:     Acme Ltd (characters 26-34)');
  });

  it('prints the documented JSON fields', () => {
    const { code, stdout } = concierge(['--json', '--tz', 'Europe/London', '--sent', '2026-11-20T10:30:00Z'], paste);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({
      codes: ['XERO01'],
      message: 'XERO01 Error: Unable to complete action to Xero.',
      report: 'March travel',
      time: '2026-11-19T15:00:00+00:00',
      timeText: 'yesterday at 3pm',
      org: null,
    });
  });

  it('answers one line per JSON line in batch mode, reporting a bad line in place and going on', () => {
    const input = [
      JSON.stringify({ text: 'XERO11 Sync Error: expired, 20 minutes ago', tz: 'Pacific/Auckland', sent: '2026-11-20T03:00:00Z' }),
      'not json',
      JSON.stringify({ text: 'report R00123', tz: 'Mars/Base', sent: '2026-11-20T03:00:00Z' }),
      JSON.stringify({ text: 'INV-0042 at 2pm', tz: 'America/New_York', sent: '2026-11-20T21:00:00Z' }),
    ].join('\n');
    const { code, stdout, stderr } = concierge(['--batch'], input);
    expect(code).toBe(1);
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatchObject({ codes: ['XERO11'], time: '2026-11-20T15:40:00+13:00' });
    expect(lines[1]).toMatchObject({ line: 2, error: 'invalid_batch_line' });
    expect(lines[2]).toMatchObject({ line: 3, error: 'unknown_time_zone' });
    expect(lines[3]).toMatchObject({ report: 'INV-0042', time: '2026-11-20T14:00:00-05:00' });
    expect(stderr).toContain('line 3: Unknown time zone "Mars/Base"');
  });

  it.each([
    [['--tz', 'Nowhere/Land'], 'Unknown time zone "Nowhere/Land"'],
    [['--sent', 'yesterday'], '"yesterday" is not an ISO 8601 time'],
    [['--frobnicate'], "Unknown option '--frobnicate'"],
    [['some', 'words'], 'reads the text from standard input'],
  ])('exits 2 with usage on %j', (args, why) => {
    const { code, stderr } = concierge(args, 'x');
    expect(code).toBe(2);
    expect(stderr).toContain(why);
    expect(stderr).toContain('Usage: concierge');
  });
});
