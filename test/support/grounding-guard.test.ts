// The grounding guard on its own, over the bundled articles: paraphrases fitted to the asker pass,
// anything the cited article does not say fails, whatever the model's confidence in it.
import { describe, expect, it } from 'vitest';
import { createAnswerEngine } from '../../src/knowledge/answer-engine.ts';
import { loadKnowledge } from '../../src/knowledge/load-knowledge.ts';
import { groundingProblem } from '../../src/support/grounding-guard.ts';
import type { WrittenAnswer } from '../../src/support/support-model.ts';

const engine = createAnswerEngine(loadKnowledge(new URL('../../knowledge/', import.meta.url).pathname));
const xero11 = engine.getArticle('XERO11')!;
const question = 'Getting XERO11 on my March travel report, the Acme Ltd one';
const adapted: WrittenAnswer = {
  summary: "The Acme Ltd connection to Xero has expired, so your March travel report can't be exported until someone reconnects.",
  steps: [
    { articleId: 'XERO11', step: 1, text: 'Ask an admin of Acme Ltd in Xero to do the reconnect, ideally whoever connected it first.' },
    { articleId: 'XERO11', step: 2, text: 'Open the integration settings in your expense tool and click Reconnect Xero.' },
    { articleId: 'XERO11', step: 3, text: 'Sign in to Xero, pick Acme Ltd and allow every permission.' },
    { articleId: 'XERO11', step: 5, text: 'Then retry your March travel report export; it will not be resent on its own.' },
  ],
  citations: ['XERO11'],
};

describe('grounding guard', () => {
  it("keeps steps reworded for the asker's situation, names and all", () => {
    expect(groundingProblem({ written: adapted, articles: [xero11], question, verdict: null })).toBeNull();
  });

  it("takes the asker's earlier words in the thread and the live verdict as support", () => {
    const followUp = 'still broken after lunch';
    const written: WrittenAnswer = { ...adapted, summary: 'Globex Trading shows an expired authorisation, so reconnecting is the fix.', steps: adapted.steps.slice(1, 2) };
    expect(groundingProblem({ written, articles: [xero11], question: followUp, verdict: null })).toBe('summary_ungrounded');
    expect(groundingProblem({ written, articles: [xero11], question: followUp, verdict: 'Globex Trading: authorisation expired, reconnecting fixes it' })).toBeNull();
    expect(groundingProblem({ written, articles: [xero11], question: followUp, verdict: null, history: ['XERO11 shows on the Globex Trading report'] })).toBeNull();
  });

  it("refuses a step restated under another step's number", () => {
    const swapped = { ...adapted, steps: [{ ...adapted.steps[3]!, step: 1 }] };
    expect(groundingProblem({ written: swapped, articles: [xero11], question, verdict: null })).toBe('step_ungrounded');
  });
});
