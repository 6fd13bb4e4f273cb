// A filed case as console text, read from the escalation itself: what support receives, in the
// same words as the triage message (without its buttons, which work in Slack only).
import { describeTime } from '../copy/case-conversation-text.ts';
import { escalationText, verdictText } from '../copy/user-text.ts';
import type { HealthVerdict } from '../support/check-connection.ts';
import type { EscalationDetails } from '../support/escalate.ts';
import type { EscalationRecord } from '../support/stores.ts';
import { mrkdwnToText } from './render-blocks-as-text.ts';

function statusLine(escalation: EscalationRecord): string {
  if (escalation.status === 'resolved') return escalationText.statusResolved(escalation.resolvedBySlackUserId);
  if (escalation.status === 'claimed' && escalation.assigneeSlackUserId) return escalationText.statusClaimed(escalation.assigneeSlackUserId);
  return escalationText.statusOpen;
}

const quoted = (value: string) => value.split('\n').map((line) => `  │ ${line}`);
const utc = (date: Date) => `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

export function caseText(details: EscalationDetails): string {
  const { escalation, article } = details;
  const shortId = escalation.id.replace(/-/g, '').slice(0, 8).toUpperCase();
  const lines = [escalationText.triageTitle(shortId).toUpperCase(), mrkdwnToText(`${escalationText.reporter(escalation.reporterSlackUserId)}\n${statusLine(escalation)}`)];
  if (escalation.codes.length) lines.push(`${escalationText.codes}: ${escalation.codes.join(', ')}`);
  if (escalation.reportId) lines.push(`${escalationText.report}: ${escalation.reportId}`);
  if (escalation.occurredAt) lines.push(`${escalationText.occurredAt}: ${describeTime(escalation.occurredAt.toISOString(), escalation.reporterTimeZone ?? 'UTC')}`);
  if (details.connectionName) lines.push(`${escalationText.connection}: ${details.connectionName}`);
  if (article) lines.push(`${escalationText.article}: ${article.title}`);
  const verdict = escalation.connectionVerdict as HealthVerdict | null;
  if (verdict && verdict in verdictText && escalation.connectionCheckedAt) {
    const checked = utc(escalation.connectionCheckedAt);
    lines.push(`  ${mrkdwnToText(`${escalationText.verdictAtReport}: ${verdictText[verdict](details.connectionName ?? escalationText.theOrganisation, checked)} (${checked})`)}`);
  }
  lines.push(escalationText.error, ...quoted(escalation.errorText));
  if (escalation.notes) lines.push(escalationText.notes, ...quoted(escalation.notes));
  return lines.join('\n');
}
