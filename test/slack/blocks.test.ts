// The builders stay inside Slack's Block Kit limits for every article and for the largest inputs
// people can produce, and never let user text become mentions or links.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAnswerEngine } from '../../src/knowledge/answer-engine.ts';
import { loadKnowledge } from '../../src/knowledge/load-knowledge.ts';
import { decodeAnswerRef } from '../../src/slack/action-values.ts';
import { answerBlockIds, buildAnswerBlocks } from '../../src/slack/blocks/answer-blocks.ts';
import { actionIds } from '../../src/slack/ids.ts';
import { buildEscalationModal, buildReporterConfirmation, buildTriageBlocks } from '../../src/slack/blocks/escalation-blocks.ts';
import { buildHomeView } from '../../src/slack/blocks/home-blocks.ts';
import { escalationText, text } from '../../src/slack/user-text.ts';
import type { ConnectionRecord, EscalationRecord, FailedSyncRecord } from '../../src/support/stores.ts';
import { blockKitProblem } from '../../dev/fake-slack-api.ts';

const articles = loadKnowledge(new URL('../../knowledge/', import.meta.url).pathname);
const engine = createAnswerEngine(articles);

/** The connection fields these tests do not look at. */
const connectionFields = {
  statusChangedAt: new Date(),
  healthVerdict: null,
  healthReport: null,
  refreshTokenIssuedAt: new Date(),
  connectedBySlackUserId: 'U1',
  connectedByXeroEmail: null,
};

function escalation(overrides: Partial<EscalationRecord> = {}): EscalationRecord {
  return {
    id: '0f3c2b1a-1111-4222-8333-444455556666',
    slackTeamId: 'T1',
    reporterSlackUserId: 'U1',
    channelId: 'C1',
    threadTs: null,
    errorText: 'XERO11',
    notes: null,
    reportId: null,
    occurredAt: new Date('2025-03-01T10:00:00Z'),
    connectionId: null,
    articleId: null,
    codes: [],
    reporterTimeZone: null,
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
    createdAt: new Date('2025-03-01T10:05:00Z'),
    ...overrides,
  };
}

describe('answer blocks', () => {
  it('every article renders within Slack limits, as a thread reply and as a shareable ephemeral', () => {
    expect(articles.length).toBeGreaterThan(5);
    for (const article of articles) {
      const answer = engine.answer(article.codes[0] ?? article.title);
      for (const shareable of [false, true]) {
        const { blocks, text } = buildAnswerBlocks(answer, { shareable });
        expect(blockKitProblem(blocks, 50), article.id).toBeNull();
        expect(text.length).toBeGreaterThan(0);
      }
    }
  });

  it('offers the runners-up as buttons under an answer found by ranking that is not sure, and not under a sure one', () => {
    const unsure = engine.answer('Error: Account type is invalid for making a payment to/from');
    expect(unsure).toMatchObject({ matchedBy: 'search', article: { id: 'BANK_ACCOUNT_INVALID' } });
    expect(unsure.confidence).toBeLessThan(0.6);
    const { blocks } = buildAnswerBlocks(unsure, { shareable: true });
    expect(blockKitProblem(blocks, 50)).toBeNull();
    expect(JSON.stringify(blocks)).toContain(text.closestOthers);
    const offered = blocks.find((b) => b.block_id === answerBlockIds.alternatives) as { elements: { action_id: string; value: string }[] };
    expect(offered.elements.map((e) => e.action_id)).toEqual([actionIds.showArticle, actionIds.showArticle2]);
    expect(offered.elements.map((e) => decodeAnswerRef(e.value)?.a)).toEqual(unsure.alternatives.slice(0, 2).map((a) => a.id));

    const sure = buildAnswerBlocks(engine.answer('XERO11 on my report'), { shareable: true }).blocks;
    expect(sure.some((b) => b.block_id === answerBlockIds.alternatives)).toBe(false);
    expect(JSON.stringify(sure)).not.toContain(text.closestOthers);
  });

  // Every set of questions we hold, as people asked them; the shared development set only when
  // this checkout sits beside it.
  const benchDir = new URL('../../bench/', import.meta.url).pathname;
  const questionSets = [
    ...['../../../shared/eval/kb-dev.jsonl', '../knowledge/questions.jsonl'].map((relative) => new URL(relative, import.meta.url).pathname),
    ...readdirSync(benchDir)
      .filter((name) => /^(?:real-world|slack-style|short-query)-.*\.jsonl$/.test(name))
      .map((name) => join(benchDir, name)),
  ].filter((path) => existsSync(path));

  it('every reply to every question in every set passes Slack Block Kit checks, shareable or not', () => {
    expect(questionSets.length).toBeGreaterThanOrEqual(50);
    let replies = 0;
    for (const path of questionSets) {
      const questions = readFileSync(path, 'utf8')
        .split('\n')
        .filter((line) => line.trim())
        .map((line) => (JSON.parse(line) as { q: string }).q);
      for (const question of questions) {
        const answer = engine.answer(question);
        for (const options of [{}, { shareable: true }, { sharedBy: 'U0USER0001' }]) {
          const { blocks } = buildAnswerBlocks(answer, options);
          expect(blockKitProblem(blocks, 50), `${path}: ${question.slice(0, 80)}`).toBeNull();
          replies += 1;
        }
      }
    }
    expect(replies).toBeGreaterThan(300);
  });

  it('the fake Slack names the rule and the field it refuses, as Slack does', () => {
    const duplicate = [
      { type: 'section', text: { type: 'mrkdwn', text: 'hi' } },
      { type: 'actions', elements: [{ type: 'button', action_id: 'same', text: { type: 'plain_text', text: 'A' } }, { type: 'button', action_id: 'same', text: { type: 'plain_text', text: 'B' } }] },
    ];
    expect(blockKitProblem(duplicate, 50)).toBe('[ERROR] action_id "same" must be unique within the actions block [json-pointer:/blocks/1/elements/1/action_id]');
    expect(blockKitProblem([{ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } }], 50)).toMatch(/^\[ERROR\] must be less than 3001 characters \[json-pointer:\/blocks\/0\/text\]$/);
  });

  it('a huge question still fits in button values', () => {
    const { blocks } = buildAnswerBlocks(engine.answer(`XERO11 ${'x'.repeat(10_000)}`));
    expect(blockKitProblem(blocks, 50)).toBeNull();
  });
});

describe('escalation blocks', () => {
  it('split a maximal error and notes over sections and escape user text', () => {
    const errorText = `<!channel> ${'e'.repeat(2990)}`;
    const notes = `<@U0BOSS> ${'n'.repeat(2990)}`;
    const details = { escalation: escalation({ errorText, notes, reportId: '<https://evil.test|click>' }), article: null, connectionName: 'Acme & Co' };
    const blocks = buildTriageBlocks(details);
    expect(blockKitProblem(blocks, 50)).toBeNull();
    const json = JSON.stringify(blocks);
    expect(json).not.toContain('<!channel>');
    expect(json).toContain('&lt;!channel&gt;');
    expect(json).not.toContain('<@U0BOSS>');
    expect(json).not.toContain('<https://evil.test');
    expect(json).toContain('Acme &amp; Co');
    expect(json.match(/e/g)!.length).toBeGreaterThanOrEqual(2990);
    expect(json.match(/n/g)!.length).toBeGreaterThanOrEqual(2990);
    // The notes come under their own heading, after the whole error.
    expect(json.indexOf(`*${escalationText.notes}*`)).toBeGreaterThan(json.lastIndexOf('eeee'));
  });

  it("link the thread with Slack's permalink, and name the channel when Slack gave none", () => {
    const inThread = { escalation: escalation({ threadTs: '1700000000.000100' }), article: null, connectionName: null };
    const linked = JSON.stringify(buildTriageBlocks(inThread, 'https://acme.slack.com/archives/C1/p1700000000000100'));
    expect(linked).toContain(`<https://acme.slack.com/archives/C1/p1700000000000100|${escalationText.openThread}>`);
    const named = JSON.stringify(buildTriageBlocks(inThread, null));
    expect(named).toContain('<#C1>');
    expect(named).not.toContain('archives');
  });

  it('show the notes only when there are some', () => {
    const without = JSON.stringify(buildTriageBlocks({ escalation: escalation(), article: null, connectionName: null }));
    expect(without).not.toContain(escalationText.notes);
    const withNotes = JSON.stringify(buildTriageBlocks({ escalation: escalation({ notes: 'Close is Friday' }), article: null, connectionName: null }));
    expect(withNotes).toContain(`*${escalationText.notes}*\\n>Close is Friday`);
  });

  it('name whoever resolved the case in the triage message and the reporter confirmation', () => {
    const resolved = escalation({ status: 'resolved', assigneeSlackUserId: 'U0CLAIMER', resolvedBySlackUserId: 'U0RESOLVER', postedAt: new Date() });
    const triage = JSON.stringify(buildTriageBlocks({ escalation: resolved, article: null, connectionName: null }));
    expect(triage).toContain(escalationText.statusResolved('U0RESOLVER'));
    const { text, blocks } = buildReporterConfirmation(resolved, null);
    expect(text).toContain(escalationText.resolvedNotice('U0RESOLVER'));
    expect(JSON.stringify(blocks)).toContain(escalationText.statusResolved('U0RESOLVER'));
  });

  it('the modal fits with a maximal prefill and many organisations', () => {
    const connections: ConnectionRecord[] = Array.from({ length: 150 }, (_, i) => ({
      id: `c${i}`,
      slackTeamId: 'T1',
      tenantId: `t${i}`,
      tenantName: `Organisation with a rather long name number ${i} ${'x'.repeat(80)}`,
      status: 'connected',
      statusReason: null,
      lastCheckedAt: null,
      lastHealthyAt: null,
      ...connectionFields,
    }));
    const modal = buildEscalationModal({ origin: { channelId: 'C1', threadTs: '1.2', articleId: 'XERO11' }, prefillError: 'y'.repeat(5000), now: new Date(), connections });
    expect(blockKitProblem(modal.blocks, 100)).toBeNull();
    const json = JSON.stringify(modal);
    expect(modal.title.text.length).toBeLessThanOrEqual(24);
    expect(json).not.toContain('y'.repeat(3001));
  });

  it('the reporter confirmation says why a case is not posted yet', () => {
    const { text } = buildReporterConfirmation(escalation(), { ok: false, error: 'not_in_channel' });
    expect(text).toContain('the app is not a member of the support channel');
  });
});

describe('App Home', () => {
  it('stays within 100 blocks with the largest lists', () => {
    const syncs: FailedSyncRecord[] = Array.from({ length: 10 }, (_, i) => ({
      id: `s${i}`,
      slackTeamId: 'T1',
      connectionId: null,
      externalReference: `R${i}`,
      kind: 'bill',
      errorCode: 'XERO11',
      errorMessage: 'm'.repeat(5000),
      occurredAt: new Date(),
      status: 'failed',
      attempts: 0,
    }));
    const connections: ConnectionRecord[] = Array.from({ length: 40 }, (_, i) => ({
      id: `c${i}`,
      slackTeamId: 'T1',
      tenantId: `t${i}`,
      tenantName: `Org ${i}`,
      status: 'error',
      statusReason: 'r'.repeat(4000),
      lastCheckedAt: new Date(),
      lastHealthyAt: null,
      ...connectionFields,
    }));
    const many = Array.from({ length: 60 }, (_, i) => escalation({ id: `e${i}`, errorText: 'z'.repeat(6000), notes: 'w'.repeat(3000) }));
    const view = buildHomeView({ connections, failedSyncs: syncs, moreFailedSyncs: true, openEscalations: many, myEscalations: many }, { isAdmin: true });
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect(blockKitProblem(view.blocks, 100)).toBeNull();
  });

  it('shows an escalation\'s notes, and who resolved it, under the error', () => {
    const open = escalation({ id: 'e-open', errorText: 'Invoice INV-9 failed', notes: 'Close is Friday.\nCFO waiting.' });
    const mine = escalation({ id: 'e-mine', status: 'resolved', resolvedBySlackUserId: 'U0RESOLVER' });
    const view = buildHomeView({ connections: [], failedSyncs: [], moreFailedSyncs: false, openEscalations: [open], myEscalations: [mine] }, { isAdmin: false });
    const json = JSON.stringify(view.blocks);
    expect(json).toContain(`>Invoice INV-9 failed\\n>_${escalationText.notes}:_ Close is Friday. CFO waiting.`);
    expect(json).toContain(escalationText.statusResolved('U0RESOLVER'));
  });
});
