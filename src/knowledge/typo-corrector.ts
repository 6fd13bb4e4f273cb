// Maps a misspelt word to a known one within one edit (insert, delete, substitute, swap), using
// a table of every known word with one letter deleted: a lookup costs a few map reads, not a
// scan of the vocabulary.

export interface TypoCorrector {
  /** The known word closest to `word`, preferring the most widely used; null for known words and when none is one edit away. */
  correct(word: string): string | null;
}

/** Words shorter than this are left alone: one edit changes them too much. */
export const minCorrectableLength = 5;

function deletions(word: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < word.length; i++) out.push(word.slice(0, i) + word.slice(i + 1));
  return out;
}

/** Optimal string alignment distance, stopping early once it exceeds 1. */
function withinOneEdit(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (i === a.length) return true;
    if (a.slice(i + 1) === b.slice(i + 1)) return true; // substitution
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2); // swap
  }
  const [shorter, longer] = a.length < b.length ? [a, b] : [b, a];
  return shorter.slice(i) === longer.slice(i + 1);
}

export function createTypoCorrector(vocabulary: Iterable<string>, popularity: (word: string) => number): TypoCorrector {
  const known = new Set<string>();
  const byDeletion = new Map<string, string[]>();
  const add = (key: string, word: string) => {
    const list = byDeletion.get(key);
    if (!list) byDeletion.set(key, [word]);
    else if (!list.includes(word)) list.push(word);
  };
  for (const word of vocabulary) {
    known.add(word);
    if (word.length < minCorrectableLength - 1) continue;
    add(word, word);
    for (const d of deletions(word)) add(d, word);
  }
  return {
    correct(word) {
      if (word.length < minCorrectableLength || known.has(word)) return null;
      let best: string | null = null;
      for (const key of [word, ...deletions(word)]) {
        for (const candidate of byDeletion.get(key) ?? []) {
          if (candidate === word || !withinOneEdit(word, candidate)) continue;
          if (!best || popularity(candidate) > popularity(best) || (popularity(candidate) === popularity(best) && candidate < best)) best = candidate;
        }
      }
      return best;
    },
  };
}
