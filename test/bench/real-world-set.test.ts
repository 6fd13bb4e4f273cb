// The real-world development set is data others will measure against: every item must keep its
// source and its reason, and its labels must stay readable by bench:kb.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEvalCases } from '../../bench/kb-eval.ts';

const cases = readEvalCases(join(import.meta.dirname, '../../bench/real-world-dev.jsonl'));
// A GitHub thread (owner/repo#123) or a web page.
const sourceRe = /^([\w.-]+\/[\w.-]+#\d+|https?:\/\/\S+)$/;

describe('real-world development set', () => {
  it('holds at least 150 items, at least 20 of them out of scope', () => {
    expect(cases.length).toBeGreaterThanOrEqual(150);
    expect(cases.filter((c) => c.ok.includes('NONE')).length).toBeGreaterThanOrEqual(20);
  });

  it('gives every item a source, a reason and well-formed labels', () => {
    for (const c of cases) {
      expect(c.q.trim(), JSON.stringify(c)).not.toBe('');
      expect(c.src, c.q).toMatch(sourceRe);
      expect(c.note?.trim(), c.q).toBeTruthy();
      expect(c.ok.length, c.q).toBeGreaterThan(0);
      for (const id of c.ok) expect(id, c.q).toMatch(/^[A-Z][A-Z0-9_]*$/);
      if (c.ok.includes('NONE')) expect(c.ok, c.q).toEqual(['NONE']);
    }
  });

  it('lists each question once', () => {
    const seen = new Set<string>();
    for (const c of cases) {
      expect(seen.has(c.q), c.q).toBe(false);
      seen.add(c.q);
    }
  });
});
