// The answer engine: pure, offline and fast. An exact code or known error string anywhere in the
// question wins outright; otherwise BM25F ranking picks candidates and a calibrated
// confidence decides whether to name one. Unknown codes are never answered with a confident guess.
import type { Answer, Alternative, MatchKind } from './answer.ts';
import { summarize, type Article } from './article.ts';
import { createBm25Index } from './bm25-index.ts';
import { createPlainRanker } from './plain-ranker.ts';
import { aboutAnotherProduct, namesXero, outOfScopeWithoutCode, problemWordRe, reportsProblem, reportsTrouble } from './scope.ts';
import { errorLineRe, reportsProblemHere, withoutContext } from './post-context.ts';
import { fillerStems, nameTerms, phraseText, searchTerms, unmangle } from './text.ts';
import { createTypoCorrector } from './typo-corrector.ts';

export const DEFAULT_MIN_CONFIDENCE = 0.3;
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
  kind: 'code' | 'pattern' | 'signal';
  /** The string as written in the article, to name it back to the user. */
  source: string;
  /** Padded normalised phrase, or a regex for patterns with `*` wildcards. */
  phrase: string;
  regex: RegExp | null;
  /** The phrase's second word, if it has one before any wildcard: the phrase occurs only where that word follows the first. */
  second: string | null;
  weight: number;
  /**
   * A pattern that only names a subject ("lock date", "webhook", "TaxType") rather than saying what
   * went wrong: it decides only in a text that reports an error, and otherwise weighs as a signal.
   */
  topic: boolean;
}

/** A word some article uses: where each article has it (2 in its heading, 1 only in its body, 0 nowhere) and its idf. */
interface KnownTerm {
  places: Uint8Array;
  idf: number;
}

interface Hit {
  entry: PhraseEntry;
  position: number;
}

interface Scored {
  article: Article;
  /** Index of the article in the engine's articles. */
  doc: number;
  confidence: number;
  score: number;
  /** Close enough to offer as an alternative; judged before any unknown-code penalty. */
  plausible: boolean;
}

// Codes look like XERO11, QBO01 or TOKEN_EXPIRED: capitals with digits, or capitals joined by underscores;
// or like Line_JobHeaderNotAllowed, capitalised words joined by underscores, as some systems name their errors.
const codeLikeRe = /\b(?:[A-Z]{2,}\d{2,}[A-Z0-9]*|[A-Z][A-Z0-9]+(?:_[A-Z0-9]+)+|[A-Z][a-z][A-Za-z0-9]*(?:_[A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*)+)\b/g;

// Title, codes, patterns and symptoms say what an article is about; the body only supports it.
const headingBoost = 2.5;
const headingText = (a: Article) => [a.title, a.title, ...a.codes, ...a.patterns, ...a.signals, ...a.symptoms].join('\n');
/** Below this an article is no "closest match" worth offering, just noise. */
export const MIN_ALTERNATIVE_CONFIDENCE = 0.1;
/** Parts of a long post ranked on their own, and how many words a part needs to count. */
const maxFocusParts = 40;
const minFocusTerms = 2;
/** HTTP statuses, which bring their own words ("401" is read as "401 unauthorized"). */
const httpStatusRe = /\b[1-5]\d\d\b/g;
/** More lines and sentences than this make a long post, where a subject decides only on a line that reports the error. */
const longPostLines = 3;
/** Candidates whose confidence is worked out; more would only add runners-up nobody sees. */
const candidateCount = 8;
/**
 * Share of the remaining doubt a signal found verbatim in the question removes ("not authorized",
 * "TokenInvalid"): strong evidence, but shared by several causes, so it never decides alone.
 */
const signalLift = 0.35;
/**
 * Reciprocal-rank fusion of our order with the plain ranker's: with k = 1 and half a vote it swaps
 * close candidates of ours when it clearly prefers the second, but cannot lift one we put far down.
 */
const fusionK = 1;
const plainVote = 0.5;
/**
 * Share of the remaining doubt removed when the plain ranker's first choice is ours too... Two rankers
 * that share nothing but the articles rarely agree by chance on real text; at 0.3 the answers they agree
 * on stay as often right as the confidence says, and no out-of-scope text is answered.
 */
const agreementLift = 0.3;
/** ...and it scores that choice at least this many times its second. */
const clearPreference = 1.1;
/** The most a search answer resting on a single shared word may claim. */
const oneWordCeiling = 0.75;
/** The most a search answer may claim for a text that reports nothing wrong ("we set a lock date every month"). */
const noProblemCeiling = 0.6;
/**
 * The most a search answer may claim for a text that never names Xero: without Xero's name, a Xero code or one of
 * its messages, shared words cannot tell our failure from the same failure in another system ("upload failed
 * with 413", "invoice_number not unique"). Such answers were right 14 times in 14 on the development set and
 * 5 in 8 on text never tuned on.
 */
const xeroUnnamedCeiling = 0.75;

export function createAnswerEngine(articles: readonly Article[], options: AnswerEngineOptions = {}): AnswerEngine {
  const minConfidence = options.minConfidence ?? DEFAULT_MIN_CONFIDENCE;
  const byId = new Map(articles.map((a) => [a.id, a]));
  const phraseIndex = buildPhraseIndex(articles);
  const signalIndex = buildSignalIndex(articles);
  const knownCodes = new Set(articles.flatMap((a) => [a.id, ...a.codes.map((c) => c.toUpperCase())]));

  const headingTerms = articles.map((a) => searchTerms(headingText(a)));
  const bodyTerms = articles.map((a) => searchTerms(a.body));
  // Where each word stands in each article: 2 in its heading, 1 only in its body, 0 nowhere; one read per word and candidate.
  const placeOf = new Map<string, Uint8Array>();
  articles.forEach((_, doc) => {
    for (const [terms, place] of [[bodyTerms[doc]!, 1], [headingTerms[doc]!, 2]] as const) {
      for (const term of terms) {
        let places = placeOf.get(term);
        if (!places) placeOf.set(term, (places = new Uint8Array(articles.length)));
        places[doc] = place;
      }
    }
  });
  const index = createBm25Index(
    articles.map((_, i) => [headingTerms[i]!, bodyTerms[i]!]),
    [headingBoost, 1],
  );
  // Every word some article uses, with its places and idf: one map read per word of a question rather than one per use.
  const known = new Map<string, KnownTerm>([...placeOf].map(([term, places]) => [term, { places, idf: index.idf(term) }]));
  const plainRanker = createPlainRanker(articles);
  const plainRankOf = new Int32Array(articles.length);
  const typos = createTypoCorrector(index.vocabulary(), index.docFreq);
  // A word no article uses, one letter from a filler word, is that filler mistyped ("over the wekend"), not a rare word.
  const fillerTypos = createTypoCorrector(fillerStems(), () => 0);
  // A word no article uses is evidence the question is about something else, but real posts are full
  // of words no article needs (product names, "notification", "servers"): it weighs a little over half the rarest word.
  const unknownWeight = index.idf('') * 0.6;
  // Matched evidence worth about one moderately specific word (in a quarter of the articles) counts as specific enough.
  const n = Math.max(articles.length, 1);
  const enoughEvidence = 1.2 * Math.log(1 + (n - n / 4 + 0.5) / (n / 4 + 0.5));

  /**
   * Known words as they are, misspelt ones corrected (and remembered as such), misspelt filler and names no article
   * uses dropped, the rest kept as unknown; each once.
   */
  function resolveTerms(words: string[], names: Set<string>): { terms: string[]; corrected: string[] } {
    // Lists rather than sets: a question corrects a word or two at most, and sets cost more to make than to search.
    const corrected: string[] = [];
    const terms: string[] = [];
    for (const w of words) {
      if (known.has(w)) {
        terms.push(w);
        continue;
      }
      if (names.has(w)) continue;
      const fix = typos.correct(w);
      if (fix) {
        if (!corrected.includes(fix)) corrected.push(fix);
        terms.push(fix);
      } else if (!fillerTypos.correct(w)) {
        terms.push(w);
      }
    }
    return { terms: terms.length <= shortListLength ? withoutRepeats(terms) : [...new Set(terms)], corrected };
  }

  interface TermWeights {
    weights: number[];
    certainties: number[];
    places: (Uint8Array | undefined)[];
  }

  /** Each term's idf weight, how sure its spelling is and where articles use it, worked out once per ranking rather than per candidate. */
  function termWeights(terms: string[], corrected: readonly string[]): TermWeights {
    const weighted: TermWeights = { weights: [], certainties: [], places: [] };
    for (const t of terms) {
      const term = known.get(t);
      weighted.weights.push(term ? term.idf : unknownWeight);
      // A corrected typo is nearly as good as the word itself.
      weighted.certainties.push(corrected.includes(t) ? 0.7 : 1);
      weighted.places.push(term?.places);
    }
    return weighted;
  }

  /** Share of the question's meaningful wording (idf-weighted) that the article covers, times its specificity. */
  function coverage(terms: string[], { weights, certainties, places }: TermWeights, doc: number): number {
    let total = 0;
    let matched = 0;
    let words = 0;
    for (let i = 0; i < terms.length; i++) {
      const w = weights[i]!;
      total += w;
      const place = places[i]?.[doc] ?? 0;
      if (place === 2) matched += certainties[i]! * w;
      else if (place === 1) matched += 0.5 * certainties[i]! * w;
      if (place > 0) words++;
    }
    if (total === 0) return 0;
    const share = matched / total;
    const specificity = Math.min(1, matched / enoughEvidence);
    // One shared word ("cancel") can point the right way, but never makes the engine sure.
    return Math.min(share ** 1.3 * specificity, words < 2 ? oneWordCeiling : 1);
  }

  /**
   * BM25 proposes candidates; coverage orders them, since a long article can outscore the one that
   * says exactly what was asked; a plain BM25 fitted to no question set gets a say in that order.
   * The winner's confidence shrinks when the runner-up is close.
   */
  function rank(text: string, words: string[], names: Set<string>, signalled: readonly Article[]): Scored[] {
    const { terms, corrected } = resolveTerms(words, names);
    // Articles whose signal occurs must be candidates even when longer ones outscore them.
    const found = index.search(terms, signalled.length > 0 ? articles.length : candidateCount);
    const hits = signalled.length > 0 ? found.filter((h, i) => i < candidateCount || signalled.includes(articles[h.doc]!)) : found;
    const best = hits[0]?.score ?? 0;
    if (best <= 0) return [];
    const weighted = termWeights(terms, corrected);
    const scored = hits.map((h) => {
      const article = articles[h.doc]!;
      const base = coverage(terms, weighted, h.doc) * (h.score / best) ** 0.25;
      return { article, doc: h.doc, score: h.score, confidence: signalled.includes(article) ? base + (1 - base) * signalLift : base };
    });
    sortByKeys(scored, scored.map((x) => x.confidence));
    const plain = plainRanker.order(text);
    fuseWithPlainOrder(scored, plain.docs);
    // Two rankers sharing nothing but the articles and naming the same first choice is evidence for it,
    // if the plain one prefers it clearly (not "sync failed", which every article's words half fit) and
    // the question reports something wrong at all (agreeing on a chat about football means nothing).
    const top = scored[0];
    const [plainFirst, plainSecond] = plain.docs;
    const plainIsClear = (plainFirst === undefined ? 0 : plain.score(plainFirst)) >= clearPreference * (plainSecond === undefined ? 0 : plain.score(plainSecond));
    if (top && top.doc === plainFirst && plainIsClear && reportsTrouble(text)) {
      scored[0] = { ...top, confidence: top.confidence + (1 - top.confidence) * agreementLift };
    }
    // Each candidate is discounted by how close the best other one comes; runners-up by the most, and
    // none above the answer (fusion may put one of higher coverage second): no alternative looks surer.
    let ceiling = 1;
    return scored.map((x, i) => {
      const rival = (i === 0 ? scored[1]?.confidence : scored[0]?.confidence) ?? 0;
      const closeness = x.confidence > 0 ? Math.min(1, rival / x.confidence) : 1;
      const confidence = Math.min(ceiling, round(x.confidence * (1 - 0.3 * closeness ** 3)));
      if (i === 0) ceiling = confidence;
      return { article: x.article, doc: x.doc, score: x.score, confidence, plausible: confidence >= MIN_ALTERNATIVE_CONFIDENCE };
    });
  }

  /** Reorders `scored` (best first by our measure) by reciprocal-rank fusion with the plain ranker's order. */
  function fuseWithPlainOrder(scored: { doc: number }[], plainDocs: readonly number[]): void {
    // Only our candidates' plain ranks are read: look them up in a table of the plain order (0: not ranked).
    for (let i = 0; i < plainDocs.length; i++) plainRankOf[plainDocs[i]!] = i + 1;
    const fused = scored.map((x, i) => 1 / (fusionK + i + 1) + plainVote / (fusionK + (plainRankOf[x.doc] || Infinity)));
    for (const doc of plainDocs) plainRankOf[doc] = 0;
    sortByKeys(scored, fused);
  }

  /**
   * Long posts carry the error in one line among many (code, logs, greetings). The post as a whole
   * is ranked, and so is each line or sentence that reports an error; one that says more clearly
   * what is wrong wins.
   */
  function rankFocused(text: string, whole: Scored[], names: Set<string>, topics: ReadonlySet<Article>): Scored[] {
    // A line ending in a colon ("we get the below error:") introduces the error; it does not say it.
    // A clause that concedes something ("..., despite me including the id") is context, not the error.
    const lines = text.split(/\n+|(?<=[.!?])\s+|,?\s+(?=(?:despite|although|even though|even if|whereas|however)\b)/i);
    // One line is the whole text, and a message of its only line leaves nothing out.
    if (lines.length === 1) return whole;
    const parts = lines.filter((p) => errorLineRe.test(p) && !/:\s*$/.test(p)).slice(0, maxFocusParts);
    const message = messageOf(lines);
    if (message) parts.push(message);
    if (parts.length === 0 || parts[0] === text) return whole;
    let best = whole;
    for (const part of parts) {
      const terms = searchTerms(part);
      // "[Status] => 401" alone cannot tell an expired token from a missing scope: a status brings its own words.
      const withoutStatus = part.replace(httpStatusRe, ' ');
      if (terms.length < minFocusTerms || (withoutStatus !== part && searchTerms(withoutStatus).length < minFocusTerms)) continue;
      const ranked = rank(part, terms, names, signalledIn(phraseText(part), topics));
      if ((ranked[0]?.confidence ?? 0) > (best[0]?.confidence ?? 0)) best = ranked;
    }
    return best;
  }

  function answer(rawQuestion: string): Answer {
    const question = rawQuestion.trim();
    if (!question) return noAnswer(rawQuestion, 'empty_question', null, []);
    const text = question.slice(0, MAX_QUESTION_CHARS);
    // Checked before codes: "invalid_grant" in a QuickBooks question is QuickBooks' problem, not ours.
    if (aboutAnotherProduct(text)) return noAnswer(question, 'out_of_scope', null, []);

    // Greetings, the author's environment, their story, template headings, stack frames and code are the
    // same whatever failed: ranked with the error they only dilute it. Other products are named anywhere.
    const body = withoutContext(text);
    // Both phrase tables are searched in the same normalised text.
    const padded = phraseText(body);
    const found = findPhrases(padded, phraseIndex);
    // A subject named in a text that reports no error ("we set a lock date each month") decides nothing
    // by itself; with some trouble in the text it weighs as a signal. Only a subject needs the test, so it runs only when one is found.
    // In a long post the subject must be named where the error is reported: "webhook" in the set-up
    // story of a post whose error is a 404 two lines down says what the post is about, not what failed.
    const errorLines = found.some((h) => h.entry.topic) && errorLineRe.test(body) ? errorLinesOf(body) : null;
    const hits = found.filter((h) => !h.entry.topic || (errorLines !== null && (!errorLines.long || errorLines.lines.some((line) => hasPhrase(line, h.entry)))));
    if (hits.length === 0 && outOfScopeWithoutCode(text, body)) {
      return noAnswer(question, 'out_of_scope', null, []);
    }
    // The question is ranked only when something below needs it, once: a code decides without it.
    let whole: { ranked: Scored[]; names: Set<string>; topics: Set<Article> } | undefined;
    const rankWhole = () => {
      if (whole) return whole;
      const unreported = found.filter((h) => h.entry.topic && !hits.includes(h));
      const topics = new Set(unreported.length > 0 && reportsTrouble(body) ? unreported.map((h) => h.entry.article) : []);
      const names = nameTerms(body);
      return (whole = { ranked: rank(body, searchTerms(body), names, signalledIn(padded, topics)), names, topics });
    };
    /** The whole text's ranking, or a line's that says more clearly what is wrong (rankFocused). */
    const ranked = () => {
      const { ranked: wholeRanked, names, topics } = rankWhole();
      return rankFocused(body, wholeRanked, names, topics);
    };

    // A code, or error strings of one article, decide without the ranking; strings of several articles need it.
    const winner = pickWinner(hits, needsRanking(hits) ? rankWhole().ranked : []);
    if (winner) {
      const kind: MatchKind = winner.entry.kind === 'code' ? 'code' : 'pattern';
      // A long post that never names Xero may quote another product's message in the same words (right about half
      // the time on the unread sets, against nearly always in a short question).
      const confidence = kind === 'code' ? 1 : namesXero(text) || !isLongPost(body) ? 0.95 : xeroUnnamedCeiling;
      const alternatives = () => {
        const rankedNow = ranked();
        const others = uniqueArticles([...hits.map((h) => h.entry.article), ...plausible(rankedNow).map((r) => r.article)], winner.entry.article);
        // Ranking may like another article more ("503" next to "without a Xero connection"); none looks surer than the answer.
        return others.slice(0, 3).map((a) => {
          const alt = alternative(a, rankedNow);
          return { ...alt, confidence: Math.min(alt.confidence, confidence) };
        });
      };
      // The alternatives are worked out when first read: a reply under a code or a known error string shows none
      // (closestToOffer), and ranking the question for them is most of the engine's work. The accessor is written in
      // the literal, in the property's place (JSON, logs): defining it over a placeholder cost more than the rest of a code's answer.
      const answer: Answer = {
        question,
        article: winner.entry.article,
        confidence,
        matchedBy: kind,
        matchedCode: winner.entry.source,
        unknownCode: null,
        reason: null,
        get alternatives() {
          return settleAlternatives(answer, alternatives());
        },
        set alternatives(value) {
          settleAlternatives(answer, value);
        },
        actions: [...winner.entry.article.actions],
      };
      return answer;
    }

    const unknownCode = findUnknownCode(body, knownCodes);
    // An unknown code means the question is probably about another product: demand more evidence.
    const penalty = unknownCode ? 0.5 : 1;
    const ceiling = Math.min(reportsProblem(body) ? 1 : noProblemCeiling, namesXero(text) ? 1 : xeroUnnamedCeiling);
    const scored = ranked().map((r) => ({ ...r, confidence: round(Math.min(ceiling, r.confidence * penalty)) }));
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
      alternatives: plausible(scored.slice(1)).slice(0, 3).map(toAlternative),
      actions: [...top.article.actions],
    };
  }

  /** The articles whose signals occur in a text already normalised by phraseText(). */
  function signalledIn(padded: string, topics: ReadonlySet<Article>): Article[] {
    // A list: a text signals a few articles at most.
    const signalled: Article[] = [];
    for (const hit of findPhrases(padded, signalIndex)) if (!signalled.includes(hit.entry.article)) signalled.push(hit.entry.article);
    for (const topic of topics) if (!signalled.includes(topic)) signalled.push(topic);
    return signalled;
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
      alternatives: plausible(scored).slice(0, 3).map(toAlternative),
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

/**
 * Phrases by their first word, and which first words there are by their shape (first letter, last letter, length):
 * most words of a text start no phrase, and the shape table turns them away without cutting them out to read the map.
 */
interface PhraseIndex {
  byFirstWord: Map<string, PhraseEntry[]>;
  /** For each shapeSlot(first, last), a bit per length (lengthBit) some first word of that shape has. */
  lengthsByShape: Uint32Array;
}

function shapeSlot(firstCode: number, lastCode: number): number {
  return ((firstCode & 63) << 6) | (lastCode & 63);
}

/** Lengths of 31 and more share the top bit. */
function lengthBit(length: number): number {
  return 1 << Math.min(length, 31);
}

function withShapes(byFirstWord: Map<string, PhraseEntry[]>): PhraseIndex {
  const lengthsByShape = new Uint32Array(64 * 64);
  for (const word of byFirstWord.keys()) {
    const slot = shapeSlot(word.charCodeAt(0), word.charCodeAt(word.length - 1));
    lengthsByShape[slot] = lengthsByShape[slot]! | lengthBit(word.length);
  }
  return { byFirstWord, lengthsByShape };
}

function buildPhraseIndex(articles: readonly Article[]): PhraseIndex {
  const index = new Map<string, PhraseEntry[]>();
  /** `written` is how the text may be written, when not as `source` (which is named back to the user). */
  const add = (article: Article, kind: PhraseEntry['kind'], source: string, written = source) => {
    const parts = written.split('*').map((p) => phraseText(p).trim()).filter(Boolean);
    if (parts.length === 0) return;
    const first = parts[0]!.split(' ')[0]!;
    const regex =
      parts.length > 1
        ? new RegExp(` ${parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join(' (?:\\S+ ){0,8}')} `)
        : null;
    const phrase = ` ${parts[0]} `;
    const topic = kind === 'pattern' && !problemWordRe.test(unmangle(source));
    const entry: PhraseEntry = { article, kind, source, phrase, regex, second: secondWord(parts[0]!), weight: parts.join(' ').length, topic };
    const list = index.get(first);
    if (list) list.push(entry);
    else index.set(first, [entry]);
  };
  for (const a of articles) {
    // A code-like id is a code too, so "INVALID_ACCOUNT_CODE" finds its own article; a plain word
    // such as RECONNECT is not, or every question using that word would match it outright.
    const idIsCode = /[_\d]/.test(a.id) && !a.codes.some((c) => c.toUpperCase() === a.id);
    const codes = idIsCode ? [a.id, ...a.codes] : a.codes;
    for (const c of codes) {
      add(a, 'code', c);
      // People type a code's letters and digits apart ("xero 01", "XERO-11"); phraseText reads both as "xero 01".
      const split = /^([A-Z]+)(\d+)$/i.exec(c);
      if (split) add(a, 'code', c, `${split[1]} ${split[2]}`);
    }
    for (const p of a.patterns) {
      add(a, 'pattern', p);
      // "invalid tax rate" is as often written "the tax rate is invalid". Only for a thing of two or three words: one
      // word alone is too loose turned round ("invalid state" is OAuth's; "the invoice's state is invalid" is not).
      const named = /^invalid ([a-z]+(?: [a-z]+){1,2})$/.exec(phraseText(p).trim());
      if (named) for (const written of [`${named[1]} is invalid`, `${named[1]} is not valid`, `${named[1]} invalid`]) add(a, 'pattern', p, written);
    }
  }
  return withShapes(index);
}

function buildSignalIndex(articles: readonly Article[]): PhraseIndex {
  const index = new Map<string, PhraseEntry[]>();
  for (const a of articles) {
    for (const signal of a.signals) {
      const phrase = phraseText(signal).trim();
      if (!phrase) continue;
      // An HTTP status travels before or after its words: "401 Unauthorized", "Unauthorized (401)".
      const status = /^(\d{3}) (\D+)$/.exec(phrase) ?? /^(\D+) (\d{3})$/.exec(phrase);
      for (const form of status ? [phrase, `${status[2]} ${status[1]}`] : [phrase]) {
        const first = form.split(' ')[0]!;
        const entry: PhraseEntry = { article: a, kind: 'signal', source: signal, phrase: ` ${form} `, regex: null, second: secondWord(form), weight: form.length, topic: false };
        const list = index.get(first);
        if (list) list.push(entry);
        else index.set(first, [entry]);
      }
    }
  }
  return withShapes(index);
}

/** Every code or pattern that occurs in the text (normalised by phraseText()); looked up by first word so cost follows the text, not the KB. */
function findPhrases(padded: string, { byFirstWord, lengthsByShape }: PhraseIndex): Hit[] {
  const hits: Hit[] = [];
  // The lists already looked through: a few per text, searched faster as a list than as a set.
  const looked: PhraseEntry[][] = [];
  // Words lie between single spaces (phraseText); read in place, and only those that start a phrase are remembered.
  for (let start = 1; start < padded.length; ) {
    const end = padded.indexOf(' ', start);
    const mayStartPhrase = end > start && (lengthsByShape[shapeSlot(padded.charCodeAt(start), padded.charCodeAt(end - 1))]! & lengthBit(end - start)) !== 0;
    const entries = mayStartPhrase ? byFirstWord.get(padded.slice(start, end)) : undefined;
    if (entries && !looked.includes(entries)) {
      looked.push(entries);
      // Many phrases share a first word ("xero 11", "xero is down"): one whose second word never follows it cannot occur.
      let followers: string[] | undefined;
      for (const entry of entries) {
        if (entry.second !== null && !(followers ??= wordsAfter(padded, start - 1, end + 1)).includes(entry.second)) continue;
        // No occurrence of a phrase starts before the first occurrence of its first word.
        const position = entry.regex ? padded.search(entry.regex) : padded.indexOf(entry.phrase, start - 1);
        if (position >= 0) hits.push({ entry, position });
      }
    }
    start = end + 1;
  }
  return hits;
}

/** The words that follow a word wherever it occurs, given its first occurrence as padded.slice(from, to) with its spaces. */
function wordsAfter(padded: string, from: number, to: number): string[] {
  const word = padded.slice(from, to);
  const followers: string[] = [];
  // Occurrences may share a space (" xero xero "): each search starts on the last one's closing space.
  for (let at = from; at >= 0; at = padded.indexOf(word, at + word.length - 1)) {
    const next = at + word.length;
    if (next < padded.length) followers.push(padded.slice(next, padded.indexOf(' ', next)));
  }
  return followers;
}

/** Up to this many items a list is searched faster than a set is made. */
const shortListLength = 32;

/** The items each once, in the order of their first occurrence, as [...new Set(items)] gives them; for short lists. */
function withoutRepeats(items: readonly string[]): string[] {
  const once: string[] = [];
  for (const item of items) if (!once.includes(item)) once.push(item);
  return once;
}

function secondWord(phrase: string): string | null {
  return phrase.split(' ')[1] ?? null;
}

/**
 * Sorts `items` highest key first (`keys` holds one per item, in the same order, and is sorted along), equals in their
 * order as a stable sort keeps them: an insertion sort, as the lists hold a few candidates and calling a comparator for
 * each comparison cost more than the sorting.
 */
function sortByKeys<T>(items: T[], keys: number[]): void {
  for (let i = 1; i < items.length; i++) {
    const item = items[i]!;
    const key = keys[i]!;
    let j = i - 1;
    for (; j >= 0 && keys[j]! < key; j--) {
      items[j + 1] = items[j]!;
      keys[j + 1] = keys[j]!;
    }
    items[j + 1] = item;
    keys[j + 1] = key;
  }
}

/** Whether the winner among these hits depends on the ranking: error strings of two articles and no code. */
function needsRanking(hits: Hit[]): boolean {
  return !hits.some((h) => h.entry.kind === 'code') && hits.some((h) => h.entry.article !== hits[0]!.entry.article);
}

/** Turns an answer's alternatives, once read or written, into a plain property holding `value` (in the same place). */
function settleAlternatives(answer: Answer, value: Alternative[]): Alternative[] {
  Object.defineProperty(answer, 'alternatives', { value, enumerable: true, writable: true, configurable: true });
  return value;
}

/**
 * Codes beat patterns; then the longest (most specific) string; then the earliest in the text. When error
 * strings of several articles occur, the rest of the question decides ("an unexpected error occurred"
 * next to "granular scopes" is about scopes), by the articles' ranking; the longest string breaks ties.
 */
function pickWinner(hits: Hit[], ranked: Scored[]): Hit | null {
  const rankOf = (h: Hit) => ranked.find((r) => r.article === h.entry.article)?.confidence ?? 0;
  let best: Hit | null = null;
  for (const h of hits) {
    if (!best || (h.entry.kind === 'code' && best.entry.kind !== 'code')) {
      best = h;
      continue;
    }
    if (h.entry.kind !== best.entry.kind) continue;
    const contested = h.entry.kind === 'pattern' && h.entry.article !== best.entry.article;
    const byRank = contested ? rankOf(h) - rankOf(best) : 0;
    if (
      byRank > 0 ||
      (byRank === 0 && (h.entry.weight > best.entry.weight || (h.entry.weight === best.entry.weight && h.position < best.position)))
    ) {
      best = h;
    }
  }
  return best;
}

/**
 * The lines of a post that say something is wrong, read together without the greetings, set-up story and
 * thanks around them, which dilute a message however clear it is; a line that introduces the error
 * ("we get the below error:") brings the line it introduces. Null when no line is left out, or too little is left.
 */
function messageOf(lines: string[]): string | null {
  const said = new Set<number>();
  lines.forEach((line, i) => {
    if (!reportsProblemHere(line)) return;
    said.add(i);
    if (/:\s*$/.test(line) && i + 1 < lines.length) said.add(i + 1);
  });
  const nonEmpty = lines.filter((line) => line.trim()).length;
  if (said.size === 0 || said.size >= nonEmpty) return null;
  const message = [...said].sort((a, b) => a - b).map((i) => lines[i]).join('\n');
  return searchTerms(message).length >= minFocusTerms ? message : null;
}

/** Whether a text is a long post (more lines and sentences than a message with its advice), and its lines that report an error, each normalised by phraseText(). */
function errorLinesOf(text: string): { long: boolean; lines: string[] } {
  const lines = linesOf(text);
  return { long: lines.length > longPostLines, lines: lines.filter((line) => errorLineRe.test(line)).map(phraseText) };
}

/** Whether a text has more lines and sentences than a message with its advice. */
function isLongPost(text: string): boolean {
  return linesOf(text).length > longPostLines;
}

function linesOf(text: string): string[] {
  return text.split(/\n+|(?<=[.!?])\s+/).filter((line) => line.trim());
}

function hasPhrase(padded: string, entry: PhraseEntry): boolean {
  return entry.regex ? entry.regex.test(padded) : padded.includes(entry.phrase);
}

function findUnknownCode(text: string, known: Set<string>): string | null {
  for (const code of text.match(codeLikeRe) ?? []) {
    if (!known.has(code.toUpperCase())) return code;
  }
  return null;
}

function plausible(scored: Scored[]): Scored[] {
  return scored.filter((s) => s.plausible);
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
