// The health builders: what a person reads for each verdict, the buttons they get, and Block Kit
// limits with the most connections a workspace can show.
import { describe, expect, it } from 'vitest';
import { blockKitProblem } from '../../dev/fake-slack-api.ts';
import { createAnswerEngine } from '../../src/knowledge/answer-engine.ts';
import { loadKnowledge } from '../../src/knowledge/load-knowledge.ts';
import { buildAlertMessage, buildConnectionHealthReply, buildDiagnosisBlocks } from '../../src/slack/blocks/health-blocks.ts';
import { buildHomeView } from '../../src/slack/blocks/home-blocks.ts';
import { actionIds } from '../../src/slack/ids.ts';
import { ago, healthText } from '../../src/slack/user-text.ts';
import type { HealthReport, HealthVerdict } from '../../src/support/check-connection.ts';
import { verdictArticles } from '../../src/support/check-connection.ts';
import type { ConnectionRecord } from '../../src/support/stores.ts';
import type { HealthAlert } from '../../src/support/records.ts';

const engine = createAnswerEngine(loadKnowledge(new URL('../../knowledge/', import.meta.url).pathname));
const now = new Date('2026-03-10T12:00:00Z');
const options = { now, getArticle: (id: string) => engine.getArticle(id) };

function report(verdict: HealthVerdict, overrides: Partial<HealthReport> = {}): HealthReport {
  const reconnect = ['authorisation_expired', 'token_rejected', 'not_connected', 'permission_denied'].includes(verdict);
  return {
    connectionId: 'c-1',
    slackTeamId: 'T1',
    tenantName: 'Demo Co',
    connectedBySlackUserId: 'U0DANA0001',
    connectedByXeroEmail: 'dana@demo.example',
    verdict,
    articleId: verdictArticles[verdict],
    reconnect,
    broken: verdict !== 'healthy',
    status: verdict === 'healthy' ? 'connected' : 'error',
    tokenState: 'valid',
    listed: true,
    organisation: { name: 'Demo Co', status: 'ACTIVE', subscriptionClass: 'STANDARD', isDemoCompany: false },
    headroom: { minuteRemaining: 58, dayRemaining: 4990, appMinuteRemaining: 9000 },
    exports: { failed: 2, queued: 1 },
    problem: null,
    checkedAt: new Date(now.getTime() - 12 * 60_000),
    since: new Date(now.getTime() - 3 * 24 * 60 * 60_000),
    refreshTokenIssuedAt: now,
    ...overrides,
  };
}

function connection(i: number): ConnectionRecord {
  return {
    id: `c-${i}`,
    slackTeamId: 'T1',
    tenantId: `t-${i}`,
    tenantName: `Org ${i} ${'n'.repeat(200)}`,
    status: 'needs_reconnect',
    statusReason: 'refresh token expired',
    statusChangedAt: now,
    lastCheckedAt: null,
    lastHealthyAt: null,
    healthVerdict: null,
    healthReport: null,
    refreshTokenIssuedAt: now,
    connectedBySlackUserId: 'U1',
    connectedByXeroEmail: null,
  };
}

describe('connection health blocks', () => {
  it('says how old a check is in words', () => {
    expect(ago(new Date(now.getTime() - 20_000), now)).toBe('just now');
    expect(ago(new Date(now.getTime() - 12 * 60_000), now)).toBe('12 minutes ago');
    expect(ago(new Date(now.getTime() - 60 * 60_000), now)).toBe('1 hour ago');
    expect(ago(new Date(now.getTime() - 3 * 24 * 60 * 60_000), now)).toBe('3 days ago');
  });

  it('an expired connection: when, who connected it, what to do, and Reconnect', () => {
    const reply = buildConnectionHealthReply({ xeroConfigured: true, entries: [{ connection: connection(1), health: report('authorisation_expired') }] }, options);
    const shown = JSON.stringify(reply.blocks);
    expect(shown).toContain('Your connection to *Demo Co* expired 3 days ago');
    expect(shown).toContain('Connected by <@U0DANA0001>');
    expect(shown).toContain('dana@demo.example');
    expect(shown).toContain('checked 12 minutes ago');
    expect(shown).toContain('2 failed, 1 queued exports');
    expect(shown).toContain('*What to do*');
    expect(shown).toContain(actionIds.reconnect);
    expect(shown).toContain(actionIds.checkConnection);
  });

  it('an outage or an inactive organisation: what to do, but no Reconnect', () => {
    for (const verdict of ['xero_unavailable', 'organisation_inactive', 'rate_limited'] as const) {
      const shown = JSON.stringify(buildConnectionHealthReply({ xeroConfigured: true, entries: [{ connection: connection(1), health: report(verdict) }] }, options).blocks);
      expect(shown).not.toContain(actionIds.reconnect);
      expect(shown).toContain('*What to do*');
    }
  });

  it('without Xero configured: the stored status, said plainly, with no Check or Reconnect buttons', () => {
    const reply = buildConnectionHealthReply({ xeroConfigured: false, entries: [{ connection: connection(1), health: null }] }, options);
    const shown = JSON.stringify(reply.blocks);
    expect(shown).toContain(healthText.xeroNotConfigured.slice(0, 40));
    expect(shown).toContain('refresh token expired');
    expect(shown).not.toContain(actionIds.checkConnection);
    expect(shown).not.toContain(actionIds.reconnect);
  });

  it('a diagnosis names a different cause than the article asked about', () => {
    const shown = JSON.stringify(buildDiagnosisBlocks([report('organisation_inactive')], 'XERO11', options));
    expect(shown).toContain(healthText.liveTitle);
    expect(shown).toContain('The live check points to a different cause');
    expect(JSON.stringify(buildDiagnosisBlocks([report('authorisation_expired')], 'XERO11', options))).not.toContain('different cause');
  });

  it('stays inside Block Kit limits with many connections, live and in App Home', () => {
    const entries = Array.from({ length: 60 }, (_, i) => ({ connection: connection(i), health: report('not_connected', { connectionId: `c-${i}`, tenantName: `Org ${i} ${'n'.repeat(200)}` }) }));
    const reply = buildConnectionHealthReply({ xeroConfigured: true, entries }, options);
    expect(blockKitProblem(reply.blocks, 50)).toBeNull();
    const home = buildHomeView({ connections: entries.map((e) => e.connection), failedSyncs: [], moreFailedSyncs: false, openEscalations: [], myEscalations: [] }, { isAdmin: true, now });
    expect(blockKitProblem(home.blocks, 100)).toBeNull();
  });
});

describe('the failed-exports alert', () => {
  const alert = (details: Record<string, string | number | null>): HealthAlert => ({
    id: 'alert-1',
    dedupeKey: 'exports:conn-1:CONTACT_NOT_FOUND:2026-03-10',
    subject: 'exports:conn-1:CONTACT_NOT_FOUND',
    kind: 'exports_failed',
    state: '2026-03-10',
    slackTeamId: 'T0TEAM0001',
    connectionId: 'conn-1',
    details,
    postAttemptedAt: null,
    postedAt: null,
    message: null,
    createdAt: now,
  });

  it('says how many, which, why, and what Xero shows now, with names escaped', () => {
    const message = buildAlertMessage(
      alert({ tenantName: 'Demo <Co>', articleId: 'CONTACT_NOT_FOUND', count: 3, failedSyncId: 'f1', reference: 'SHOP-1 *bold*', exportKind: 'credit_note', errorMessage: 'archived' }),
      { ...options, diagnosis: ['The contact *Acme* is *archived* in Xero.'] },
    );
    const title = engine.getArticle('CONTACT_NOT_FOUND')!.title;
    expect(message.text).toBe(
      [
        ':warning: 3 exports to *Demo &lt;Co&gt;* failed, the first credit note *SHOP-1 *bold**.',
        `Why: *${title}*.`,
        'What Xero shows now: The contact *Acme* is *archived* in Xero.',
        '`/concierge errors` lists them, with Diagnose and Retry.',
      ].join('\n'),
    );
    expect(blockKitProblem(message.blocks, 50)).toBeNull();
    expect(message.metadata.event_payload).toEqual({ alert_id: 'alert-1', kind: 'exports_failed' });
  });

  it("quotes Xero's message when no article explains it, and leaves out what it could not read", () => {
    const message = buildAlertMessage(alert({ tenantName: null, articleId: null, count: 1, failedSyncId: 'f1', reference: 'INV-9', exportKind: 'invoice', errorMessage: 'Something odd' }), options);
    expect(message.text).toBe([':warning: An export to Xero failed, invoice *INV-9*.', 'Xero said: Something odd', '`/concierge errors` lists them, with Diagnose and Retry.'].join('\n'));
  });
});
