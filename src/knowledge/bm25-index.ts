// BM25F ranking over pre-tokenised fields. Each word's contribution to each article is computed
// once at load, so a query only adds up a few short posting lists: answering stays a few
// microseconds even with thousands of articles, which matters because Slack waits on the ack.

export interface Bm25Params {
  /** Term-frequency saturation. */
  k1: number;
  /** Length normalisation (0 none, 1 full). */
  b: number;
  /** BM25+ floor, so one mention in a long field still counts. */
  delta: number;
}

export const defaultBm25Params: Bm25Params = { k1: 1.2, b: 0.7, delta: 0.5 };

export interface Bm25Hit {
  /** Index of the document in the array given to createBm25Index. */
  doc: number;
  score: number;
}

export interface Bm25Index {
  readonly size: number;
  /** How many documents use the term in any field (0 when none). */
  docFreq(term: string): number;
  /** Inverse document frequency, defined for unknown terms too (as the rarest). */
  idf(term: string): number;
  vocabulary(): IterableIterator<string>;
  /** The best `limit` documents for the terms, highest score first; documents matching none are left out. */
  search(terms: readonly string[], limit: number): Bm25Hit[];
}

interface Postings {
  idf: number;
  /** Where the term's documents and weights lie in allDocs and allWeights. */
  start: number;
  end: number;
  /** The search that last used this term. */
  seenIn: number;
}

/**
 * @param docs for each document, for each field, its terms (same field order as `boosts`)
 * @param boosts weight of each field
 */
export function createBm25Index(docs: readonly (readonly string[])[][], boosts: readonly number[], params: Bm25Params = defaultBm25Params): Bm25Index {
  const n = docs.length;
  const avgLength = boosts.map((_, f) => docs.reduce((sum, fields) => sum + (fields[f]?.length ?? 0), 0) / Math.max(n, 1) || 1);
  const perTerm = new Map<string, { docs: number[]; weights: number[] }>();

  docs.forEach((fields, d) => {
    const byTerm = new Map<string, number>();
    fields.forEach((terms, f) => {
      const counts = new Map<string, number>();
      for (const t of terms) counts.set(t, (counts.get(t) ?? 0) + 1);
      const norm = params.k1 * (1 - params.b + (params.b * terms.length) / avgLength[f]!);
      for (const [t, tf] of counts) {
        const saturated = (tf * (params.k1 + 1)) / (tf + norm) + params.delta;
        byTerm.set(t, (byTerm.get(t) ?? 0) + boosts[f]! * saturated);
      }
    });
    for (const [t, w] of byTerm) {
      let list = perTerm.get(t);
      if (!list) perTerm.set(t, (list = { docs: [], weights: [] }));
      list.docs.push(d);
      list.weights.push(w);
    }
  });

  const idfOf = (df: number) => Math.log(1 + (n - df + 0.5) / (df + 0.5));
  // Every term's documents and weights side by side in two arrays, so that the lists a search reads lie close together.
  const postings = new Map<string, Postings>();
  let size = 0;
  for (const list of perTerm.values()) size += list.docs.length;
  const allDocs = new Int32Array(size);
  const allWeights = new Float64Array(size);
  let end = 0;
  for (const [t, list] of perTerm) {
    const idf = idfOf(list.docs.length);
    const start = end;
    list.docs.forEach((d, i) => {
      allDocs[end] = d;
      allWeights[end++] = list.weights[i]! * idf;
    });
    postings.set(t, { idf, start, end, seenIn: 0 });
  }
  const unknownIdf = idfOf(0);

  const scores = new Float64Array(n);
  let searches = 0;
  return {
    size: n,
    docFreq: (term) => {
      const p = postings.get(term);
      return p ? p.end - p.start : 0;
    },
    idf: (term) => postings.get(term)?.idf ?? unknownIdf,
    vocabulary: () => postings.keys(),
    search(terms, limit) {
      // A repeated term counts once: a stamp per posting list rather than a set per search.
      searches++;
      const touched: number[] = [];
      for (const t of terms) {
        const p = postings.get(t);
        if (!p || p.seenIn === searches) continue;
        p.seenIn = searches;
        for (let i = p.start; i < p.end; i++) {
          const d = allDocs[i]!;
          if (scores[d] === 0) touched.push(d);
          scores[d] = scores[d]! + allWeights[i]!;
        }
      }
      // Searches want a few of many articles: only those are put in order.
      const best =
        Number.isInteger(limit) && limit > 0 && limit < touched.length ? bestByScore(touched, scores, limit) : sortByScore(touched, scores, true).slice(0, limit);
      const hits = best.map((doc) => ({ doc, score: scores[doc]! }));
      for (const d of touched) scores[d] = 0;
      return hits;
    },
  };
}

/**
 * `docs` best first by `scores`, ties in their given order (or by document index with `tiesByDoc`). An
 * insertion sort: the lists are as short as the knowledge base, and a comparator call per comparison
 * would cost more than the sorting.
 */
export function sortByScore(docs: number[], scores: Float64Array, tiesByDoc = false): number[] {
  for (let i = 1; i < docs.length; i++) {
    const doc = docs[i]!;
    const score = scores[doc]!;
    let j = i - 1;
    while (j >= 0 && (scores[docs[j]!]! < score || (tiesByDoc && scores[docs[j]!]! === score && docs[j]! > doc))) {
      docs[j + 1] = docs[j]!;
      j--;
    }
    docs[j + 1] = doc;
  }
  return docs;
}

/** The first `limit` of `docs` in sortByScore's order with ties by document index, without ordering the rest (an insertion sort into the best so far). */
export function bestByScore(docs: readonly number[], scores: Float64Array, limit: number): number[] {
  const best: number[] = [];
  for (const doc of docs) {
    const score = scores[doc]!;
    let j = best.length;
    if (j === limit) {
      // Full: the document must come before the last of the best, which then drops out.
      const last = best[j - 1]!;
      if (!(scores[last]! < score || (scores[last]! === score && last > doc))) continue;
      j--;
    }
    while (j > 0 && (scores[best[j - 1]!]! < score || (scores[best[j - 1]!]! === score && best[j - 1]! > doc))) {
      best[j] = best[j - 1]!;
      j--;
    }
    best[j] = doc;
  }
  return best;
}
