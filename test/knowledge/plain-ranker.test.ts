import { join } from 'node:path';
import MiniSearch from 'minisearch';
import { describe, expect, it } from 'vitest';
import type { Article } from '../../src/knowledge/article.ts';
import { loadKnowledge } from '../../src/knowledge/load-knowledge.ts';
import { asciiSeparatorRe, createPlainRanker, lowerPlainWords, plainWords, separatorRe } from '../../src/knowledge/plain-ranker.ts';
import { readEvalCases } from '../../bench/kb-eval.ts';
import { articleText, knowledgeDir } from './fixtures.ts';

describe('plain ranker', () => {
  it('orders the bundled articles exactly as MiniSearch with default settings does, for every development question', () => {
    const articles = loadKnowledge(join(import.meta.dirname, '../../knowledge'));
    const miniSearch = new MiniSearch<Article>({
      fields: ['title', 'codes', 'patterns', 'signals', 'symptoms', 'body'],
      extractField: (article, field) => {
        const value = article[field as keyof Article];
        return Array.isArray(value) ? value.join('\n') : String(value ?? '');
      },
    });
    miniSearch.addAll(articles);
    const ranker = createPlainRanker(articles);
    const questions = ['questions.jsonl', '../../bench/real-world-dev.jsonl'].flatMap((f) => readEvalCases(join(import.meta.dirname, f)).map((c) => c.q));
    expect(questions.length).toBeGreaterThan(200);
    for (const q of questions) {
      const ours = ranker.rank(q);
      const theirs = miniSearch.search(q);
      expect(ours.map((h) => h.id), q).toEqual(theirs.map((h) => h.id));
      ours.forEach((h, i) => expect(h.score, q).toBeCloseTo(theirs[i]!.score, 9));
    }
  });

  it("matches the articles' own words as written: no stemming, no synonyms", () => {
    const dir = knowledgeDir({
      'a.md': articleText({ id: 'ALPHA', title: 'Widget exports stalled' }),
      'b.md': articleText({ id: 'BETA', title: 'Gadget export failed' }),
    });
    const ranker = createPlainRanker(loadKnowledge(dir));
    expect(ranker.rank('export')[0]?.id).toBe('BETA');
    expect(ranker.rank('exports')[0]?.id).toBe('ALPHA');
    expect(ranker.rank('nothing in common')).toEqual([]);
  });

  it('prefers the article holding more of the question\'s different words', () => {
    const dir = knowledgeDir({
      'a.md': articleText({ id: 'ALPHA', title: 'Widget widget widget' }),
      'b.md': articleText({ id: 'BETA', title: 'Widget sprocket' }),
    });
    expect(createPlainRanker(loadKnowledge(dir)).rank('widget sprocket')[0]?.id).toBe('BETA');
  });

  it('splits ASCII text on exactly the characters the Unicode separator splits on, and other text by the Unicode one', () => {
    for (let code = 0; code < 128; code++) {
      const char = String.fromCharCode(code);
      expect(asciiSeparatorRe.test(char), `character ${code}`).toBe(separatorRe.test(char));
    }
    expect(plainWords('token-expired: (401) at_xero')).toEqual(['token', 'expired', '401', 'at', 'xero']);
    // A no-break space and a curly quote are separators only to the Unicode classes.
    expect(plainWords('invoice\u00a0locked \u2018period\u2019')).toEqual(['invoice', 'locked', 'period', '']);
  });

  it('reads the same lower-cased words character by character as plainWords() splits', () => {
    const everyAscii = Array.from({ length: 128 }, (_, code) => String.fromCharCode(code)).join('');
    const texts = [
      '',
      '...',
      'Token-Expired: (401) at_XERO',
      '  leading and trailing  ',
      everyAscii,
      `${everyAscii}Word`,
      'Invoice\u00a0LOCKED \u2018Period\u2019',
      'ΣΟΦΟΣ\'Σ invoice',
      'tab\tinside, $5 + <tag> = ok~',
    ];
    for (const text of texts) {
      expect(lowerPlainWords(text), JSON.stringify(text)).toEqual(plainWords(text).filter(Boolean).map((w) => w.toLowerCase()));
    }
  });
});
