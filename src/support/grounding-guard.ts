// The model may phrase a fix for the asker, never invent one. A written answer is kept only when
// every citation is an article it was given, every step restates a numbered step of a cited
// article, and the summary carries no steps of its own and says nothing the articles, the asker's
// words and the connection verdict do not. Anything else is discarded for the article's own text.
import type { Article } from '../knowledge/article.ts';
import { searchTerms } from '../knowledge/text.ts';
import type { WrittenAnswer } from './support-model.ts';

export type GroundingProblem =
  | 'no_citations'
  | 'citation_unknown'
  | 'no_steps'
  | 'step_not_cited'
  | 'step_unknown'
  | 'step_ungrounded'
  | 'summary_has_steps'
  | 'summary_ungrounded';

/** Share of a step's words that must come from the article step it claims to restate. */
const minStepOverlap = 0.3;
/** Share of a step's or summary's words that must come from the articles, the question or the verdict. */
const minSupported = 0.7;
const listLine = /^\s*(?:\d+[.)]|[-*•])\s+\S/m;

export interface GroundingInput {
  written: WrittenAnswer;
  /** The articles the model was given; citations must name one of them. */
  articles: readonly Article[];
  question: string;
  verdict: string | null;
  /** Earlier messages of the thread: the asker's own words there count as support too. */
  history?: readonly string[];
}

export function groundingProblem({ written, articles, question, verdict, history = [] }: GroundingInput): GroundingProblem | null {
  const given = new Map(articles.map((a) => [a.id, a]));
  if (written.citations.length === 0) return 'no_citations';
  if (written.citations.some((id) => !given.has(id))) return 'citation_unknown';
  if (written.steps.length === 0) return 'no_steps';
  const cited = written.citations.map((id) => given.get(id)!);
  const support = new Set([
    ...searchTerms([question, ...history].join('\n')),
    ...searchTerms(verdict ?? ''),
    ...cited.flatMap((a) => searchTerms([a.title, a.sections.meaning, ...a.steps].join('\n'))),
  ]);
  for (const step of written.steps) {
    if (!written.citations.includes(step.articleId)) return 'step_not_cited';
    const source = given.get(step.articleId)!.steps[step.step - 1];
    if (!Number.isInteger(step.step) || source === undefined) return 'step_unknown';
    const terms = new Set(searchTerms(step.text));
    if (terms.size === 0) return 'step_ungrounded';
    const sourceTerms = new Set(searchTerms(source));
    if (share(terms, sourceTerms) < minStepOverlap || share(terms, union(support, sourceTerms)) < minSupported) return 'step_ungrounded';
  }
  if (listLine.test(written.summary)) return 'summary_has_steps';
  const summaryTerms = new Set(searchTerms(written.summary));
  if (summaryTerms.size > 0 && share(summaryTerms, support) < minSupported) return 'summary_ungrounded';
  return null;
}

function share(terms: Set<string>, within: Set<string>): number {
  let found = 0;
  for (const t of terms) if (within.has(t)) found++;
  return found / terms.size;
}

function union(a: Set<string>, b: Set<string>): Set<string> {
  return new Set([...a, ...b]);
}
