import { describe, expect, it } from 'vitest';
import { bestByScore, createBm25Index, sortByScore } from '../../src/knowledge/bm25-index.ts';
import { createTypoCorrector } from '../../src/knowledge/typo-corrector.ts';

const words = (s: string) => s.split(' ').filter(Boolean);

describe('createBm25Index', () => {
  const index = createBm25Index(
    [
      [words('token expired'), words('the access token expired after thirty minutes')],
      [words('account code invalid'), words('the account code was archived in xero')],
      [words('xero outage'), words('xero is unavailable the token is fine')],
    ],
    [2.5, 1],
  );

  it('ranks the document whose heading has the words first, and leaves out non-matching ones', () => {
    const hits = index.search(['token', 'expired'], 5);
    expect(hits.map((h) => h.doc)).toEqual([0, 2]);
    expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
  });

  it('weighs rare words above common ones', () => {
    expect(index.idf('archived')).toBeGreaterThan(index.idf('xero'));
    expect(index.idf('never-seen')).toBeGreaterThan(index.idf('archived'));
    expect(index.docFreq('xero')).toBe(2);
    expect(index.docFreq('never-seen')).toBe(0);
  });

  it('honours the limit and counts a repeated query word once', () => {
    expect(index.search(['xero', 'xero', 'xero'], 1)).toHaveLength(1);
    expect(index.search(['xero', 'xero'], 5)).toEqual(index.search(['xero'], 5));
  });

  it('returns nothing for unknown words and forgets earlier queries', () => {
    index.search(['token'], 5);
    expect(index.search(['sourdough'], 5)).toEqual([]);
    expect(index.search(['archived'], 5).map((h) => h.doc)).toEqual([1]);
  });
});

describe('bestByScore', () => {
  it('picks the first few exactly as sorting them all would, ties by document index', () => {
    // Scores from a few values, so that many tie.
    const scores = Float64Array.from({ length: 60 }, (_, i) => [0.5, 1, 1.5, 2][(i * 7) % 4]! * (i % 3 === 0 ? 1 : 2));
    for (let seed = 1; seed <= 50; seed++) {
      const docs = Array.from({ length: 60 }, (_, i) => i).sort((a, b) => ((a * seed * 31) % 61) - ((b * seed * 31) % 61));
      for (const limit of [1, 2, 8, 30, 59]) {
        expect(bestByScore(docs, scores, limit)).toEqual(sortByScore([...docs], scores, true).slice(0, limit));
      }
    }
  });
});

describe('createTypoCorrector', () => {
  const popularity: Record<string, number> = { account: 5, accounts: 1, reconnect: 3, invoic: 4, expire: 2 };
  const typos = createTypoCorrector(Object.keys(popularity), (w) => popularity[w] ?? 0);

  it('fixes one missing, extra, wrong or swapped letter', () => {
    expect(typos.correct('acount')).toBe('account');
    expect(typos.correct('reconnnect')).toBe('reconnect');
    expect(typos.correct('reconmect')).toBe('reconnect');
    expect(typos.correct('reocnnect')).toBe('reconnect');
  });

  it('prefers the most widely used of equally close words', () => {
    expect(typos.correct('accountz')).toBe('account');
  });

  it('leaves short words and words two edits away alone', () => {
    expect(typos.correct('expir')).toBe('expire');
    expect(typos.correct('exp')).toBeNull();
    expect(typos.correct('rekonect')).toBeNull();
    expect(typos.correct('account')).toBeNull();
  });
});
