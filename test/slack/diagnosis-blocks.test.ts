// What a person reads about a failed export's live diagnosis, and which buttons they get.
import { describe, expect, it } from 'vitest';
import { buildConnectionHealthReply } from '../../src/slack/blocks/health-blocks.ts';
import { buildHomeView } from '../../src/slack/blocks/home-blocks.ts';
import { buildDiagnosisReply, diagnosisBlocks, diagnosisLines } from '../../src/slack/blocks/diagnosis-blocks.ts';
import { buildFailedSyncsReply } from '../../src/slack/blocks/support-blocks.ts';
import { actionIds } from '../../src/slack/ids.ts';
import type { FailureDiagnosis } from '../../src/support/diagnose-failure.ts';
import type { FailedSyncRecord } from '../../src/support/stores.ts';

const now = new Date('2026-11-30T10:00:00Z');

function diagnosis(fields: Partial<FailureDiagnosis> & Pick<FailureDiagnosis, 'findings' | 'state'>): FailureDiagnosis {
  return {
    failedSyncId: '0b7c2f4e-1d5a-4c3b-9e8f-7a6b5c4d3e2f',
    slackTeamId: 'T0TEAM0001',
    externalReference: 'INV-0042',
    kind: 'invoice',
    cause: fields.findings.cause,
    action: 'none',
    restorableContactId: null,
    diagnosedAt: now,
    ...fields,
  };
}

const buttonsOf = (blocks: unknown) => JSON.stringify(blocks).match(/"action_id":"[^"]+"/g) ?? [];

describe('diagnosis lines', () => {
  it('says the contact is archived and offers Restore to admins only', () => {
    const d = diagnosis({
      state: 'cause_present',
      restorableContactId: 'c-acme',
      findings: { cause: 'contact', lookedUp: { contactId: 'c-acme' }, contact: { contactId: 'c-acme', name: 'Acme Ltd', status: 'ARCHIVED' } },
    });
    expect(diagnosisLines(d)).toEqual(['The contact *Acme Ltd* is *archived* in Xero. Restore it (Contacts → Archived → Restore), then retry.']);
    expect(buttonsOf(diagnosisBlocks(d, { now, canRestore: true }))).toEqual([`"action_id":"${actionIds.restoreContact}"`]);
    expect(buttonsOf(diagnosisBlocks(d, { now, canRestore: false }))).toEqual([]);
  });

  it('names the archived account code with the closest active ones, and the tax rates an account allows', () => {
    const account = diagnosis({
      state: 'cause_present',
      findings: {
        cause: 'account_code',
        documentType: 'sales',
        codes: [{ code: '200', account: { code: '200', name: 'Sales', status: 'ARCHIVED', type: 'REVENUE' }, problem: 'archived', closest: [{ code: '210', name: 'Sales - Services' }, { code: '201', name: 'Sales - Products' }] }],
      },
    });
    expect(diagnosisLines(account)[0]).toBe(
      'Account code `200` (Sales) is *archived* in Xero. Closest active codes for sales documents: `210` Sales - Services, `201` Sales - Products. Change the mapping in the product, then retry.',
    );
    const tax = diagnosis({
      state: 'cause_present',
      findings: { cause: 'tax_type', lines: [{ accountCode: '210', taxType: 'INPUT2', usable: false, allowed: [{ taxType: 'OUTPUT2', name: '15% GST on Income' }] }] },
    });
    expect(diagnosisLines(tax)).toEqual(['Tax type `INPUT2` cannot be used with account `210`. Xero allows: `OUTPUT2` (15% GST on Income).']);
  });

  it('sets the document date against the lock dates, lists the currencies, and tells a duplicate that is ours from one that is not', () => {
    expect(diagnosisLines(diagnosis({ state: 'cause_present', findings: { cause: 'period_lock', documentDate: '2026-10-15', periodLockDate: '2026-10-31', endOfYearLockDate: null } }))[0]).toContain(
      "The document is dated 2026-10-15, on or before Xero's period lock 2026-10-31.",
    );
    expect(diagnosisLines(diagnosis({ state: 'cause_present', findings: { cause: 'currency', currency: 'USD', enabled: ['NZD', 'AUD'] } }))[0]).toContain(
      'The organisation is not subscribed to `USD`; it has `NZD`, `AUD`.',
    );
    const existing = { kind: 'invoice' as const, xeroId: 'inv-1', number: 'INV-0042', reference: 'PO-7', status: 'AUTHORISED', date: '2026-11-20' };
    const ours = diagnosis({ state: 'already_in_xero', action: 'recorded_synced', findings: { cause: 'duplicate_number', number: 'INV-0042', existing, sameDocument: true } });
    expect(buildDiagnosisReply({ ok: true, value: ours }, { now, canRestore: false }).text).toBe(
      '*INV-0042* (invoice)\nXero already has `INV-0042` (AUTHORISED, dated 2026-11-20, reference "PO-7"): it is this export, sent earlier (Xero id `inv-1`).',
    );
    expect(JSON.stringify(diagnosisBlocks(ours, { now, canRestore: false }))).toContain('Recorded as synced with that Xero id');
    const theirs = diagnosis({ state: 'cause_present', findings: { cause: 'duplicate_number', number: 'INV-0042', existing, sameDocument: false } });
    expect(diagnosisLines(theirs)[0]).toContain('a different document. Give this export a new number in the product');
  });

  it('says why there is no diagnosis', () => {
    expect(buildDiagnosisReply({ ok: false, error: 'needs_reconnect' }, { now, canRestore: true }).text).toContain('/concierge reconnect');
    expect(buildDiagnosisReply({ ok: false, error: 'xero_unavailable' }, { now, canRestore: true }).text).toContain('Nothing changed');
  });
});

describe('the failed exports list', () => {
  const sync = (id: string, errorCode: string): FailedSyncRecord => ({
    id,
    slackTeamId: 'T0TEAM0001',
    connectionId: 'c',
    externalReference: `REF-${id.slice(0, 4)}`,
    kind: 'invoice',
    errorCode,
    errorMessage: 'refused',
    occurredAt: now,
    status: 'failed',
    attempts: 0,
  });
  const contact = sync('11111111-1111-4111-8111-111111111111', 'CONTACT_NOT_FOUND');
  const outage = sync('22222222-2222-4222-8222-222222222222', 'XERO_OUTAGE');

  it('offers Diagnose only for causes Xero data can explain, and only when Xero is configured', () => {
    const withXero = buildFailedSyncsReply({ items: [contact, outage], hasMore: false }, { xeroConfigured: true });
    expect(buttonsOf(withXero.blocks).filter((b) => b.includes(actionIds.diagnoseSync))).toHaveLength(1);
    expect(JSON.stringify(withXero.blocks)).toContain(`"value":"${contact.id}"`);
    const without = buildFailedSyncsReply({ items: [contact, outage], hasMore: false }, { xeroConfigured: false });
    expect(buttonsOf(without.blocks).filter((b) => b.includes(actionIds.diagnoseSync))).toHaveLength(0);
  });

  it('shows the last diagnosis under its failure', () => {
    const d = diagnosis({ failedSyncId: contact.id, state: 'cause_present', findings: { cause: 'contact', lookedUp: { name: 'Acme Ltd' }, contact: null } });
    const reply = buildFailedSyncsReply({ items: [contact, outage], hasMore: false }, { diagnoses: [d], xeroConfigured: true });
    expect(JSON.stringify(reply.blocks)).toContain('Xero has no contact `Acme Ltd`');
  });
});

describe('the status reply', () => {
  const view = {
    xeroConfigured: true,
    entries: [
      {
        connection: {
          id: 'c1',
          slackTeamId: 'T0TEAM0001',
          tenantId: 't1',
          tenantName: 'Demo Co',
          status: 'connected' as const,
          statusReason: null,
          statusChangedAt: now,
          lastCheckedAt: null,
          lastHealthyAt: null,
          healthVerdict: null,
          healthReport: null,
          refreshTokenIssuedAt: now,
          connectedBySlackUserId: 'U0USER0001',
          connectedByXeroEmail: null,
        },
        health: null,
      },
    ],
  };

  it('says how long ago Xero last delivered a webhook, or that none came in 24 hours', () => {
    const recent = buildConnectionHealthReply(view, { now, getArticle: () => undefined, webhooks: { lastDeliveryAt: new Date(now.getTime() - 4 * 60_000), silent: false } });
    expect(JSON.stringify(recent.blocks)).toContain('Xero webhooks: last delivery 4 minutes ago');
    const silent = buildConnectionHealthReply(view, { now, getArticle: () => undefined, webhooks: { lastDeliveryAt: null, silent: true } });
    expect(JSON.stringify(silent.blocks)).toContain('Xero webhooks: none in 24 hours');
    const off = buildConnectionHealthReply(view, { now, getArticle: () => undefined, webhooks: null });
    expect(JSON.stringify(off.blocks)).not.toContain('webhooks');
  });
});

describe('App Home', () => {
  it('shows each failure\'s last diagnosis and a Diagnose button for everyone when Xero is configured', () => {
    const failed: FailedSyncRecord = {
      id: '33333333-3333-4333-8333-333333333333',
      slackTeamId: 'T0TEAM0001',
      connectionId: 'c',
      externalReference: 'SHOP-1',
      kind: 'invoice',
      errorCode: 'CURRENCY_NOT_ENABLED',
      errorMessage: 'Organisation is not subscribed to currency GBP',
      occurredAt: now,
      status: 'failed',
      attempts: 0,
    };
    const d = diagnosis({ failedSyncId: failed.id, state: 'cause_present', findings: { cause: 'currency', currency: 'GBP', enabled: ['NZD'] } });
    const overview = { connections: [], failedSyncs: [failed], moreFailedSyncs: false, diagnoses: [d], openEscalations: [], myEscalations: [] };
    const member = JSON.stringify(buildHomeView(overview, { isAdmin: false, xeroConfigured: true, now }).blocks);
    expect(member).toContain('The organisation is not subscribed to `GBP`; it has `NZD`.');
    expect(member).toContain(actionIds.diagnoseSync);
    expect(member).not.toContain(actionIds.retrySync);
    expect(JSON.stringify(buildHomeView(overview, { isAdmin: true, xeroConfigured: false, now }).blocks)).not.toContain(actionIds.diagnoseSync);
  });
});
