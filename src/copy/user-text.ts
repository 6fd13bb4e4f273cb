// Every sentence people read from the app, in one place. Tests assert these constants, so the
// words can change here without hunting through listeners. Internal snake_case codes are turned
// into words only here.
import type { ArticleAction } from '../knowledge/article.ts';
import type { EscalationFieldError, PublishError, TriageError } from '../support/escalate.ts';
import type { DisconnectError } from '../support/disconnect-xero.ts';
import type { FailedSyncError } from '../support/failed-syncs.ts';
import type { HealthVerdict } from '../support/check-connection.ts';
import type { FeedbackOutcome, HealthAlertKind } from '../support/records.ts';
import type { ConnectionStatus } from '../support/stores.ts';
import { commandName } from './concierge-grammar.ts';

export const actionLabels: Record<ArticleAction, string> = {
  reconnect: 'Reconnect Xero',
  retry: 'Retry failed exports',
  check_health: 'Check connection',
  escalate: 'Escalate',
  archive: 'Show failed exports',
};

export const text = {
  helpful: 'Helpful',
  notHelpful: 'Not helpful',
  shareInChannel: 'Share in channel',
  feedbackThanksHelpful: 'Thanks, glad that helped.',
  feedbackThanksNotHelpful: 'Thanks for telling me. If you are still stuck, press Escalate and the support team will pick it up.',
  /** The reply to a vote: that it was counted, changed or already in, then the thanks. One vote per person per answer. */
  feedbackCounted: (helpful: boolean, outcome: FeedbackOutcome) => {
    const vote = helpful ? '*Helpful*' : '*Not helpful*';
    const said =
      outcome === 'counted'
        ? `Your vote was counted: ${vote}.`
        : outcome === 'changed'
          ? `Your vote was changed to ${vote}. You have one vote per answer.`
          : `Your vote was already counted: ${vote}. You have one vote per answer.`;
    return `${said} ${helpful ? text.feedbackThanksHelpful : text.feedbackThanksNotHelpful}`;
  },
  emptyQuestion: 'Ask me about an error message or code from your Xero export, for example `XERO11 on my report`.',
  lowConfidence: "I'm not sure which problem this is, so I won't guess.",
  closestArticles: 'Is it one of these?',
  /** Under an answer found by ranking alone that is not sure: the runners-up, as buttons. */
  closestOthers: 'Not it? The closest others:',
  outOfScope: "I help with failures of the integrations that export into Xero (sync errors, expired connections, rejected exports). This doesn't look like one.",
  outOfScopeEscalate: 'If it is about your Xero exports, escalate and the support team will look at it.',
  escalateOffer: 'If none of these fit, escalate and the support team will look at it.',
  unknownCode: (code: string) => `I don't know the code \`${code}\` yet.`,
  matchedCode: (code: string) => `Matched \`${code}\``,
  matchedSearch: (confidence: number) => `Best match for your words (${Math.round(confidence * 100)}% sure)`,
  whatItMeans: 'What it means',
  howToFix: 'How to fix it',
  faq: 'FAQ',
  moreReading: 'More',
  sharedBy: (userId: string) => `Shared by <@${userId}>`,
  articleGone: 'That article is no longer in the knowledge base. Ask your question again to get the current answer.',
  working: 'is looking that up…',
  /** Posted at once when the model may take a few seconds; replaced by the answer. */
  lookingIntoIt: ':hourglass_flowing_sand: Looking into it…',
  writtenFrom: (ids: readonly string[]) => `Written for your question from ${ids.map((id) => `\`${id}\``).join(', ')}; every step comes from that article.`,
  chosenFromClosest: 'Picked from the closest articles for your words.',
  assistantGreeting: 'Hi! Paste an error message or code from your Xero export and I will find the fix.',
  assistantPromptsTitle: 'Try one of these:',
  notAuthorized:
    'Only Xero Concierge admins can do that. Ask an admin, or a workspace admin to add you to CONCIERGE_ADMIN_USER_IDS or the admin user group.',
  xeroNotConfigured:
    'Connecting Xero from here is not available: this app has no Xero credentials (XERO_CLIENT_ID and XERO_CLIENT_SECRET). Reconnect from your expense tool’s Xero settings for now, or ask whoever runs this app to set them.',
  connectLink: (purpose: 'connect' | 'reconnect', url: string) =>
    `<${url}|${purpose === 'connect' ? 'Connect Xero' : 'Reconnect Xero'}>: open this link within 10 minutes and pick the organisations. It works once and only for you.`,
  connectionNotFound: 'That Xero connection is no longer in this workspace. Use `/concierge status` to see the current ones.',
  connected: (names: readonly string[], purpose: 'connect' | 'reconnect') =>
    `${purpose === 'connect' ? 'Connected' : 'Reconnected'} ${names[0] ?? 'Xero'}${names.length > 1 ? ` (and ${names.length - 1} more)` : ''}.`,
  reconnectNeeded: (names: readonly string[], url: string) =>
    `Xero no longer accepts the connection you made for ${names.join(', ')}, so exports to it will fail. <${url}|Reconnect Xero> (the link works once, for 10 minutes; ask \`/concierge reconnect\` for a new one).`,
  disconnectConfirm: (name: string) =>
    `Disconnect *${name}* from Xero? Exports to it will stop until someone connects it again. This confirmation works for 10 minutes.`,
  disconnect: 'Disconnect',
  cancel: 'Cancel',
  disconnectCancelled: (name: string) => `Kept *${name}* connected.`,
  disconnected: (name: string) => `Disconnected *${name}* from Xero. Its history stays here; \`/concierge connect\` brings it back.`,
  disconnectWhich: (query: string, reason: 'unknown' | 'ambiguous', organisations: readonly string[]) =>
    organisations.length === 0
      ? 'No Xero organisations are connected for this workspace, so there is nothing to disconnect.'
      : `${reason === 'ambiguous' ? `More than one organisation is called *${query}*` : `No connected organisation is called *${query}*`}. Name one of these, or give its id from \`/concierge status\`:\n${organisations.map((name) => `• ${name}`).join('\n')}`,
  noConnections: 'No Xero organisations are connected for this workspace yet.',
  retryQueued: (count: number) =>
    `Re-sending ${count} failed export${count === 1 ? '' : 's'} to Xero, within Xero's rate limits. A message here (or in your DM) keeps track of how ${count === 1 ? 'it goes' : 'they go'}.`,
  archived: (reference: string) => `Archived the failed export *${reference}*. It will not be retried.`,
  noFailedSyncs: 'No failed exports are waiting. Everything that failed has been retried or archived.',
  failedSyncsTitle: 'Failed exports, newest first',
  moreFailedSyncs: (shown: number) => `Showing the newest ${shown}; there are more. Retry all covers them too.`,
  retry: 'Retry',
  retryAll: 'Retry all',
  archive: 'Archive',
  statusTitle: 'Xero connections',
  unknownAction: 'That button is from an older version of this app and no longer does anything. Ask again to get fresh buttons.',
  slackTrouble: 'Slack did not accept that just now. Please try again in a minute.',
  /** Instead of a reply Slack refused to display; `summary` is the reply's own plain text. */
  replyRefused: (summary: string) =>
    `Slack refused to display my full reply, so its buttons are missing. In short: ${summary}\nAsk again in a minute; if this keeps happening, tell your Slack admin (the app's logs name Slack's reason).`,
  notRecorded: 'Sorry, I could not save that just now, so nothing changed. Please try again in a minute.',
  internalError: 'Something went wrong on my side. Please try again in a minute; if it keeps happening, tell whoever runs this app.',
} as const;

export const disconnectErrorText: Record<DisconnectError, string> = {
  confirmation_expired: 'That confirmation is more than 10 minutes old, so nothing changed. Ask `/concierge disconnect <organisation>` again if you still want to.',
  connection_not_found: 'That Xero connection is no longer in this workspace. Use `/concierge status` to see the current ones.',
  already_disconnected: 'That organisation is already disconnected.',
  xero_not_configured:
    'Disconnecting from here is not available: this app has no Xero credentials (XERO_CLIENT_ID and XERO_CLIENT_SECRET). Disconnect in Xero under Settings > Connected apps.',
  xero_unavailable: 'Xero did not answer just now, so nothing changed. Please try again in a minute.',
};

export const failedSyncErrorText: Record<Exclude<FailedSyncError, 'not_authorized'>, string> = {
  failed_sync_not_found: 'I could not find that failed export in this workspace. Use `/concierge errors` to see the current list.',
  nothing_to_retry: 'There are no failed exports waiting to be retried.',
  failed_sync_not_retryable: 'That export is not waiting for a retry any more (it is queued, being re-sent, synced or archived).',
  failed_sync_busy: 'That export is being retried right now, so it cannot be archived. Try again in a few minutes.',
  xero_not_configured:
    'Retrying from here is not available: this app has no Xero credentials (XERO_CLIENT_ID and XERO_CLIENT_SECRET), so nothing would re-send the export. Re-send it from your expense tool, or ask whoever runs this app to set them.',
};

export const connectionStatusText: Record<ConnectionStatus, string> = {
  connected: ':large_green_circle: Connected',
  expiring: ':large_yellow_circle: Expiring soon',
  token_expired: ':red_circle: Expired, needs reconnecting',
  needs_reconnect: ':red_circle: Needs reconnecting',
  disconnected: ':white_circle: Disconnected',
  error: ':red_circle: Error',
};

/** How long ago, in words: "just now", "12 minutes ago", "3 days ago". */
export function ago(then: Date, now: Date): string {
  const minutes = Math.floor((now.getTime() - then.getTime()) / 60_000);
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'} ago`;
  if (minutes < 1) return 'just now';
  if (minutes < 60) return plural(minutes, 'minute');
  if (minutes < 48 * 60) return plural(Math.floor(minutes / 60), 'hour');
  return plural(Math.floor(minutes / (24 * 60)), 'day');
}

/** One sentence per verdict, about the organisation `org`; `since` is how long ago the status changed. */
export const verdictText: Record<HealthVerdict, (org: string, since: string) => string> = {
  healthy: (org) => `:large_green_circle: Your connection to ${org} is working.`,
  authorisation_expired: (org, since) => `:red_circle: Your connection to ${org} expired ${since}: Xero no longer accepts its authorisation.`,
  token_rejected: (org, since) => `:red_circle: Xero has refused the connection to ${org} since ${since}: its access was revoked or ran out.`,
  not_connected: (org, since) => `:red_circle: Xero no longer lists ${org} as connected (noticed ${since}): the app was disconnected in Xero.`,
  organisation_inactive: (org) => `:red_circle: ${org} is not active in Xero: its subscription lapsed or it is read-only, so exports cannot be written.`,
  permission_denied: (org) => `:red_circle: Xero refused access to ${org}: the user who connected it no longer has the permissions exports need.`,
  rate_limited: (org) => `:large_yellow_circle: Xero's API limit for ${org} is used up for now; exports wait and resume by themselves.`,
  xero_unavailable: (org) => `:large_yellow_circle: Xero is not answering for ${org} right now (outage or timeout).`,
  unexpected: (org) => `:red_circle: Xero answered for ${org} in a way I did not expect.`,
};

export const healthText = {
  checked: (when: string) => `checked ${when}`,
  connectedBy: (userId: string) => `Connected by <@${userId}>.`,
  connectedByEmail: (email: string) => `Connected by ${email} in Xero.`,
  reconnectFixes: 'Reconnecting fixes it.',
  whatToDo: (title: string, step: string) => `*What to do* (${title}): ${step}`,
  headroom: (minute: number | string, day: number | string) => `Xero calls left: ${minute} this minute, ${day} today`,
  exports: (failed: number, queued: number) => `${failed} failed, ${queued} queued exports`,
  organisation: (status: string, plan: string, demo: boolean) => `Organisation ${status}, ${plan}${demo ? ', demo company' : ''}`,
  neverChecked: 'not checked live yet',
  checkConnection: 'Check connection',
  liveTitle: 'Live check',
  xeroNotConfigured:
    'Live checks need the Xero integration, which is not configured for this app (XERO_CLIENT_ID and XERO_CLIENT_SECRET), so this is the status last stored and there is nothing to check or reconnect from here.',
  otherCause: (title: string) => `The live check points to a different cause: *${title}*.`,
} as const;

export const alertText: Record<HealthAlertKind, (d: Record<string, string | number | boolean | null>) => string> = {
  connection_broken: (d) => `:rotating_light: *${d.tenantName}*: connection broken. ${d.connectedBySlackUserId ? `Connected by <@${d.connectedBySlackUserId}>.` : ''}`,
  connection_healthy: (d) => `:white_check_mark: *${d.tenantName}*: connection healthy again.`,
  token_set_aging: (d) =>
    `:hourglass_flowing_sand: *${d.tenantName}*: its Xero authorisation has not been renewed for ${d.daysUnused} days and stops working at 60. Ask <@${d.connectedBySlackUserId}> to check the connection or reconnect.`,
  xero_unreachable: (d) => `:rotating_light: Xero is unreachable for every connection of this workspace (${d.connections}). Exports wait until it answers again.`,
  xero_reachable: () => ':white_check_mark: Xero is answering again.',
  // Names in the details are escaped by the message builder before they get here.
  exports_failed: (d) =>
    `:warning: ${d.count === 1 ? 'An export' : `${d.count} exports`} to ${d.tenantName ? `*${d.tenantName}*` : 'Xero'} failed, ${d.count === 1 ? '' : 'the first '}${d.exportKind} *${d.reference}*.`,
};

/** What an export-failure alert says after its first line. */
export const exportAlertText = {
  why: (title: string) => `Why: *${title}*.`,
  xeroSaid: (message: string) => `Xero said: ${message}`,
  xeroShowsNow: 'What Xero shows now:',
  listed: '`/concierge errors` lists them, with Diagnose and Retry.',
} as const;

export const escalationText = {
  modalTitle: 'Escalate to support',
  submit: 'Send to support',
  cancel: 'Cancel',
  intro: 'Support will see exactly what you put here, so paste the whole error.',
  errorLabel: 'Full error message',
  errorPlaceholder: 'Paste the complete error text from the expense or invoicing tool',
  reportLabel: 'Report name or ID',
  reportPlaceholder: 'e.g. "March travel" or RPT-10442',
  occurredAtLabel: 'When did the export fail?',
  connectionLabel: 'Xero organisation',
  connectionPlaceholder: 'Pick the organisation',
  notesLabel: 'Anything else support should know',
  notesPlaceholder: 'What you already tried, who is affected, deadlines…',
  triageTitle: (shortId: string) => `New escalation #${shortId}`,
  reporter: (userId: string) => `Reported by <@${userId}>`,
  report: 'Report',
  codes: 'Codes',
  thread: 'Thread',
  openThread: 'Open the reporter\'s thread',
  verdictAtReport: 'Connection when reported',
  theOrganisation: 'the organisation',
  occurredAt: 'Failed at',
  connection: 'Xero organisation',
  article: 'Matched article',
  error: 'Error',
  notes: 'Notes from the reporter',
  claim: 'Claim',
  resolve: 'Resolve',
  statusOpen: ':large_orange_circle: Open, waiting for someone to claim it',
  statusClaimed: (assignee: string) => `:large_blue_circle: Claimed by <@${assignee}>`,
  statusResolved: (assignee: string | null) => `:white_check_mark: Resolved${assignee ? ` by <@${assignee}>` : ''}`,
  confirmPosted: (shortId: string) => `Thanks, I sent this to the support team as escalation #${shortId}. You will see updates here.`,
  confirmQueued: (shortId: string, reason: string) =>
    `Thanks, your escalation #${shortId} is saved, but I could not post it to the support channel yet (${reason}). I will post it automatically as soon as I can; nothing is lost.`,
  notSaved: 'Sorry, I could not save this just now, so support has not received it. Your text is still here: press Submit again in a minute.',
  claimedNotice: (userId: string) => `<@${userId}> from support is looking at this now.`,
  resolvedNotice: (userId: string | null) => `Support marked this as resolved${userId ? ` (<@${userId}>)` : ''}.`,
} as const;

export const fieldErrorText: Record<EscalationFieldError, string> = {
  error_text_missing: 'Paste the error message so support can see what went wrong.',
  error_text_too_long: 'That is more than 3000 characters. Keep the first lines of the error and put the rest in Notes.',
  report_id_too_long: 'Keep the report name or ID under 200 characters.',
  occurred_at_missing: 'Pick when the export failed (roughly is fine).',
  occurred_at_invalid: 'That date cannot be right. Pick when the export failed with the date picker.',
  occurred_at_in_future: 'That is in the future. Pick when the export failed.',
  occurred_at_too_old: 'That is more than a year ago. Pick a date within the last year.',
  notes_too_long: 'Keep the notes under 3000 characters.',
};

export const publishErrorText: Record<PublishError, string> = {
  support_channel_not_configured: 'no support channel is configured (SUPPORT_CHANNEL_ID)',
  slack_not_connected: 'this copy of the app is not connected to Slack',
  channel_not_found: 'the support channel could not be found',
  not_in_channel: 'the app is not a member of the support channel',
  rate_limited: 'Slack asked me to slow down',
  slack_unavailable: 'Slack is not responding',
  slack_error: 'Slack refused the message',
  post_claim_lost: 'another copy of the app is posting it',
};

export const triageErrorText: Record<Exclude<TriageError, 'not_authorized'>, string> = {
  escalation_not_found: 'That escalation no longer exists.',
  escalation_already_claimed: 'Someone already claimed that escalation.',
  escalation_already_resolved: 'That escalation is already resolved.',
};

export const homeText = {
  title: 'Xero Concierge',
  intro: `Ask me about any Xero export error in a DM, mention me in a channel, or use \`${commandName} help\`.`,
  connections: 'Xero connections',
  connectXero: 'Connect Xero',
  failedSyncs: 'Failed exports awaiting action',
  openEscalations: 'Open escalations',
  myEscalations: 'Your recent escalations',
  none: 'None.',
  more: (hidden: number) => `…and ${hidden} more.`,
  moreInList: '…and more. Use `/concierge errors` to work through them.',
  lastChecked: (when: string) => `last checked ${when}`,
  never: 'never checked',
} as const;

// The grammar's own words live with it (src/copy/concierge-grammar.ts).
export { usageText } from '../copy/concierge-grammar.ts';

/** Live diagnosis of failed exports (blocks/diagnosis-blocks.ts). */
export const diagnosisText = {
  title: 'What Xero shows now',
  diagnose: 'Diagnose',
  restoreContact: 'Restore contact in Xero',
  checked: (when: string) => `Checked in Xero ${when}`,
  lastDiagnosis: (when: string) => `Diagnosed ${when}:`,
  queued: 'The cause is gone, so this export is queued for a retry.',
  recordedSynced: 'Recorded as synced with that Xero id; it will not be sent again.',
  causeGone: 'Xero no longer shows this cause; the export can be retried.',
  contactMissing: (who: string) => `Xero has no contact ${who}. Create it in Xero (or pick an existing contact in the product), then retry.`,
  contactArchived: (name: string) => `The contact ${name} is *archived* in Xero. Restore it (Contacts → Archived → Restore), then retry.`,
  contactActive: (name: string) => `The contact ${name} is active in Xero now.`,
  contactGdpr: (name: string, status: string) => `The contact ${name} is ${status} in Xero and cannot be restored. Pick another contact in the product.`,
  noContactInExport: 'The export names no contact (no ContactID or Name), so Xero cannot be checked.',
  accountUse: { sales: 'sales documents', purchases: 'bills and purchases', payment: 'payments (bank accounts)' } as Record<string, string>,
  accountMissing: (account: string) => `Account code ${account} does not exist in Xero.`,
  accountArchived: (account: string) => `Account code ${account} is *archived* in Xero.`,
  accountWrongKind: (account: string, type: string, use: string) => `Account code ${account} is a ${type} account, which Xero does not take on ${use}.`,
  accountFine: (account: string) => `Account code ${account} is active in Xero.`,
  closestAccounts: (use: string, list: string) => `Closest active codes for ${use}: ${list}. Change the mapping in the product, then retry.`,
  noAccountInExport: 'The export has no account codes to check.',
  itsAccount: 'its account',
  taxFine: (taxType: string, account: string) => `Tax type ${taxType} is allowed with account ${account}.`,
  taxRefused: (taxType: string, account: string, allowed: string) => `Tax type ${taxType} cannot be used with account ${account}. Xero allows: ${allowed}.`,
  noneAllowed: 'none',
  noTaxInExport: 'The export has no tax types on its lines to check.',
  periodLock: (date: string) => `period lock ${date}`,
  endOfYearLock: (date: string) => `end-of-year lock ${date}`,
  noLocks: 'no lock dates',
  dateLocked: (date: string, locks: string) => `The document is dated ${date}, on or before Xero's ${locks}. Move the lock date back in Xero (Settings → Advanced → Financial settings) or date the document after it, then retry.`,
  dateOpen: (date: string, locks: string) => `The document date ${date} is after Xero's ${locks} now.`,
  noDateInExport: 'The export has no date, so it cannot be set against the lock dates.',
  currencyMissing: (currency: string, enabled: string) => `The organisation is not subscribed to ${currency}; it has ${enabled}. Add ${currency} in Xero (Settings → Currencies) or send the document in one of those.`,
  currencyEnabled: (currency: string) => `The organisation is subscribed to ${currency} now.`,
  noCurrencyInExport: 'The export names no currency to check.',
  existingDocument: (number: string, status: string, date: string, reference: string | null) => `Xero already has ${number} (${status}, dated ${date}${reference ? `, reference "${reference}"` : ''})`,
  sameDocument: (existing: string, xeroId: string) => `${existing}: it is this export, sent earlier (Xero id ${xeroId}).`,
  otherDocument: (existing: string) => `${existing}: a different document. Give this export a new number in the product, then retry.`,
  numberFree: (number: string) => `No document in Xero uses ${number} now.`,
  noNumberInExport: 'The export has no document number to look up.',
  restoring: (reference: string) => `Restoring the contact of *${reference}* in Xero…`,
  restored: (name: string) => `Restored the contact *${name}* in Xero.`,
  alreadyActive: (name: string) => `The contact *${name}* was already active in Xero; nothing was changed.`,
  queuedWithContact: (count: number) =>
    count === 1 ? 'Its export is queued for a retry; the outcome is posted here.' : `${count} exports that use it are queued for a retry; their progress is posted here.`,
} as const;

/** Xero webhooks in the status reply (PAYMENTS_NOT_APPEARING). */
export const webhookText = {
  lastDelivery: (ago: string) => `Xero webhooks: last delivery ${ago}`,
  none: 'Xero webhooks: none in 24 hours. If payments made in Xero stop showing here, see "A payment recorded in Xero is not showing in the product".',
} as const;
