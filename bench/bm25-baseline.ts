// The yardstick for the answer engine: off-the-shelf BM25 (MiniSearch, default settings) over the
// same articles, always naming its top hit. Any figure of ours is read as a ratio to this one.
import MiniSearch from 'minisearch';
import type { Article } from '../src/knowledge/article.ts';
import type { Answerer } from './kb-eval.ts';

const fields = ['title', 'codes', 'patterns', 'symptoms', 'body'] as const;

export function createBm25Baseline(articles: readonly Article[]): Answerer {
  const index = new MiniSearch<Article>({
    fields: [...fields],
    // Only field extraction is ours: list fields are indexed as one text each.
    extractField: (article, field) => {
      const value = article[field as keyof Article];
      return Array.isArray(value) ? value.join('\n') : String(value ?? '');
    },
  });
  index.addAll(articles);
  return (question) => {
    const top = (index.search(question)[0]?.id as string | undefined) ?? null;
    return { named: top, confidence: null, top };
  };
}
