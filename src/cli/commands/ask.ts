// `concierge ask [--json] [QUESTION...]`: one answer, or one per line of standard input.
import { createInterface } from 'node:readline';
import { loadConfig } from '../../config.ts';
import type { Answer } from '../../knowledge/answer.ts';
import { createAnswerEngine } from '../../knowledge/answer-engine.ts';
import { loadKnowledge } from '../../knowledge/load-knowledge.ts';
import { renderAnswerText } from '../answer-text.ts';
import { parseFlags, type CliIo } from '../main.ts';

export function answerJson(answer: Answer) {
  return {
    question: answer.question,
    article: answer.article ? { id: answer.article.id, title: answer.article.title, codes: answer.article.codes } : null,
    confidence: answer.confidence,
    matchedBy: answer.matchedBy,
    matchedCode: answer.matchedCode,
    unknownCode: answer.unknownCode,
    reason: answer.reason,
    alternatives: answer.alternatives.map(({ id, title, confidence }) => ({ id, title, confidence })),
    actions: answer.actions,
  };
}

export async function runAsk(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(args, { json: { type: 'boolean', default: false } });
  const config = loadConfig();
  const engine = createAnswerEngine(loadKnowledge(config.knowledgeDir), { minConfidence: config.minConfidence });
  const print = (answer: Answer) =>
    io.stdout.write(values.json ? `${JSON.stringify(answerJson(answer))}\n` : renderAnswerText(answer));

  if (positionals.length > 0) {
    print(engine.answer(positionals.join(' ')));
    return 0;
  }
  let first = true;
  for await (const line of createInterface({ input: io.stdin, crlfDelay: Infinity })) {
    if (!line.trim()) continue;
    if (!values.json) io.stdout.write(`${first ? '' : '\n'}> ${line.trim()}\n`);
    first = false;
    print(engine.answer(line));
  }
  return 0;
}
