// The builders stay inside Slack's Block Kit limits for every article and for the largest inputs
// people can produce, and never let user text become mentions or links.
import { describe, expect, it } from 'vitest';
import { createAnswerEngine } from '../../src/knowledge/answer-engine.ts';
import { loadKnowledge } from '../../src/knowledge/load-knowledge.ts';
import { buildAnswerBlocks } from '../../src/slack/blocks/answer-blocks.ts';
import { buildEscalationModal, buildReporterConfirmation, buildTriageBlocks } from '../../src/slack/blocks/escalation-blocks.ts';
import { buildHomeView } from '../../src/slack/blocks/home-blocks.ts';
import { composeEscalationText } from '../../src/support/escalate.ts';
import type { ConnectionRecord, EscalationRecord, FailedSyncRecord } from '../../src/support/stores.ts';
import { blockKitProblem } from '../fakes/fake-slack-api.ts';

const articles = loadKnowledge(new URL('../../knowledge/', import.meta.url).pathname);
const engine = createAnswerEngine(articles);

function escalation(overrides: Partial<EscalationRecord> = {}): EscalationRecord {
  return {
    id: '0f3c2b1a-1111-4222-8333-444455556666',
    slackTeamId: 'T1',
    reporterSlackUserId: 'U1',
    channelId: 'C1',
    threadTs: null,
    errorText: 'XERO11',
    reportId: null,
    occurredAt: new Date('2025-03-01T10:00:00Z'),
    connectionId: null,
    articleId: null,
    status: 'open',
    assigneeSlackUserId: null,
    triageMessage: null,
    reporterConfirmationTs: null,
    postedAt: null,
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

  it('a huge question still fits in button values', () => {
    const { blocks } = buildAnswerBlocks(engine.answer(`XERO11 ${'x'.repeat(10_000)}`));
    expect(blockKitProblem(blocks, 50)).toBeNull();
  });
});

describe('escalation blocks', () => {
  it('split a maximal error and notes over sections and escape user text', () => {
    const text = composeEscalationText(`<!channel> ${'e'.repeat(2990)}`, 'n'.repeat(3000));
    const details = { escalation: escalation({ errorText: text, reportId: '<https://evil.test|click>' }), article: null, connectionName: 'Acme & Co', resolvedBy: null };
    const blocks = buildTriageBlocks(details);
    expect(blockKitProblem(blocks, 50)).toBeNull();
    const json = JSON.stringify(blocks);
    expect(json).not.toContain('<!channel>');
    expect(json).toContain('&lt;!channel&gt;');
    expect(json).not.toContain('<https://evil.test');
    expect(json).toContain('Acme &amp; Co');
    expect(json.match(/n/g)!.length).toBeGreaterThanOrEqual(3000);
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
    }));
    const many = Array.from({ length: 60 }, (_, i) => escalation({ id: `e${i}`, errorText: 'z'.repeat(6000) }));
    const view = buildHomeView({ connections, failedSyncs: syncs, moreFailedSyncs: true, openEscalations: many, myEscalations: many }, { isAdmin: true });
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect(blockKitProblem(view.blocks, 100)).toBeNull();
  });
});
