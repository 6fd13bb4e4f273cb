// The real-world sets are data others will measure against: every item must keep its source and
// its reason, and its labels must stay readable by bench:kb. The held-out sets must be new: no
// source page or text shared with the development set or with each other.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEvalCases, type EvalCase } from '../../bench/kb-eval.ts';

const setPath = (name: string) => join(import.meta.dirname, '../../bench', name);
const dev = readEvalCases(setPath('real-world-dev.jsonl'));
const holdout = readEvalCases(setPath('real-world-holdout.jsonl'));
const holdout3 = readEvalCases(setPath('real-world-holdout-3.jsonl'));
const holdout4 = readEvalCases(setPath('real-world-holdout-4.jsonl'));
const holdout5 = readEvalCases(setPath('real-world-holdout-5.jsonl'));
const holdout6 = readEvalCases(setPath('real-world-holdout-6.jsonl'));
const holdout7 = readEvalCases(setPath('real-world-holdout-7.jsonl'));
const holdout8 = readEvalCases(setPath('real-world-holdout-8.jsonl'));
const holdout9 = readEvalCases(setPath('real-world-holdout-9.jsonl'));
const holdout10 = readEvalCases(setPath('real-world-holdout-10.jsonl'));
const holdout11 = readEvalCases(setPath('real-world-holdout-11.jsonl'));
const holdout12 = readEvalCases(setPath('real-world-holdout-12.jsonl'));
const holdout13 = readEvalCases(setPath('real-world-holdout-13.jsonl'));
const holdout14 = readEvalCases(setPath('real-world-holdout-14.jsonl'));
const holdout15 = readEvalCases(setPath('real-world-holdout-15.jsonl'));
const holdout16 = readEvalCases(setPath('real-world-holdout-16.jsonl'));
const holdout17 = readEvalCases(setPath('real-world-holdout-17.jsonl'));
const holdout18 = readEvalCases(setPath('real-world-holdout-18.jsonl'));
const holdout19 = readEvalCases(setPath('real-world-holdout-19.jsonl'));
const holdout20 = readEvalCases(setPath('real-world-holdout-20.jsonl'));
const holdout21 = readEvalCases(setPath('real-world-holdout-21.jsonl'));
const slackStyleLetters = ['a', 'b', 'c', 'd', 'e', 'f', 'g'] as const;
const slackStyle = slackStyleLetters.map((letter) => readEvalCases(setPath(`slack-style-blind-${letter}.jsonl`)));
// Later Slack-style sets were written from the articles' titles alone, like the short-query sets, with 20 look-alikes each.
const slackStyleFromTitlesLetters = ['h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', 'p', 'q', 'r', 's', 't'] as const;
const slackStyleFromTitles = slackStyleFromTitlesLetters.map((letter) => readEvalCases(setPath(`slack-style-blind-${letter}.jsonl`)));
const shortQueryLetters = 'abcdefghijklmnopqrstuv'.split('');
const shortQueries = shortQueryLetters.map((letter) => readEvalCases(setPath(`short-query-blind-${letter}.jsonl`)));
// A GitHub thread (owner/repo#123) or a web page.
const sourceRe = /^([\w.-]+\/[\w.-]+#\d+|https?:\/\/\S+)$/;
// A web page without its #fragment; a GitHub thread keeps its number.
const page = (src: string | undefined) => (src?.startsWith('http') ? src.split('#')[0] : src);

function checkItems(cases: EvalCase[]): void {
  const seen = new Set<string>();
  for (const c of cases) {
    expect(c.q.trim(), JSON.stringify(c)).not.toBe('');
    expect(c.src, c.q).toMatch(sourceRe);
    expect(c.note?.trim(), c.q).toBeTruthy();
    expect(c.ok.length, c.q).toBeGreaterThan(0);
    for (const id of c.ok) expect(id, c.q).toMatch(/^[A-Z][A-Z0-9_]*$/);
    if (c.ok.includes('NONE')) expect(c.ok, c.q).toEqual(['NONE']);
    expect(seen.has(c.q), c.q).toBe(false);
    seen.add(c.q);
  }
}

/** A written set's items: a `src` saying how it was written, well-formed labels, each question once (`caseless`: in any case). */
function checkWrittenItems(cases: EvalCase[], srcRe: RegExp, { caseless = false } = {}): void {
  const seen = new Set<string>();
  for (const c of cases) {
    expect(c.src, c.q).toMatch(srcRe);
    for (const id of c.ok) expect(id, c.q).toMatch(/^[A-Z][A-Z0-9_]*$/);
    if (c.ok.includes('NONE')) expect(c.ok, c.q).toEqual(['NONE']);
    const key = caseless ? c.q.toLowerCase() : c.q;
    expect(seen.has(key), c.q).toBe(false);
    seen.add(key);
  }
}

describe('real-world development set', () => {
  it('holds at least 150 items, at least 20 of them out of scope', () => {
    expect(dev.length).toBeGreaterThanOrEqual(150);
    expect(dev.filter((c) => c.ok.includes('NONE')).length).toBeGreaterThanOrEqual(20);
  });

  it('gives every item a source, a reason and well-formed labels, each question once', () => checkItems(dev));
});

// Help centres answer one article with or without its title slug (.../articles/360002014311-Xero-sync-error...).
const samePage = (a: string, b: string) => a === b || a.startsWith(`${b}-`) || b.startsWith(`${a}-`);

/** How many items of `set` share a source page, and how many a text, with `others`: counts only, so a failure never prints the other sets' items. */
function sharedWith(set: EvalCase[], others: EvalCase[]): { pages: number; texts: number } {
  const pages = others.map((c) => page(c.src) ?? '');
  const texts = new Set(others.map((c) => c.q.trim()));
  return {
    pages: set.filter((c) => pages.some((p) => samePage(p, page(c.src) ?? ''))).length,
    texts: set.filter((c) => texts.has(c.q.trim())).length,
  };
}

// The second held-out set, measured several times, became part of the development set; the third replaces it.
describe('third real-world held-out set', () => {
  it('holds at least 50 items, at least 10 of them out-of-scope look-alikes', () => {
    expect(holdout3.length).toBeGreaterThanOrEqual(50);
    expect(holdout3.filter((c) => c.ok.includes('NONE')).length).toBeGreaterThanOrEqual(10);
  });

  it('gives every item a source, a reason and well-formed labels, each question once', () => checkItems(holdout3));

  it('shares no source page and no text with the development set or the first held-out set', () => {
    expect(sharedWith(holdout3, [...dev, ...holdout])).toEqual({ pages: 0, texts: 0 });
  });
});

// Built while the third one was still unread by anyone tuning the engine, labelled and committed before its first run.
describe('fourth real-world held-out set', () => {
  it('holds at least 40 items, at least 10 of them out-of-scope look-alikes', () => {
    expect(holdout4.length).toBeGreaterThanOrEqual(40);
    expect(holdout4.filter((c) => c.ok.includes('NONE')).length).toBeGreaterThanOrEqual(10);
  });

  it('gives every item a source, a reason and well-formed labels, each question once', () => checkItems(holdout4));

  it('shares no source page and no text with the development set or the earlier held-out sets', () => {
    expect(sharedWith(holdout4, [...dev, ...holdout, ...holdout3])).toEqual({ pages: 0, texts: 0 });
  });
});

// Built before any change of the generalisation round that reads it, labelled and committed before its first run.
describe('fifth real-world held-out set', () => {
  it('holds at least 50 items, at least 12 of them out-of-scope look-alikes', () => {
    expect(holdout5.length).toBeGreaterThanOrEqual(50);
    expect(holdout5.filter((c) => c.ok.includes('NONE')).length).toBeGreaterThanOrEqual(12);
  });

  it('gives every item a source, a reason and well-formed labels, each question once', () => checkItems(holdout5));

  it('shares no source page and no text with the development set or the earlier held-out sets', () => {
    expect(sharedWith(holdout5, [...dev, ...holdout, ...holdout3, ...holdout4])).toEqual({ pages: 0, texts: 0 });
  });
});

// Collected by people who ran nothing on them, from different kinds of source (SDK and integration issues with Q&A
// threads; vendor help pages and forums; help pages and issues of products and repositories no other set uses), each
// labelled and committed before anything ran on it.
const collectedBlind = [holdout6, holdout7, holdout8, holdout9, holdout10, holdout11, holdout12, holdout13, holdout14, holdout15, holdout16, holdout17, holdout18, holdout19, holdout20, holdout21];
describe.each([
  ['sixth', holdout6, 45],
  ['seventh', holdout7, 45],
  ['eighth', holdout8, 45],
  ['ninth', holdout9, 45],
  // Collected in a shorter time, when few unused sources were left.
  ['tenth', holdout10, 40],
  // Only from domains and repositories no other set uses, while others widened the articles from the used ones.
  ['eleventh', holdout11, 45],
  // Likewise, and also away from every page read to widen the articles and from Expensify's, whose codes were added.
  ['twelfth', holdout12, 45],
  // Likewise, when even unused sources were scarce: mostly help pages of products in other industries.
  ['thirteenth', holdout13, 35],
  // Collected later by a helper who had seen only the articles' titles, from sources none of the others uses.
  ['fourteenth', holdout14, 45],
  // Likewise, by four helpers at once: issues of Xero's SDKs and integrations, and help pages and forums.
  ['fifteenth', holdout15, 60],
  ['sixteenth', holdout16, 60],
  // Likewise, by two helpers, a session later: issues of Xero's SDKs and integrations (unused ones were scarce), and help pages.
  ['seventeenth', holdout17, 60],
  ['eighteenth', holdout18, 60],
  // Likewise, by two helpers in the session after that: SDK and integration issues, and help pages and forums.
  ['nineteenth', holdout19, 60],
  ['twentieth', holdout20, 60],
  // Likewise, by one helper in the session after that, when about nine in ten of the top search hits were used:
  // less-visited SDK and integration issues, and help pages.
  ['twenty-first', holdout21, 100],
] as const)('%s real-world held-out set', (_, set, minItems) => {
  it(`holds at least ${minItems} items, at least 12 of them labelled NONE`, () => {
    expect(set.length).toBeGreaterThanOrEqual(minItems);
    expect(set.filter((c) => c.ok.includes('NONE')).length).toBeGreaterThanOrEqual(12);
  });

  it('gives every item a source, a reason and well-formed labels, each question once', () => checkItems(set));

  it('shares no source page and no text with the development set or any other held-out set', () => {
    const siblings = collectedBlind.filter((other) => other !== set).flat();
    expect(sharedWith(set, [...dev, ...holdout, ...holdout3, ...holdout4, ...holdout5, ...siblings])).toEqual({ pages: 0, texts: 0 });
  });
});

// Written, not collected: short Slack messages in a helper's own words, ideas taken from public help pages and SDK issues
// (named in `src`), as finance users (a, c, d, e) and support agents, developers and customers writing to them (b, f, g)
// type; labelled before any run.
describe.each(slackStyleLetters.map((letter, index) => [letter, index] as const))('Slack-style blind set %s', (_, index) => {
  const set = slackStyle[index]!;
  // Set e lost one look-alike: its text was set d's word for word.
  it('holds 40 in-scope items and 9 or 10 labelled NONE, each with a reason and well-formed labels, each question once', () => {
    expect(set.filter((c) => !c.ok.includes('NONE')).length).toBe(40);
    expect(set.filter((c) => c.ok.includes('NONE')).length).toBeGreaterThanOrEqual(9);
    checkWrittenItems(set, /^written \([^)]+\); idea from \S/);
    for (const c of set) expect(c.note?.trim(), c.q).toBeTruthy();
  });

  it('shares no text with the real-world sets or the other Slack-style sets', () => {
    const others = [...dev, ...holdout, ...holdout3, ...holdout4, ...holdout5, ...collectedBlind.flat(), ...slackStyle.filter((other) => other !== set).flat()];
    expect(sharedWith(set, others).texts).toBe(0);
  });
});

// Written, not collected: the short queries people type into a search box or after /concierge, each set by a helper who had
// seen only the articles' titles when writing and read the articles only to label. Short queries collide (two people type
// "xero01"), so a question already in an earlier set was dropped from the later one.
describe.each(shortQueryLetters.map((letter, index) => [letter, index] as const))('short-query blind set %s', (_, index) => {
  const set = shortQueries[index]!;
  it('holds at least 30 in-scope items and 11 labelled NONE, each written blind, with well-formed labels, each question once', () => {
    expect(set.filter((c) => !c.ok.includes('NONE')).length).toBeGreaterThanOrEqual(30);
    expect(set.filter((c) => c.ok.includes('NONE')).length).toBeGreaterThanOrEqual(11);
    checkWrittenItems(set, /^written \(short query; [^)]+\)$/, { caseless: true });
    for (const c of set) expect(c.q.split(/\s+/).length, c.q).toBeLessThanOrEqual(16);
  });

  it('shares no question with the real-world sets, the Slack-style sets or an earlier short-query set', () => {
    const others = [...dev, ...holdout, ...holdout3, ...holdout4, ...holdout5, ...collectedBlind.flat(), ...slackStyle.flat(), ...shortQueries.slice(0, index).flat()];
    const earlier = new Set(others.map((c) => c.q.trim().toLowerCase()));
    expect(set.filter((c) => earlier.has(c.q.trim().toLowerCase())).map((c) => c.q)).toEqual([]);
  });
});

describe.each(slackStyleFromTitlesLetters.map((letter, index) => [letter, index] as const))('Slack-style set %s, written from the titles', (_, index) => {
  const set = slackStyleFromTitles[index]!;
  it('holds 40 or more in-scope items and 19 or more labelled NONE, each written blind, with well-formed labels, each message once', () => {
    expect(set.filter((c) => !c.ok.includes('NONE')).length).toBeGreaterThanOrEqual(40);
    expect(set.filter((c) => c.ok.includes('NONE')).length).toBeGreaterThanOrEqual(19);
    checkWrittenItems(set, /^written \(Slack message; [^)]+\)$/);
  });

  it('shares no text with any other set', () => {
    const others = [...dev, ...holdout, ...holdout3, ...holdout4, ...holdout5, ...collectedBlind.flat(), ...slackStyle.flat(), ...shortQueries.flat(), ...slackStyleFromTitles.slice(0, index).flat()];
    expect(sharedWith(set, others).texts).toBe(0);
  });
});
