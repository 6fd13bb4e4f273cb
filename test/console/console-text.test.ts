// The console's own text for answers and cases, read from domain values (no Slack blocks): the
// same words as Slack, the buttons it can press, and the case's time in the reporter's zone.
import { describe, expect, it } from 'vitest';
import { answerText } from '../../src/console/answer-text.ts';
import { caseText } from '../../src/console/case-text.ts';
import { actionLabels, escalationText, text } from '../../src/copy/user-text.ts';
import type { EscalationRecord } from '../../src/support/stores.ts';
import { createAnswerEngine } from '../../src/knowledge/answer-engine.ts';
import { loadKnowledge } from '../../src/knowledge/load-knowledge.ts';

const engine = createAnswerEngine(loadKnowledge(new URL('../../knowledge/', import.meta.url).pathname));

const filed: EscalationRecord = {
  id: '0f3c2b1a-1111-4222-8333-444455556666',
  slackTeamId: 'T1',
  reporterSlackUserId: 'U1',
  channelId: 'C1',
  threadTs: null,
  errorText: 'XERO01 Error: Unable to complete action to Xero.\nsecond line',
  notes: 'Close is Friday',
  reportId: 'R00452',
  occurredAt: new Date('2026-11-20T14:05:00Z'),
  connectionId: null,
  articleId: 'XERO01',
  codes: ['XERO01'],
  reporterTimeZone: 'America/New_York',
  connectionVerdict: null,
  connectionCheckedAt: null,
  status: 'open',
  assigneeSlackUserId: null,
  resolvedBySlackUserId: null,
  triageMessage: null,
  reporterConfirmation: null,
  postedAt: null,
  postAttemptAt: null,
  confirmationAttemptAt: null,
  createdAt: new Date('2026-11-20T14:10:00Z'),
};

describe('console text', () => {
  it('shows a case as support reads it, with the time in the reporter zone beside UTC and the error quoted line by line', () => {
    const out = caseText({ escalation: filed, article: { id: 'XERO01', title: 'XERO01: unable to complete the action in Xero', codes: ['XERO01'], category: 'export' }, connectionName: 'Acme Ltd' });
    expect(out).toContain(escalationText.triageTitle('0F3C2B1A').toUpperCase());
    expect(out).toContain(`${escalationText.codes}: XERO01`);
    expect(out).toContain(`${escalationText.report}: R00452`);
    expect(out).toContain(`${escalationText.occurredAt}: 20 Nov 2026, 09:05 America/New_York (20 Nov 2026, 14:05 UTC)`);
    expect(out).toContain(`${escalationText.connection}: Acme Ltd`);
    expect(out).toContain(`${escalationText.article}: XERO01: unable to complete the action in Xero`);
    expect(out).toContain(`${escalationText.error}\n  │ XERO01 Error: Unable to complete action to Xero.\n  │ second line\n${escalationText.notes}\n  │ Close is Friday`);
    expect(out).not.toMatch(/<@|<!date|\*/);
  });

  it('shows an answer without Slack markup, offering only the buttons this deployment can press', () => {
    const answer = engine.answer('XERO11 on my report');
    const withoutXero = answerText(answer, { xero: false, escalation: true });
    expect(withoutXero.text).toContain(text.whatItMeans);
    expect(withoutXero.text).not.toContain('*');
    expect(withoutXero.buttons.map((b) => b.label)).not.toContain(actionLabels.reconnect);
    expect(withoutXero.buttons.map((b) => b.label).slice(-2)).toEqual([text.helpful, text.notHelpful]);
    const withXero = answerText(answer, { xero: true, escalation: false });
    const reconnect = withXero.buttons.find((b) => b.label === actionLabels.reconnect);
    expect(reconnect?.press).toEqual({ kind: 'command', command: { kind: 'reconnect' } });
    expect(withXero.buttons.map((b) => b.label)).not.toContain(actionLabels.escalate);
  });
});
