// The answer engine: pure, offline and fast. An exact code or known error string anywhere in the
// question wins outright; otherwise BM25 ranking (MiniSearch) picks candidates and a calibrated
// confidence decides whether to name one. Unknown codes are never answered with a confident guess.
import MiniSearch, { type SearchResult } from 'minisearch';
import type { Answer, Alternative, MatchKind } from './answer.ts';
import { summarize, type Article } from './article.ts';
import { phraseText, searchTerms } from './text.ts';

export const DEFAULT_MIN_CONFIDENCE = 0.35;
/** Longer input is cut before matching: pasted logs can be huge and the signal is near the top. */
export const MAX_QUESTION_CHARS = 4000;

export interface AnswerEngineOptions {
  minConfidence?: number | undefined;
}

export interface AnswerEngine {
  readonly articles: readonly Article[];
  readonly minConfidence: number;
  getArticle(id: string): Article | undefined;
  answer(question: string): Answer;
}

interface PhraseEntry {
  article: Article;
  kind: 'code' | 'pattern';
  /** The string as written in the article, to name it back to the user. */
  source: string;
  /** Padded normalised phrase, or a regex for patterns with `*` wildcards. */
  phrase: string;
  regex: RegExp | null;
  weight: number;
}

interface Hit {
  entry: PhraseEntry;
  position: number;
}

interface Scored {
  article: Article;
  confidence: number;
  score: number;
}

// Codes look like XERO11, QBO01 or TOKEN_EXPIRED: capitals with digits, or capitals joined by underscores.
const codeLikeRe = /\b(?:[A-Z]{2,}\d{2,}[A-Z0-9]*|[A-Z][A-Z0-9]+(?:_[A-Z0-9]+)+)\b/g;

const boosts = { title: 3, codes: 3, patterns: 2.5, symptoms: 2, body: 1 };

export function createAnswerEngine(articles: readonly Article[], options: AnswerEngineOptions = {}): AnswerEngine {
  const minConfidence = options.minConfidence ?? DEFAULT_MIN_CONFIDENCE;
  const byId = new Map(articles.map((a) => [a.id, a]));
  const phraseIndex = buildPhraseIndex(articles);
  const knownCodes = new Set(articles.flatMap((a) => [a.id, ...a.codes.map((c) => c.toUpperCase())]));

  // Per-article term sets: key fields say what the article is about; the body only supports it.
  const keyTerms = new Map<string, Set<string>>();
  const allTerms = new Map<string, Set<string>>();
  const docFreq = new Map<string, number>();
  for (const a of articles) {
    const key = new Set(searchTerms([a.title, ...a.codes, ...a.patterns, ...a.symptoms].join('\n')));
    const all = new Set([...key, ...searchTerms(a.body)]);
    keyTerms.set(a.id, key);
    allTerms.set(a.id, all);
    for (const t of all) docFreq.set(t, (docFreq.get(t) ?? 0) + 1);
  }
  const n = Math.max(articles.length, 1);
  const idf = (df: number) => Math.log(1 + (n - df + 0.5) / (df + 0.5));
  // A word no article uses weighs like the rarest word: it is evidence the question is about something else.
  const unknownWeight = idf(0);
  // Matched evidence worth about one moderately specific word (in a quarter of the articles) counts as specific enough.
  const enoughEvidence = 1.2 * idf(n / 4);

  const index = new MiniSearch<Article>({
    fields: Object.keys(boosts),
    idField: 'id',
    tokenize: (text) => searchTerms(text),
    processTerm: (term) => term,
    extractField: (doc, field) => {
      const value = (doc as unknown as Record<string, unknown>)[field];
      return Array.isArray(value) ? value.join('\n') : String(value ?? '');
    },
    searchOptions: {
      boost: boosts,
      fuzzy: (term) => (term.length >= 5 ? 0.2 : false),
      maxFuzzy: 2,
      combineWith: 'OR',
    },
  });
  index.addAll(articles as Article[]);

  /** Share of the question's meaningful wording (idf-weighted) that the article covers, times its specificity. */
  function coverage(terms: string[], result: SearchResult): number {
    const key = keyTerms.get(result.id as string)!;
    const all = allTerms.get(result.id as string)!;
    const fuzzyMatched = new Set(result.queryTerms);
    let total = 0;
    let matched = 0;
    for (const t of terms) {
      const df = docFreq.get(t);
      const w = df === undefined ? unknownWeight : idf(df);
      total += w;
      if (key.has(t)) matched += w;
      else if (all.has(t)) matched += 0.5 * w;
      // A typo matched within edit distance: nearly as good as the word itself.
      else if (fuzzyMatched.has(t)) matched += 0.7 * w;
    }
    if (total === 0) return 0;
    const share = matched / total;
    const specificity = Math.min(1, matched / enoughEvidence);
    return share ** 1.3 * specificity;
  }

  /**
   * BM25 proposes candidates; coverage decides the order, since a long article can outscore the one
   * that says exactly what was asked. The winner's confidence shrinks when the runner-up is close.
   */
  function rank(terms: string[]): Scored[] {
    if (terms.length === 0) return [];
    const results = index.search(terms.join(' '), { tokenize: (s) => s.split(' '), processTerm: (t) => t }).slice(0, 8);
    const best = results[0]?.score ?? 0;
    if (best <= 0) return [];
    const scored = results
      .map((r) => ({ article: byId.get(r.id as string)!, score: r.score, confidence: coverage(terms, r) * (r.score / best) ** 0.25 }))
      .sort((a, b) => b.confidence - a.confidence);
    // Each candidate is discounted by how close the best other one comes; runners-up by the most,
    // so no alternative ever looks more certain than the answer.
    return scored.map((x, i) => {
      const rival = (i === 0 ? scored[1]?.confidence : scored[0]?.confidence) ?? 0;
      const closeness = x.confidence > 0 ? Math.min(1, rival / x.confidence) : 1;
      return { ...x, confidence: round(x.confidence * (1 - 0.3 * closeness ** 3)) };
    });
  }

  function answer(rawQuestion: string): Answer {
    const question = rawQuestion.trim();
    if (!question) return noAnswer(rawQuestion, 'empty_question', null, []);
    const text = question.slice(0, MAX_QUESTION_CHARS);

    const hits = findPhrases(text, phraseIndex);
    const terms = [...new Set(searchTerms(text))];
    const ranked = rank(terms);

    const winner = pickWinner(hits);
    if (winner) {
      const kind: MatchKind = winner.entry.kind;
      const others = uniqueArticles([...hits.map((h) => h.entry.article), ...ranked.map((r) => r.article)], winner.entry.article);
      return {
        question,
        article: winner.entry.article,
        confidence: kind === 'code' ? 1 : 0.95,
        matchedBy: kind,
        matchedCode: winner.entry.source,
        unknownCode: null,
        reason: null,
        alternatives: others.slice(0, 3).map((a) => alternative(a, ranked)),
        actions: [...winner.entry.article.actions],
      };
    }

    const unknownCode = findUnknownCode(text, knownCodes);
    // An unknown code means the question is probably about another product: demand more evidence.
    const penalty = unknownCode ? 0.5 : 1;
    const scored = ranked.map((r) => ({ ...r, confidence: round(r.confidence * penalty) }));
    const top = scored[0];
    if (!top || top.confidence < minConfidence) {
      return noAnswer(question, unknownCode ? 'unknown_code' : 'low_confidence', unknownCode, scored);
    }
    return {
      question,
      article: top.article,
      confidence: top.confidence,
      matchedBy: 'search',
      matchedCode: null,
      unknownCode,
      reason: null,
      alternatives: scored.slice(1, 4).map(toAlternative),
      actions: [...top.article.actions],
    };
  }

  function noAnswer(question: string, reason: Answer['reason'], unknownCode: string | null, scored: Scored[]): Answer {
    return {
      question,
      article: null,
      confidence: scored[0]?.confidence ?? 0,
      matchedBy: 'none',
      matchedCode: null,
      unknownCode,
      reason,
      alternatives: scored.slice(0, 3).map(toAlternative),
      actions: ['escalate'],
    };
  }

  return {
    articles,
    minConfidence,
    getArticle: (id) => byId.get(id),
    answer,
  };
}

function buildPhraseIndex(articles: readonly Article[]): Map<string, PhraseEntry[]> {
  const index = new Map<string, PhraseEntry[]>();
  const add = (article: Article, kind: PhraseEntry['kind'], source: string) => {
    const parts = source.split('*').map((p) => phraseText(p).trim()).filter(Boolean);
    if (parts.length === 0) return;
    const first = parts[0]!.split(' ')[0]!;
    const regex =
      parts.length > 1
        ? new RegExp(` ${parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join(' (?:\\S+ ){0,8}')} `)
        : null;
    const phrase = ` ${parts[0]} `;
    const entry: PhraseEntry = { article, kind, source, phrase, regex, weight: parts.join(' ').length };
    const list = index.get(first);
    if (list) list.push(entry);
    else index.set(first, [entry]);
  };
  for (const a of articles) {
    // A code-like id is a code too, so "INVALID_ACCOUNT_CODE" finds its own article; a plain word
    // such as RECONNECT is not, or every question using that word would match it outright.
    const idIsCode = /[_\d]/.test(a.id) && !a.codes.some((c) => c.toUpperCase() === a.id);
    const codes = idIsCode ? [a.id, ...a.codes] : a.codes;
    for (const c of codes) add(a, 'code', c);
    for (const p of a.patterns) add(a, 'pattern', p);
  }
  return index;
}

/** Every code or pattern that occurs in the text; looked up by first word so cost follows the text, not the KB. */
function findPhrases(text: string, index: Map<string, PhraseEntry[]>): Hit[] {
  const padded = phraseText(text);
  const hits: Hit[] = [];
  const seenWords = new Set<string>();
  for (const word of padded.trim().split(' ')) {
    if (seenWords.has(word)) continue;
    seenWords.add(word);
    for (const entry of index.get(word) ?? []) {
      const position = entry.regex ? padded.search(entry.regex) : padded.indexOf(entry.phrase);
      if (position >= 0) hits.push({ entry, position });
    }
  }
  return hits;
}

/** Codes beat patterns; then the longest (most specific) string; then the earliest in the text. */
function pickWinner(hits: Hit[]): Hit | null {
  let best: Hit | null = null;
  for (const h of hits) {
    if (
      !best ||
      (h.entry.kind === 'code' && best.entry.kind !== 'code') ||
      (h.entry.kind === best.entry.kind &&
        (h.entry.weight > best.entry.weight || (h.entry.weight === best.entry.weight && h.position < best.position)))
    ) {
      best = h;
    }
  }
  return best;
}

function findUnknownCode(text: string, known: Set<string>): string | null {
  for (const m of text.matchAll(codeLikeRe)) {
    if (!known.has(m[0].toUpperCase())) return m[0];
  }
  return null;
}

function uniqueArticles(list: Article[], exclude: Article): Article[] {
  return [...new Set(list)].filter((a) => a !== exclude);
}

function alternative(article: Article, ranked: Scored[]): Alternative {
  return { ...summarize(article), confidence: ranked.find((r) => r.article === article)?.confidence ?? 0 };
}

function toAlternative(s: Scored): Alternative {
  return { ...summarize(s.article), confidence: s.confidence };
}

function round(x: number): number {
  return Math.round(Math.min(1, Math.max(0, x)) * 1000) / 1000;
}
