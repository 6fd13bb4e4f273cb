// Answering with the model's help, on top of the deterministic engine and never instead of it.
// The engine always answers first. When it is unsure, the model picks among its candidates or
// says none (an id outside them is rejected); out-of-scope and empty questions never reach the
// model. Then the model writes the fix for the asker from the article and the live verdict; the
// grounding guard discards any reply that cites or states what the article does not. Every model
// step shares one deadline, and any failure leaves the deterministic answer in place.
import type { Alternative, Answer } from '../knowledge/answer.ts';
import { summarize, type Article } from '../knowledge/article.ts';
import type { HealthReport } from './check-connection.ts';
import { groundingProblem, type GroundingProblem } from './grounding-guard.ts';
import { ModelFailure, type CandidateArticle, type ModelFailureCode, type ModelUsage, type SupportModel, type ThreadTurn, type WrittenAnswer } from './support-model.ts';
import { historyTurn, readThreadHistory, recordThreadTurns, type ThreadHistoryStore, type ThreadKey } from './thread-history.ts';

/** A search answer at or above this confidence is trusted as it is; below it the model may choose. */
export const MODEL_CHOICE_BELOW = 0.8;
/** Candidates offered to the model: the engine's answer and its closest alternatives. */
const maxCandidates = 4;

export interface ArticleLookup {
  answer(question: string): Answer;
  getArticle(id: string): Article | undefined;
}

export interface AssistedAnswerDeps {
  engine: ArticleLookup;
  model: SupportModel;
  /** The most the model steps of one answer may take together. */
  timeoutMs: number;
  /** Live connection verdicts for an answer (empty when not about a connection). */
  diagnose(answer: Answer): Promise<HealthReport[]>;
  history?: ThreadHistoryStore | undefined;
  now: () => Date;
}

export type ChoiceOutcome = 'not_asked' | 'kept' | 'picked' | 'none' | 'rejected' | 'failed';
export type WritingOutcome = 'not_asked' | 'accepted' | 'rejected' | 'failed';

/** What the model did for one answer, without any of the content: for logs and the benchmark. */
export interface ModelTrace {
  choice: ChoiceOutcome;
  writing: WritingOutcome;
  /** Why a written reply was discarded. */
  groundingProblem: GroundingProblem | null;
  failures: ModelFailureCode[];
  calls: number;
  usage: ModelUsage;
}

export interface AssistedAnswer {
  answer: Answer;
  /** Live verdicts of the workspace's connections, when the answer is about a connection. */
  reports: HealthReport[];
  /** The model's reply for the asker, when it passed the grounding guard. */
  written: WrittenAnswer | null;
  /** True when the article shown is the model's choice among the engine's candidates. */
  chosenByModel: boolean;
  /** Null when no model is configured. */
  trace: ModelTrace | null;
}

export async function answerWithModel(deps: AssistedAnswerDeps, question: string, thread?: ThreadKey): Promise<AssistedAnswer> {
  const base = deps.engine.answer(question);
  const trace: ModelTrace = { choice: 'not_asked', writing: 'not_asked', groundingProblem: null, failures: [], calls: 0, usage: { inputTokens: 0, outputTokens: 0 } };
  if (base.reason === 'empty_question' || base.reason === 'out_of_scope') {
    return { answer: base, reports: await deps.diagnose(base), written: null, chosenByModel: false, trace };
  }
  const deadline = AbortSignal.timeout(deps.timeoutMs);
  const history = thread && deps.history ? await readThreadHistory(deps.history, thread, deps.now()).catch(() => []) : [];

  let answer = base;
  // A follow-up ("it still fails") carries no words of its own: the thread's earlier articles are candidates too.
  const earlier = earlierArticleIds(history);
  const unsure = isUnsure(base) || (base.reason === 'low_confidence' && earlier.length > 0);
  const candidates = unsure ? candidateArticles(deps.engine, base, earlier) : [];
  if (candidates.length > 0) {
    try {
      trace.calls++;
      const reply = await deps.model.chooseArticle({ question, history, candidates: candidates.map(toCandidate) }, deadline);
      addUsage(trace, reply.usage);
      ({ answer, outcome: trace.choice } = applyChoice(base, reply.value.articleId, candidates));
    } catch (error) {
      trace.choice = 'failed';
      trace.failures.push(failureCode(error));
    }
  }

  const reports = await deps.diagnose(answer);
  let written: WrittenAnswer | null = null;
  // A model that just failed (timed out, rate-limited, down) is not asked again for this answer.
  const article = trace.choice === 'failed' ? null : answer.article;
  if (article && !deadline.aborted) {
    const verdict = describeVerdicts(reports);
    try {
      trace.calls++;
      const reply = await deps.model.writeAnswer({ question, history, articles: [grounding(article)], verdict }, deadline);
      addUsage(trace, reply.usage);
      const userWords = history.filter((turn) => turn.role === 'user').map((turn) => turn.text);
      trace.groundingProblem = groundingProblem({ written: reply.value, articles: [article], question, verdict, history: userWords });
      trace.writing = trace.groundingProblem ? 'rejected' : 'accepted';
      if (!trace.groundingProblem) written = reply.value;
    } catch (error) {
      trace.writing = 'failed';
      trace.failures.push(failureCode(error));
    }
  } else if (article) {
    trace.writing = 'failed';
    trace.failures.push('model_timeout');
  }

  if (thread && deps.history) {
    const shown = written ? [written.summary, ...written.steps.map((s, i) => `${i + 1}. ${s.text}`)].join('\n') : (answer.article?.title ?? 'No article matched.');
    const replyText = answer.article ? `[${answer.article.id}] ${shown}` : shown;
    await recordThreadTurns(deps.history, thread, [historyTurn('user', question), historyTurn('assistant', replyText)], deps.now()).catch(() => {});
  }
  return { answer, reports, written, chosenByModel: trace.choice === 'picked', trace };
}

/** The engine named an article by ranking alone and not confidently, or named none but has candidates. */
export function isUnsure(answer: Answer): boolean {
  if (answer.article) return answer.matchedBy === 'search' && answer.confidence < MODEL_CHOICE_BELOW;
  return (answer.reason === 'low_confidence' || answer.reason === 'unknown_code') && answer.alternatives.length > 0;
}

interface Candidate {
  article: Article;
  confidence: number;
}

/** Articles earlier replies in the thread were about, newest first (each assistant turn starts "[ID] "). */
function earlierArticleIds(history: ThreadTurn[]): string[] {
  const ids = history.flatMap((turn) => (turn.role === 'assistant' ? (/^\[([A-Z][A-Z0-9_]*)\]/.exec(turn.text)?.slice(1, 2) ?? []) : []));
  return [...new Set(ids.reverse())];
}

function candidateArticles(engine: ArticleLookup, answer: Answer, earlier: string[]): Candidate[] {
  // The thread's latest article goes right after the engine's own pick, so the cap never drops it.
  const listed = [
    ...(answer.article ? [{ id: answer.article.id, confidence: answer.confidence }] : []),
    ...earlier.slice(0, 1).map((id) => ({ id, confidence: 0 })),
    ...answer.alternatives,
    ...earlier.slice(1).map((id) => ({ id, confidence: 0 })),
  ];
  const seen = new Set<string>();
  const out: Candidate[] = [];
  for (const { id, confidence } of listed) {
    const article = engine.getArticle(id);
    if (!article || seen.has(id)) continue;
    seen.add(id);
    out.push({ article, confidence });
  }
  return out.slice(0, maxCandidates);
}

function applyChoice(base: Answer, articleId: string | null, candidates: Candidate[]): { answer: Answer; outcome: ChoiceOutcome } {
  const alternativesBut = (id: string | null): Alternative[] =>
    candidates.filter((c) => c.article.id !== id).map((c) => ({ ...summarize(c.article), confidence: c.confidence }));
  if (articleId === null) {
    // "None of these" is an answer too: the candidates are still offered, nothing is asserted.
    const answer: Answer = { ...base, article: null, matchedBy: 'none', matchedCode: null, reason: base.reason ?? 'low_confidence', alternatives: alternativesBut(null).slice(0, 3), actions: ['escalate'] };
    return { answer, outcome: 'none' };
  }
  const chosen = candidates.find((c) => c.article.id === articleId);
  // An id the engine did not offer (or no article has) is a guess: the engine's answer stands.
  if (!chosen) return { answer: base, outcome: 'rejected' };
  if (chosen.article.id === base.article?.id) return { answer: base, outcome: 'kept' };
  const answer: Answer = {
    ...base,
    article: chosen.article,
    confidence: chosen.confidence,
    matchedBy: 'search',
    matchedCode: null,
    reason: null,
    alternatives: alternativesBut(chosen.article.id).slice(0, 3),
    actions: [...chosen.article.actions],
  };
  return { answer, outcome: 'picked' };
}

function toCandidate(c: Candidate): CandidateArticle {
  return { id: c.article.id, title: c.article.title, meaning: c.article.sections.meaning, symptoms: c.article.symptoms };
}

function grounding(article: Article) {
  return { id: article.id, title: article.title, meaning: article.sections.meaning, steps: article.steps };
}

/** The verdicts in a few plain words per organisation; null when there are none. */
export function describeVerdicts(reports: HealthReport[]): string | null {
  if (reports.length === 0) return null;
  return reports
    .map((r) => {
      const problem = r.problem ? ` (${r.problem})` : '';
      const exports = r.exports.failed ? `, ${r.exports.failed} failed exports` : '';
      return `${r.tenantName}: ${r.verdict.replaceAll('_', ' ')}${problem}${r.reconnect ? ', reconnecting fixes it' : ''}${exports}`;
    })
    .join('\n');
}

function addUsage(trace: ModelTrace, usage: ModelUsage): void {
  trace.usage.inputTokens += usage.inputTokens;
  trace.usage.outputTokens += usage.outputTokens;
}

function failureCode(error: unknown): ModelFailureCode {
  if (error instanceof ModelFailure) return error.code;
  if (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError')) return 'model_timeout';
  return 'model_unavailable';
}

