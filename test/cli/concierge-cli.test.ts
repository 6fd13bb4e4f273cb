// The CLI spawned as a real process, as a user runs it.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { articleText, knowledgeDir } from '../knowledge/fixtures.ts';

const bin = join(import.meta.dirname, '../../bin/concierge.js');

function concierge(args: string[], options: { input?: string; env?: Record<string, string> } = {}) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    input: options.input ?? '',
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', ...options.env },
    timeout: 30_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('concierge ask', () => {
  it('answers a pasted XERO11 error in readable text', () => {
    const { code, stdout } = concierge(['ask', 'XERO11 Sync Error: The connection to Xero has expired']);
    expect(code).toBe(0);
    expect(stdout).toContain('[XERO11, matched "XERO11');
    expect(stdout).toContain('How to fix it:');
    expect(stdout).toMatch(/^ {2}1\. /m);
  });

  it('prints one JSON object with the documented fields', () => {
    const { code, stdout } = concierge(['ask', '--json', 'XERO11', 'Sync', 'Error']);
    expect(code).toBe(0);
    const answer = JSON.parse(stdout);
    expect(answer.question).toBe('XERO11 Sync Error');
    expect(answer.article).toMatchObject({ id: 'XERO11', title: expect.any(String), codes: expect.arrayContaining(['XERO11']) });
    expect(answer.confidence).toBe(1);
    expect(Array.isArray(answer.alternatives)).toBe(true);
  });

  it('answers one question per line of standard input in batch mode', () => {
    const { code, stdout } = concierge(['ask', '--json'], { input: 'XERO01\n\nhow do I bake sourdough\nQBO01\n' });
    expect(code).toBe(0);
    const answers = stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(answers.map((a) => a.article?.id ?? null)).toEqual(['XERO01', null, null]);
    expect(answers[2].unknownCode).toBe('QBO01');
  });

  it('tells the user when no article fits and offers escalation', () => {
    const { code, stdout } = concierge(['ask', 'QBO01']);
    expect(code).toBe(0);
    expect(stdout).toContain('I don\'t know the code "QBO01"');
    expect(stdout).toContain('Escalate to support');
  });

  it('says when a question is about another accounting system instead of guessing an article', () => {
    const { code, stdout } = concierge(['ask', 'QuickBooks says the refresh token has expired']);
    expect(code).toBe(0);
    expect(stdout).toContain('names another accounting system');
    expect(stdout).not.toContain('TOKEN_EXPIRED');
  });

  it('rejects unknown flags and commands with usage and exit code 2', () => {
    for (const args of [['ask', '--bogus', 'x'], ['frobnicate'], ['kb', 'explode'], []]) {
      const { code, stderr } = concierge(args);
      expect(code, args.join(' ')).toBe(2);
      expect(stderr).toContain('Usage: concierge <command>');
    }
  });

  it('reports a bad configuration value clearly', () => {
    const { code, stderr } = concierge(['ask', 'XERO11'], { env: { CONCIERGE_MIN_CONFIDENCE: 'high' } });
    expect(code).toBe(1);
    expect(stderr).toContain('CONCIERGE_MIN_CONFIDENCE="high" is invalid');
  });
});

describe('concierge kb', () => {
  it('lint passes on the bundled articles', () => {
    const { code, stdout } = concierge(['kb', 'lint']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^\d+ articles OK/);
  });

  it('lint exits 1 and names file and field for each problem', () => {
    const dir = knowledgeDir({ 'broken.md': articleText({ id: 'BROKEN', category: 'weather' }) });
    const { code, stderr } = concierge(['kb', 'lint', dir]);
    expect(code).toBe(1);
    expect(stderr).toContain('broken.md:category:');
  });

  it('list shows every article id, and reads CONCIERGE_KNOWLEDGE_DIR', () => {
    const dir = knowledgeDir({ 'one.md': articleText({ id: 'ONE' }), 'two.md': articleText({ id: 'TWO' }) });
    const { code, stdout } = concierge(['kb', 'list'], { env: { CONCIERGE_KNOWLEDGE_DIR: dir } });
    expect(code).toBe(0);
    expect(stdout.split('\n').filter(Boolean).map((l) => l.split(/\s+/)[0])).toEqual(['ONE', 'TWO']);
  });
});
