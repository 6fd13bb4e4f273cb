// The case conversation's messages in the thread: what is collected plus the question for what is
// missing, then the summary with Send to support and Edit.
import type { CaseStep } from '../../support/collect-case.ts';
import { askFor, caseText, summaryLines } from '../../copy/case-conversation-text.ts';
import { actionIds } from '../ids.ts';
import { actions, button, context, section, sectionsFromLines, type Blocks } from './block-kit.ts';

export interface CaseMessage {
  text: string;
  blocks: Blocks;
}

export function buildCaseStep(step: CaseStep): CaseMessage {
  const { conversation } = step;
  const lines = summaryLines(conversation.fields, conversation.timeZone);
  if (step.kind === 'cancelled') return { text: caseText.cancelled, blocks: [section(caseText.cancelled)] };
  if (step.kind === 'asking') {
    const question = askFor(step.missing);
    const have = lines.length ? lines.join('\n') : caseText.nothingYet;
    return {
      text: `${caseText.intro}\n${have}\n${question}`,
      blocks: [...sectionsFromLines([caseText.intro, have]), section(`*${question}*`), context(caseText.replyHint)],
    };
  }
  return {
    text: `${caseText.summaryIntro}\n${lines.join('\n')}`,
    blocks: [
      ...sectionsFromLines([caseText.summaryIntro, ...lines]),
      actions(undefined, [
        button({ label: caseText.send, actionId: actionIds.sendCase, value: conversation.id, style: 'primary' }),
        button({ label: caseText.edit, actionId: actionIds.editCase, value: conversation.id }),
      ]),
      context(caseText.replyHint),
    ],
  };
}
