// A second opinion for the answer engine: plain BM25 over the articles' own words, with none of our
// synonyms, stop words or stemming, scored as MiniSearch does with its default settings (the
// off-the-shelf baseline bench:kb measures against; a test keeps the two in step). It was fitted to
// no question set, so where it agrees with the engine the engine can trust its order more.
// Each word's weight per article is worked out at load, so a query costs a few map reads per word.
import type { Article } from './article.ts';
import { sortByScore } from './bm25-index.ts';

/** Fields indexed, each scored on its own and added up with equal weight. */
const fields = ['title', 'codes', 'patterns', 'signals', 'symptoms', 'body'] as const;
/** MiniSearch's defaults: BM25+ with saturation k, length normalisation b and floor d. */
const k = 1.2;
const b = 0.7;
const d = 0.5;
/** Words are whatever lies between spaces, line breaks and punctuation (symbols such as `=` stay). */
export const separatorRe = /[\n\r\p{Z}\p{P}]+/u;
/** The same separators among ASCII characters, matched about twice as fast as the Unicode classes (a test compares the two). */
export const asciiSeparatorRe = /[\n\r !"#%&'()*,\-./:;?@[\\\]_{}]+/;
/** Anything but printable ASCII, tabs and line breaks: a text holding none is split by asciiSeparatorRe. */
const beyondAsciiRe = /[^\t-~]/;
/** The words of a text, split as MiniSearch splits them. */
export function plainWords(text: string): string[] {
  return text.split(beyondAsciiRe.test(text) ? separatorRe : asciiSeparatorRe);
}

/** Character codes below 128 that asciiSeparatorRe matches. */
const isAsciiSeparator = Uint8Array.from({ length: 128 }, (_, code) => (asciiSeparatorRe.test(String.fromCharCode(code)) ? 1 : 0));

/**
 * plainWords() lower-cased, empty words left out. ASCII text is lower-cased once and read character by character:
 * a regex split and a lower-casing per word cost more. (Elsewhere lower-casing stays per word, as a whole text's
 * lower case can depend on the letters around one, as with a final sigma.)
 */
export function lowerPlainWords(text: string): string[] {
  const words: string[] = [];
  if (beyondAsciiRe.test(text)) {
    for (const word of text.split(separatorRe)) if (word) words.push(word.toLowerCase());
    return words;
  }
  const lower = text.toLowerCase();
  let start = -1;
  for (let i = 0; i < lower.length; i++) {
    if (isAsciiSeparator[lower.charCodeAt(i)] === 1) {
      if (start >= 0) words.push(lower.slice(start, i));
      start = -1;
    } else if (start < 0) {
      start = i;
    }
  }
  if (start >= 0) words.push(lower.slice(start));
  return words;
}

export interface PlainHit {
  id: string;
  /** Index of the article in the array given to createPlainRanker. */
  doc: number;
  score: number;
}

interface Postings {
  /** Where the term's articles and weights lie in allDocs and allWeights. */
  start: number;
  end: number;
  /** The query that last used this word, and how often the word occurs in it. */
  seenIn: number;
  repeats: number;
}

export interface PlainRanker {
  /** The articles sharing any word with the text, best first. */
  rank(text: string): PlainHit[];
  /**
   * The same order as article indices, without a hit object per article (the answer engine reads
   * only a few ranks): `docs` best first, `score(doc)` their scores, valid until the next call.
   */
  order(text: string): { docs: number[]; score: (doc: number) => number };
}

function fieldText(article: Article, field: (typeof fields)[number]): string {
  const value = article[field];
  return Array.isArray(value) ? value.join('\n') : value;
}

export function createPlainRanker(articles: readonly Article[]): PlainRanker {
  const n = articles.length;
  // Per field: each article's length (distinct raw words) and its term counts.
  const perField = fields.map((field) => {
    const lengths: number[] = [];
    const counts: Map<string, number>[] = [];
    for (const article of articles) {
      const words = fieldText(article, field).split(separatorRe);
      lengths.push(new Set(words).size);
      const tf = new Map<string, number>();
      for (const w of words) {
        const term = w.toLowerCase();
        if (term) tf.set(term, (tf.get(term) ?? 0) + 1);
      }
      counts.push(tf);
    }
    const average = lengths.reduce((sum, l) => sum + l, 0) / Math.max(n, 1) || 1;
    return { lengths, counts, average };
  });

  // term -> article index -> summed weight over fields (each field with its own document frequency).
  const byTerm = new Map<string, Map<number, number>>();
  for (const { lengths, counts, average } of perField) {
    const docFreq = new Map<string, number>();
    for (const tf of counts) for (const term of tf.keys()) docFreq.set(term, (docFreq.get(term) ?? 0) + 1);
    counts.forEach((tf, doc) => {
      for (const [term, count] of tf) {
        const df = docFreq.get(term)!;
        const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
        const weight = idf * (d + (count * (k + 1)) / (count + k * (1 - b + (b * lengths[doc]!) / average)));
        let weights = byTerm.get(term);
        if (!weights) byTerm.set(term, (weights = new Map()));
        weights.set(doc, (weights.get(doc) ?? 0) + weight);
      }
    });
  }
  // Every term's articles and weights side by side in two arrays, so that the lists a query reads lie close together.
  const postings = new Map<string, Postings>();
  let size = 0;
  for (const weights of byTerm.values()) size += weights.size;
  const allDocs = new Int32Array(size);
  const allWeights = new Float64Array(size);
  let end = 0;
  for (const [term, weights] of byTerm) {
    const start = end;
    for (const [doc, weight] of weights) {
      allDocs[end] = doc;
      allWeights[end++] = weight;
    }
    postings.set(term, { start, end, seenIn: 0, repeats: 0 });
  }

  const scores = new Float64Array(n);
  const distinct = new Int32Array(n);
  const final = new Float64Array(n);
  const score = (doc: number) => final[doc]!;
  let query = 0;
  function order(text: string): { docs: number[]; score: (doc: number) => number } {
    // A word repeated in the question counts each time; an article is then worth its score times
    // the number of distinct question words it contains. Each word's posting list is visited once,
    // in the order the words first occur (a stamp per list instead of a map per query: answering runs on the ack path).
    query++;
    const used: Postings[] = [];
    for (const word of lowerPlainWords(text)) {
      const p = postings.get(word);
      if (!p) continue;
      if (p.seenIn !== query) {
        p.seenIn = query;
        p.repeats = 0;
        used.push(p);
      }
      p.repeats++;
    }
    const touched: number[] = [];
    for (const p of used) {
      const times = p.repeats;
      for (let i = p.start; i < p.end; i++) {
        const doc = allDocs[i]!;
        if (distinct[doc] === 0) touched.push(doc);
        scores[doc] = scores[doc]! + times * allWeights[i]!;
        distinct[doc] = distinct[doc]! + 1;
      }
    }
    for (const doc of touched) {
      final[doc] = scores[doc]! * distinct[doc]!;
      scores[doc] = 0;
      distinct[doc] = 0;
    }
    return { docs: sortByScore(touched, final), score };
  }
  return {
    order,
    rank(text) {
      return order(text).docs.map((doc) => ({ id: articles[doc]!.id, doc, score: final[doc]! }));
    },
  };
}
