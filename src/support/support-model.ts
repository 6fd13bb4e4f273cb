// What the use-cases ask of a language model, with no SDK in sight: the OpenAI adapter
// (src/llm/openai-model.ts) implements it; without OPENAI_API_KEY there is none and every answer is
// the deterministic engine's. Each call may fail with a ModelFailure; callers fall back, never wait.

/** Why a model call gave nothing usable. */
export type ModelFailureCode = 'model_timeout' | 'model_rate_limited' | 'model_unavailable' | 'model_malformed' | 'model_refused';

export class ModelFailure extends Error {
  readonly code: ModelFailureCode;
  constructor(code: ModelFailureCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ModelFailure';
    this.code = code;
  }
}

export interface ModelUsage {
  inputTokens: number;
  outputTokens: number;
}

export interface ModelReply<T> {
  value: T;
  usage: ModelUsage;
}

/** An earlier message in the same Slack thread, oldest first. */
export interface ThreadTurn {
  role: 'user' | 'assistant';
  text: string;
}

/** What the model may read about an article when choosing among candidates. */
export interface CandidateArticle {
  id: string;
  title: string;
  meaning: string;
  symptoms: string[];
}

/** An article the reply must be written from: its own numbered steps are the only fix allowed. */
export interface GroundingArticle {
  id: string;
  title: string;
  meaning: string;
  steps: string[];
}

export interface ModelCaseFields {
  errorCode: string | null;
  errorMessage: string | null;
  report: string | null;
  /** ISO 8601 with offset, resolved against the sender's zone and send time. */
  time: string | null;
  /** The words of the text the time was read from. */
  timeText: string | null;
  organisation: string | null;
}

export interface WrittenStep {
  articleId: string;
  /** 1-based number of the article step this one restates. */
  step: number;
  text: string;
}

export interface WrittenAnswer {
  /** One or two sentences for the asker's situation; no steps of its own. */
  summary: string;
  steps: WrittenStep[];
  citations: string[];
}

export interface SupportModel {
  /** Fields of a case the text holds; only asked for those the deterministic extractor left empty. */
  extractCase(
    input: { text: string; timeZone: string; sentAt: string; wanted: Array<keyof ModelCaseFields> },
    signal: AbortSignal,
  ): Promise<ModelReply<ModelCaseFields>>;
  /** One of the candidates' ids, or null for none of them. */
  chooseArticle(input: { question: string; history: ThreadTurn[]; candidates: CandidateArticle[] }, signal: AbortSignal): Promise<ModelReply<{ articleId: string | null }>>;
  writeAnswer(
    input: { question: string; history: ThreadTurn[]; articles: GroundingArticle[]; verdict: string | null },
    signal: AbortSignal,
  ): Promise<ModelReply<WrittenAnswer>>;
}
