// One answer as every listener that answers questions builds it (DMs, mentions, the assistant
// panel, the slash command's model follow-up): shared here so no listener imports another's folder.
import { buildAnswerBlocks, type AnswerMessage } from './blocks/answer-blocks.ts';
import { buildDiagnosisBlocks } from './blocks/health-blocks.ts';
import type { ListenerDeps } from './listener-deps.ts';

/**
 * The answer, led by the live verdict of the workspace's connections when it is about a
 * connection problem. The verdict goes inside the one reply rather than a follow-up: it is what
 * the person needs first, a stored verdict costs no Xero call, and a live one is bounded (4 s).
 * With OPENAI_API_KEY set the model may pick among unsure candidates and write the fix from the
 * article; its usage is logged without any content.
 */
export async function diagnosedAnswer(
  deps: ListenerDeps,
  teamId: string | undefined,
  question: string,
  thread?: { channel: string; threadTs: string },
  options: { shareable?: boolean } = {},
): Promise<AnswerMessage> {
  const started = performance.now();
  const assisted = await deps.support.answerFor(question, {
    teamId,
    thread: teamId && thread ? { teamId, ...thread } : undefined,
    onDiagnosisFailed: (error) => deps.logger.warn({ err: error, code: 'diagnosis_failed' }, 'could not add the live connection verdict to an answer'),
  });
  if (assisted.trace) {
    const { usage, ...outcome } = assisted.trace;
    deps.logger.info({ code: 'model_answer', ...outcome, ...usage, ms: Math.round(performance.now() - started) }, 'answered with the model');
  }
  const { answer, reports } = assisted;
  const lead = buildDiagnosisBlocks(reports, answer.article?.id ?? null, { now: deps.now(), getArticle: (id) => deps.support.getArticle(id) });
  return buildAnswerBlocks(answer, { lead, capabilities: deps.capabilities, written: assisted.written, chosenByModel: assisted.chosenByModel, ...(options.shareable ? { shareable: true } : {}) });
}
