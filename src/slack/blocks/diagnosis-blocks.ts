// A failed export's live diagnosis as people read it: what Xero holds now, exactly what to change,
// and what the bot already did (queued the retry, recorded it as synced). Pure functions.
import type { KnownBlock } from '@slack/types';
import type { AccountCodeFinding, DiagnoseError, FailureDiagnosis, TaxLineFinding } from '../../support/diagnose-failure.ts';
import type { RestoreContactError } from '../../support/restore-contact.ts';
import { actionIds } from '../ids.ts';
import { diagnosisText } from '../user-text.ts';
import { actions, button, clip, context, escapeMrkdwn, section, slackDate } from './block-kit.ts';
import type { SlackReply } from './support-blocks.ts';

const code = (value: string) => `\`${escapeMrkdwn(clip(value, 60))}\``;
const named = (value: string) => `*${escapeMrkdwn(clip(value, 120))}*`;

function accountLine(finding: AccountCodeFinding, use: string): string {
  const account = finding.account ? `${code(finding.code)} (${escapeMrkdwn(finding.account.name)})` : code(finding.code);
  const problem =
    finding.problem === 'missing'
      ? diagnosisText.accountMissing(code(finding.code))
      : finding.problem === 'archived'
        ? diagnosisText.accountArchived(account)
        : finding.problem === 'not_for_this_document'
          ? diagnosisText.accountWrongKind(account, finding.account?.type ?? '?', use)
          : diagnosisText.accountFine(account);
  if (!finding.closest.length) return problem;
  return `${problem} ${diagnosisText.closestAccounts(use, finding.closest.map((a) => `${code(a.code)} ${escapeMrkdwn(a.name)}`).join(', '))}`;
}

function taxLine(line: TaxLineFinding): string {
  const account = line.accountCode ? code(line.accountCode) : diagnosisText.itsAccount;
  if (line.usable) return diagnosisText.taxFine(code(line.taxType), account);
  const allowed = line.allowed.map((r) => `${code(r.taxType)} (${escapeMrkdwn(r.name)})`).join(', ');
  return diagnosisText.taxRefused(code(line.taxType), account, allowed || diagnosisText.noneAllowed);
}

/** What Xero holds now and what to change, as mrkdwn lines. */
export function diagnosisLines(d: FailureDiagnosis): string[] {
  const f = d.findings;
  switch (f.cause) {
    case 'contact': {
      const who = f.lookedUp.contactId ?? f.lookedUp.name ?? '?';
      if (d.state === 'undetermined') return [diagnosisText.noContactInExport];
      if (!f.contact) return [diagnosisText.contactMissing(code(who))];
      if (f.contact.status === 'ACTIVE') return [diagnosisText.contactActive(named(f.contact.name))];
      if (f.contact.status === 'ARCHIVED') return [diagnosisText.contactArchived(named(f.contact.name))];
      return [diagnosisText.contactGdpr(named(f.contact.name), escapeMrkdwn(f.contact.status))];
    }
    case 'account_code':
      if (!f.codes.length) return [diagnosisText.noAccountInExport];
      return f.codes.map((c) => accountLine(c, diagnosisText.accountUse[f.documentType] ?? f.documentType));
    case 'tax_type':
      if (!f.lines.length) return [diagnosisText.noTaxInExport];
      return f.lines.map(taxLine);
    case 'period_lock': {
      if (!f.documentDate) return [diagnosisText.noDateInExport];
      const locks = [
        f.periodLockDate ? diagnosisText.periodLock(f.periodLockDate) : null,
        f.endOfYearLockDate ? diagnosisText.endOfYearLock(f.endOfYearLockDate) : null,
      ].filter((x): x is string => x !== null);
      return d.state === 'cause_present'
        ? [diagnosisText.dateLocked(f.documentDate, locks.join(', '))]
        : [diagnosisText.dateOpen(f.documentDate, locks.join(', ') || diagnosisText.noLocks)];
    }
    case 'currency': {
      const enabled = f.enabled.map(code).join(', ') || diagnosisText.noneAllowed;
      if (!f.currency) return [diagnosisText.noCurrencyInExport];
      return d.state === 'cause_present' ? [diagnosisText.currencyMissing(code(f.currency), enabled)] : [diagnosisText.currencyEnabled(code(f.currency))];
    }
    case 'duplicate_number': {
      if (!f.number) return [diagnosisText.noNumberInExport];
      if (!f.existing) return [diagnosisText.numberFree(code(f.number))];
      const existing = diagnosisText.existingDocument(code(f.number), escapeMrkdwn(f.existing.status ?? '?'), f.existing.date ?? '?', f.existing.reference ? escapeMrkdwn(clip(f.existing.reference, 80)) : null);
      return f.sameDocument ? [diagnosisText.sameDocument(existing, code(f.existing.xeroId))] : [diagnosisText.otherDocument(existing)];
    }
  }
}

/** A diagnosis's lines for a plain message (a retry's outcome); null when there is none. */
export function diagnosedLines(result: { ok: true; value: FailureDiagnosis } | { ok: false }): string[] | null {
  return result.ok ? diagnosisLines(result.value) : null;
}

/** One failure's diagnosis: the findings, what happened by itself, and Restore for admins when it helps. */
export function diagnosisBlocks(d: FailureDiagnosis, options: { now: Date; canRestore: boolean }): KnownBlock[] {
  const lines = diagnosisLines(d);
  const outcome = d.action === 'queued_retry' ? diagnosisText.queued : d.action === 'recorded_synced' ? diagnosisText.recordedSynced : d.state === 'cause_gone' ? diagnosisText.causeGone : null;
  const blocks: KnownBlock[] = [section(clip([`*${diagnosisText.title}*`, ...lines, ...(outcome ? [outcome] : [])].join('\n'), 2900)), context(diagnosisText.checked(slackDate(d.diagnosedAt)))];
  if (options.canRestore && d.restorableContactId && d.state === 'cause_present') {
    blocks.push(actions(`diagnosis_${d.failedSyncId}`, [button({ actionId: actionIds.restoreContact, label: diagnosisText.restoreContact, value: d.failedSyncId, style: 'primary' })]));
  }
  return blocks;
}

/** The reply to a Diagnose press: which export, and its diagnosis (or why there is none). */
export function buildDiagnosisReply(result: { ok: true; value: FailureDiagnosis } | { ok: false; error: DiagnoseError | 'xero_not_configured' }, options: { now: Date; canRestore: boolean }): SlackReply {
  if (!result.ok) {
    const message = diagnoseErrorText[result.error];
    return { text: message, blocks: [section(message)] };
  }
  const heading = `*${escapeMrkdwn(clip(result.value.externalReference, 200))}* (${escapeMrkdwn(result.value.kind)})`;
  return { text: [heading, ...diagnosisLines(result.value)].join('\n'), blocks: [section(heading), ...diagnosisBlocks(result.value, options)] };
}

/** The compact line a list shows under a failure that was diagnosed before. */
export function storedDiagnosisContext(d: FailureDiagnosis): KnownBlock {
  return context(clip(`${diagnosisText.lastDiagnosis(slackDate(d.diagnosedAt))} ${diagnosisLines(d).join(' ')}`, 2900));
}

export const diagnoseErrorText: Record<DiagnoseError | 'xero_not_configured', string> = {
  failed_sync_not_found: 'That failed export no longer exists in this workspace.',
  not_diagnosable: 'This failure is not one Xero data can explain (only contacts, account codes, tax types, lock dates, currencies and duplicate numbers are checked live). Its article says what to do.',
  no_connection: 'This export names no connected Xero organisation, so there is nothing to look at. Connect the organisation with `/concierge connect`, then diagnose it again.',
  needs_reconnect: 'Xero no longer accepts this organisation\'s connection. Reconnect it (`/concierge reconnect`), then diagnose again.',
  xero_unavailable: 'Xero did not answer just now (busy or down). Nothing changed; try Diagnose again in a minute.',
  xero_not_configured: 'Xero is not configured for this bot (XERO_CLIENT_ID and XERO_CLIENT_SECRET), so failures cannot be checked live.',
};

export const restoreErrorText: Record<Exclude<RestoreContactError, DiagnoseError | 'not_authorized'>, string> = {
  contact_not_found: 'Xero has no such contact any more, so there is nothing to restore. Pick or create the contact in the product and export again.',
  contact_not_restorable: 'Xero will not restore this contact (it was removed at the person\'s request). Pick another contact in the product.',
};
