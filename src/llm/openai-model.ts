// The OpenAI adapter: the only importer of the `openai` SDK. Each use-case call is one chat
// completion with a strict structured output (zod). Everything sent is redacted first, here at the
// edge, so no caller can forget it. The SDK's defaults (600 s, 2 retries) would keep a Slack user
// waiting: one retry at most, and the caller's deadline aborts the request and any retry wait.
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError, RateLimitError } from 'openai';
import { ContentFilterFinishReasonError, LengthFinishReasonError } from 'openai/core/error';
import { zodResponseFormat } from 'openai/helpers/zod';
import { ZodError, type z } from 'zod';
import type { OpenAIConfig } from '../config.ts';
import { redactForModel } from '../support/redact-for-model.ts';
import { ModelFailure, type ModelReply, type SupportModel, type ThreadTurn } from '../support/support-model.ts';
import { articleChoiceSchema, caseFieldsSchema, chooseInstructions, extractInstructions, writeInstructions, writtenAnswerSchema } from './prompts.ts';

/** One retry covers a brief 429 or 5xx; more would not fit inside one answer's deadline. */
export const openAIMaxRetries = 1;

export interface OpenAIModelOptions {
  /** Tests shorten the SDK's retry waits by passing their own. */
  maxRetries?: number;
}

export function createOpenAIModel(config: OpenAIConfig, options: OpenAIModelOptions = {}): SupportModel {
  const client = new OpenAI({
    apiKey: config.apiKey,
    baseURL: config.baseUrl,
    timeout: config.timeoutMs,
    maxRetries: options.maxRetries ?? openAIMaxRetries,
  });

  async function complete<S extends z.ZodType>(schema: S, name: string, instructions: string, input: unknown, history: ThreadTurn[], signal: AbortSignal): Promise<ModelReply<z.infer<S>>> {
    const messages = [
      { role: 'system' as const, content: instructions },
      ...history.map((turn) => ({ role: turn.role, content: redactForModel(turn.text) })),
      { role: 'user' as const, content: redactForModel(JSON.stringify(input)) },
    ];
    try {
      const completion = await client.chat.completions.parse(
        { model: config.model, messages, response_format: zodResponseFormat(schema, name) },
        { signal },
      );
      const message = completion.choices[0]?.message;
      if (message?.refusal) throw new ModelFailure('model_refused', 'the model refused to answer');
      if (!message?.parsed) throw new ModelFailure('model_malformed', 'the model returned no structured output');
      const usage = { inputTokens: completion.usage?.prompt_tokens ?? 0, outputTokens: completion.usage?.completion_tokens ?? 0 };
      return { value: message.parsed as z.infer<S>, usage };
    } catch (error) {
      throw asModelFailure(error, signal);
    }
  }

  return {
    extractCase: (input, signal) => complete(caseFieldsSchema, 'case_fields', extractInstructions, input, [], signal),
    chooseArticle: ({ history, ...input }, signal) => complete(articleChoiceSchema, 'article_choice', chooseInstructions, input, history, signal),
    writeAnswer: ({ history, ...input }, signal) => complete(writtenAnswerSchema, 'written_answer', writeInstructions, input, history, signal),
  };
}

/** The SDK's errors as the few outcomes the use-cases tell apart; messages carry no content. */
export function asModelFailure(error: unknown, signal: AbortSignal): ModelFailure {
  if (error instanceof ModelFailure) return error;
  if (error instanceof APIUserAbortError || error instanceof APIConnectionTimeoutError || signal.aborted) {
    return new ModelFailure('model_timeout', 'the model did not answer in time', { cause: error });
  }
  if (error instanceof RateLimitError) return new ModelFailure('model_rate_limited', 'OpenAI is rate-limiting this key (429)', { cause: error });
  if (error instanceof ContentFilterFinishReasonError) return new ModelFailure('model_refused', 'the reply was stopped by the content filter', { cause: error });
  if (error instanceof SyntaxError || error instanceof ZodError || error instanceof LengthFinishReasonError) {
    return new ModelFailure('model_malformed', 'the model returned output that does not fit the schema', { cause: error });
  }
  if (error instanceof APIConnectionError) return new ModelFailure('model_unavailable', 'could not reach the OpenAI API', { cause: error });
  if (error instanceof APIError) return new ModelFailure('model_unavailable', `the OpenAI API answered HTTP ${error.status ?? '?'}`, { cause: error });
  return new ModelFailure('model_unavailable', 'the model call failed', { cause: error });
}
